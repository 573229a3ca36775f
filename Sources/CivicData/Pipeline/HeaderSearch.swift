/// Finds a table's header: the `#property` row among leading `#` rows (高松市 style), else the first row that is not
/// a `#` row — unless it is a title above the table (one filled cell, followed by a wider row), which is kept like the
/// `#` rows. Blank rows before the header are skipped. The `#` rows and titles are metadata, kept for the report.
struct HeaderSearch {
    var header: CSVRow?
    /// The row after the header, already read.
    var firstData: CSVRow?
    /// The `#` metadata rows, each as its cells without the leading `#`, and the title rows, with their lines.
    var metadata: [[String]] = []
    var metadataLines: [Int] = []
    /// Which of `metadata` are title rows (the others are `#` rows).
    private var titles: Set<Int> = []

    /// Title rows looked past at most.
    static let maximumTitleRows = 10

    init(rows: any RowSource) throws {
        // JSON (GeoJSON, an array of records): the first row is the keys (possibly none), each object a record even
        // when blank.
        if rows.readsJSON {
            header = try rows.nextRow()
            firstData = try rows.nextRow()
            return
        }
        var lookahead: CSVRow?
        func nextRow() throws -> CSVRow? {
            if let row = lookahead {
                lookahead = nil
                return row
            }
            return try rows.nextRow()
        }
        while let row = try nextRow() {
            if row.isBlank && header == nil { continue }
            if row.cells.first?.hasPrefix("#") == true {
                if header == nil && HeaderSearch.isPropertyMarker(row.cells[0]) {
                    header = row
                } else {
                    metadata.append(row.cells.enumerated().map { $0.offset == 0 ? String($0.element.dropFirst()) : $0.element })
                    metadataLines.append(row.line)
                }
                continue
            }
            if header != nil {
                firstData = row
                break
            }
            // A title (one filled cell, in the first column, reading like a title) above a wider row is not the header.
            if HeaderSearch.looksLikeTitle(row) && titles.count < HeaderSearch.maximumTitleRows {
                var next = try rows.nextRow()
                while let blank = next, blank.isBlank { next = try rows.nextRow() }
                if let next, HeaderSearch.filled(next) >= 2 {
                    titles.insert(metadata.count)
                    metadata.append(row.cells.filter { !$0.isEmpty })
                    metadataLines.append(row.line)
                    lookahead = next
                    continue
                }
                header = row
                firstData = next
                break
            }
            header = row
            break
        }
    }

    /// `#property`, alone or followed by a note (`#property<-- プロパティの名前またはURI`, LinkData's template).
    static func isPropertyMarker(_ cell: String) -> Bool {
        let lower = cell.lowercased()
        guard lower.hasPrefix("#property") else { return false }
        let rest = lower.dropFirst("#property".count)
        return rest.first.map { !$0.isLetter && !$0.isNumber && $0 != "_" } ?? true
    }

    static func filled(_ row: CSVRow) -> Int { row.cells.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) } }

    /// One filled cell, the first, long or worded like a title (一覧, 現在, 年…): a short single name ("ID") is more
    /// likely a header whose other names are missing.
    static func looksLikeTitle(_ row: CSVRow) -> Bool {
        guard filled(row) == 1, let text = row.cells.first, !text.isEmpty else { return false }
        return text.count >= 8 || ["一覧", "現在", "年", "月", "データ", "リスト", "表"].contains { text.contains($0) }
    }

    /// A finding per metadata row.
    var findings: [Finding] {
        metadata.indices.map { index in
            titles.contains(index)
                ? Finding(.titleRow, .info, line: metadataLines[index], message: "a title above the table, kept in the report's source.metadata")
                : Finding(
                    .metadataRow,
                    .info,
                    line: metadataLines[index],
                    message: "metadata row #\(metadata[index].first ?? "") kept in the report's source.metadata"
                )
        }
    }
}
