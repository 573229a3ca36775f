import CivicData
import Foundation
import Testing

@testable import CivicExcel

/// Real files (CivicDataTests' realdata fixtures) converted to .xlsx by two real producers, openpyxl and
/// LibreOffice (Fixtures/realdata, made by tools/make_xlsx_fixtures.py): read as workbooks they give the same
/// normalised records and the same findings as the CSV files, apart from the cell-reference form (and the workbook
/// findings, which a CSV cannot have).
@Suite struct RealWorkbookTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    /// The CSV originals, in the core's test fixtures.
    static let csvFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CivicDataTests/Fixtures/realdata")

    struct Entry: Decodable {
        struct Difference: Decodable {
            var cell: String
            var csv: String
            var stored: String
        }
        var file: String
        var source_csv: String
        var producer: String
        var differing_cells: [Difference]
    }

    /// Read where it is used, so that a missing or broken manifest fails those tests instead of crashing the run.
    static var manifest: [Entry] {
        get throws {
            struct Manifest: Decodable { var files: [Entry] }
            let data = try Data(contentsOf: fixtures.appendingPathComponent("realdata/manifest.json"))
            return try JSONDecoder().decode(Manifest.self, from: data).files
        }
    }

    /// A finding without where it is: what must match between the CSV and the workbook.
    struct What: Hashable, CustomStringConvertible {
        var code: String
        var severity: String
        var column: String?
        var field: String?
        var before: String?
        var after: String?
        var description: String { "\(code) \(severity) \(column ?? "-") \(before ?? "") → \(after ?? "")" }
    }

    static func read(_ url: URL) throws -> (records: [NormalizedRecord], findings: [Finding], reader: DatasetReader) {
        let reader = try DatasetReader.open(.file(url))
        let collector = FindingCollector()
        var records: [NormalizedRecord] = []
        while let record = try reader.next(reportingTo: collector) { records.append(record) }
        return (records, collector.findings, reader)
    }

    static func what(_ findings: [Finding]) -> [What: Int] {
        var counts: [What: Int] = [:]
        for finding in findings where !finding.code.rawValue.hasPrefix("workbook.") {
            counts[
                What(
                    code: finding.code.rawValue,
                    severity: finding.severity.rawValue,
                    column: finding.column,
                    field: finding.field,
                    before: finding.before,
                    after: finding.after
                ),
                default: 0
            ] += 1
        }
        return counts
    }

    static var faithful: [Entry] { get throws { try manifest.filter { $0.differing_cells.isEmpty } } }

    @Test(arguments: try faithful.map(\.file))
    func sameRecordsAndFindingsAsTheCSV(file: String) throws {
        let entry = try #require(try Self.manifest.first { $0.file == file })
        let csv = try Self.read(Self.csvFolder.appendingPathComponent(entry.source_csv))
        let workbook = try Self.read(Self.fixtures.appendingPathComponent("realdata/" + file))
        #expect(workbook.reader.schema.id == csv.reader.schema.id)
        #expect(workbook.reader.recognition.layout == csv.reader.recognition.layout)
        Self.expectSame(workbook, csv)
        // Every finding of a workbook names its cell or row.
        #expect(workbook.findings.filter { $0.line != nil }.allSatisfy { $0.cell?.contains("!") == true })
        #expect(workbook.reader.sourceDescription.format == "xlsx")
    }

    /// LibreOffice's default import turns some texts into numbers (0002 → 2, 35.7660 → 35.766): Civic reads what
    /// the workbook holds, exactly at those cells, and the rest as the CSV.
    @Test(arguments: try manifest.filter { !$0.differing_cells.isEmpty }.map(\.file))
    func readsWhatTheWorkbookHoldsWhereTheProducerChangedIt(file: String) throws {
        let entry = try #require(try Self.manifest.first { $0.file == file })
        let rows = try WorksheetRows(workbook: try Workbook(url: Self.fixtures.appendingPathComponent("realdata/" + file)))
        var cells: [String: String] = [:]
        while let row = try rows.nextRow() {
            for (index, value) in row.cells.enumerated() {
                if let reference = rows.cellReference(line: row.line, column: index) { cells[reference] = value }
            }
        }
        for difference in entry.differing_cells {
            // The manifest writes Sheet!B5; Civic quotes sheet names with punctuation ('my-sheet'!B5) as Excel does.
            let bang = try #require(difference.cell.lastIndex(of: "!"))
            let reference = CellReference.sheetPrefix(String(difference.cell[..<bang])) + difference.cell[difference.cell.index(after: bang)...]
            #expect(cells[reference] == difference.stored, "\(difference.cell)")
        }
    }

    @Test func workbookFindingsNameCells() throws {
        // openpyxl kept "138.320350" as text (a number would lose the zero): a number stored as text in 経度.
        let (_, findings, _) = try Self.read(Self.fixtures.appendingPathComponent("realdata/openpyxl/yaizu-222127__222127_aed.xlsx"))
        let asText = findings.filter { $0.code == .workbookNumberAsText }
        #expect(!asText.isEmpty)
        #expect(asText.allSatisfy { $0.cell?.hasPrefix("Sheet1!J") == true && $0.column == "経度" })
    }

    /// A workbook read gives the CSV's columns, records, coordinates and findings (apart from workbook-only ones).
    static func expectSame(
        _ workbook: (records: [NormalizedRecord], findings: [Finding], reader: DatasetReader),
        _ csv: (records: [NormalizedRecord], findings: [Finding], reader: DatasetReader)
    ) {
        #expect(workbook.reader.outputColumns == csv.reader.outputColumns)
        #expect(workbook.records.count == csv.records.count)
        for (a, b) in zip(workbook.records, csv.records) where a.values != b.values {
            let columns = a.values.indices.filter { a.values[$0] != b.values[$0] }
            Issue.record("line \(b.line): \(columns.map { "\(csv.reader.outputColumns[$0]): \(a.values[$0]) ≠ \(b.values[$0])" })")
        }
        #expect(zip(workbook.records, csv.records).allSatisfy { $0.latitude == $1.latitude && $0.longitude == $1.longitude })
        let fromWorkbook = what(workbook.findings)
        let fromCSV = what(csv.findings)
        for (what, count) in fromCSV where fromWorkbook[what] != count {
            Issue.record("CSV has \(count) × \(what), workbook \(fromWorkbook[what] ?? 0)")
        }
        for (what, count) in fromWorkbook where fromCSV[what] == nil {
            Issue.record("workbook only: \(count) × \(what)")
        }
    }
}
