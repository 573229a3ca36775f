/// Finds a table's header: the `#property` row among leading `#` rows (高松市 style), else the first row that is not
/// a `#` row; blank rows before it are skipped. The other leading `#` rows are metadata, kept for the report.
struct HeaderSearch {
    var header: CSVRow?
    /// The row after the header, already read.
    var firstData: CSVRow?
    /// The `#` metadata rows, each as its cells without the leading `#`, with their lines.
    var metadata: [[String]] = []
    var metadataLines: [Int] = []

    init(rows: any RowSource) throws {
        while let row = try rows.nextRow() {
            if row.isBlank && header == nil { continue }
            if row.cells.first?.hasPrefix("#") == true {
                if header == nil && row.cells[0].lowercased() == "#property" {
                    header = row
                } else {
                    metadata.append(row.cells.enumerated().map { $0.offset == 0 ? String($0.element.dropFirst()) : $0.element })
                    metadataLines.append(row.line)
                }
                continue
            }
            if header == nil { header = row } else { firstData = row }
            break
        }
    }

    /// A finding per metadata row.
    var findings: [Finding] {
        metadata.indices.map { index in
            Finding(
                .metadataRow,
                .info,
                line: metadataLines[index],
                message: "metadata row #\(metadata[index].first ?? "") kept in the report's source.metadata"
            )
        }
    }
}
