import Testing

@testable import CivicData

/// Nothing is lost: every non-empty input cell of every real file is in the output record or in the report.
@Suite struct LosslessTests {
    @Test(arguments: Fixture.realFiles)
    func everyCellIsInTheOutputOrTheReport(_ file: String) throws {
        let url = Fixture.url("realdata/" + file)
        let (records, report) = try DatasetReader.readAll(source: .file(url))

        // The raw rows, read independently of the dataset pipeline.
        let reader = try CSVReader(source: UTF8ChunkReader(url: url))
        var raw: [CSVRow] = []
        while let row = try reader.nextRow() { raw.append(row) }
        let headerIndex = raw.firstIndex { $0.line == report.source.headerLine }!
        let header = raw[headerIndex].cells
        // `#` rows before the first data row are metadata (高松市 puts two after the #property header).
        let afterHeader = raw[(headerIndex + 1)...]
        let firstData = afterHeader.firstIndex { !$0.isBlank && !($0.cells.first?.hasPrefix("#") ?? false) } ?? raw.endIndex
        let data = raw[firstData...].filter { !$0.isBlank }
        #expect(data.count == records.count)

        // Metadata rows are in the report, cell for cell.
        let metadataRows = raw[..<firstData].filter { !$0.isBlank && $0.line != report.source.headerLine }
        #expect(metadataRows.count == report.source.metadata.count)
        for (row, kept) in zip(metadataRows, report.source.metadata) {
            #expect(kept == [String(row.cells[0].dropFirst())] + row.cells.dropFirst())
        }

        var findingsByPlace: [String: [Finding]] = [:]
        for finding in report.findings {
            findingsByPlace["\(finding.line ?? 0)|\(finding.column ?? "")", default: []].append(finding)
        }
        let outputIndex = Dictionary(uniqueKeysWithValues: report.outputColumns.enumerated().map { ($1, $0) })
        var checked = 0
        for (row, record) in zip(data, records) {
            #expect(row.line == record.line)
            for (position, value) in row.cells.enumerated() where !value.isEmpty {
                checked += 1
                let column = position < header.count ? header[position] : "列\(position + 1)"
                let reported = findingsByPlace["\(row.line)|\(column)"]?.contains { $0.before == value } ?? false
                if reported { continue }
                guard position < header.count else {
                    Issue.record("\(file):\(row.line): cell \(position + 1) beyond the header is neither output nor reported")
                    continue
                }
                let mapping = report.columns[position]
                let outputs = mapping.output.map { record.values[outputIndex[$0]!] }
                let kept: Bool
                switch mapping.how {
                case .same, .legacyName, .alias, .extra:
                    kept = outputs[0] == value
                case .joined:
                    kept = outputs[0].contains(value)
                case .packedCoordinates:
                    kept = outputs.allSatisfy { !$0.isEmpty && value.contains($0) }
                }
                #expect(kept, "\(file):\(row.line) column \(column): the value is neither in the output nor in the report")
            }
        }
        #expect(checked > 0)
    }
}
