import CivicData
import Foundation
import Testing

@testable import CivicExcel

/// One workbook feature each (Fixtures/features, with the expected table and findings beside each file; made by
/// tools/make_xlsx_fixtures.py with openpyxl or as hand-written OOXML parts, all opened by LibreOffice there).
///
/// Where Civic chose differently from the sidecars (both keep every value): error values (#N/A) are read as empty
/// with the text in the finding, not as data; merged ranges are not filled in (the rows stream before the merges,
/// which OOXML lists after the rows), so covered cells are empty and the finding says so; title rows and a second
/// table get one finding per row.
@Suite struct FeatureWorkbookTests {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/features")

    struct Expected: Decodable {
        struct Table: Decodable {
            var header_row: Int
            var rows: [[String]]
        }
        struct Expectation: Decodable {
            var code: String
            var cell: String
            var severity: String
        }
        var sheet: String
        var cells: [[String]]
        var table: Table
        var findings: [Expectation]
    }

    static let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".xlsx") }.map { String($0.dropLast(5)) }.sorted()

    static func expected(_ name: String) throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: folder.appendingPathComponent(name + ".expected.json")))
    }

    /// Every row the source yields (blank rows left out, as the reader skips them) and every finding it makes.
    static func read(_ name: String, sheet: String) throws -> (rows: [CSVRow], findings: [Finding]) {
        let rows = try WorksheetRows(workbook: try Workbook(url: folder.appendingPathComponent(name + ".xlsx")), sheet: .name(sheet))
        var read: [CSVRow] = []
        var findings = rows.takeFindings()
        while let row = try rows.nextRow() {
            if !row.isBlank { read.append(row) }
            findings += rows.takeFindings()
        }
        return (read, findings + rows.takeFindings())
    }

    /// The rows a `Sheet!3:5` or `Sheet!B3:C5` reference covers.
    static func rows(of reference: String) -> ClosedRange<Int>? {
        guard let bang = reference.lastIndex(of: "!") else { return nil }
        let parts = reference[reference.index(after: bang)...].split(separator: ":").map { Int($0.filter(\.isNumber)) }
        guard let first = parts.first ?? nil else { return nil }
        let last = (parts.count > 1 ? parts[1] : first) ?? first
        return first...last
    }

    @Test func everyFixtureHasItsTest() {
        #expect(Self.names.count == 15)
    }

    @Test(arguments: names)
    func readsTheTable(name: String) throws {
        let expected = try Self.expected(name)
        let (rows, findings) = try Self.read(name, sheet: expected.sheet)
        var table = expected.table.rows
        // Civic's choices (see above): errors read as empty; merged ranges not filled in.
        let errorCells = expected.findings.filter { $0.code == "workbook.errorValue" }.map(\.cell)
        for expectation in expected.findings where expectation.code == "workbook.mergedCells" {
            guard let range = CellReference.parseRange(String(expectation.cell.split(separator: "!").last!)),
                range.first.row >= expected.table.header_row
            else { continue }
            for row in range.first.row...range.last.row where row != range.first.row {
                for column in range.first.column...range.last.column { table[row - expected.table.header_row][column] = "" }
            }
        }
        #expect(rows.first?.line == expected.table.header_row)
        #expect(rows.count == table.count)
        for (row, wanted) in zip(rows, table) {
            var wanted = wanted
            for cell in errorCells where Self.rows(of: cell)?.lowerBound == row.line {
                let letters = cell.split(separator: "!").last!.filter(\.isLetter)
                if let column = (0..<wanted.count).first(where: { CellReference.letters($0) == letters }) { wanted[column] = "" }
            }
            #expect(row.cells == wanted, "row \(row.line)")
        }
        // Each expected workbook finding is there, at its cell (or one per row of its range).
        for expectation in expected.findings where expectation.code.hasPrefix("workbook.") && expectation.code != "workbook.numberAsText" {
            let matching = findings.filter { $0.code.rawValue == expectation.code }
            let place = expectation.cell.split(separator: "!").last ?? ""
            if let range = Self.rows(of: expectation.cell), place.contains(":"), !place.contains(where: \.isLetter) {
                #expect(
                    !matching.isEmpty && matching.allSatisfy { Self.rows(of: $0.cell ?? "").map { range.contains($0.lowerBound) } == true },
                    "\(expectation.code) \(expectation.cell)"
                )
            } else {
                #expect(matching.contains { $0.cell == expectation.cell }, "\(expectation.code) \(expectation.cell): \(matching.map(\.cell))")
            }
        }
        // And nothing else of the workbook kind.
        let expectedCodes = Set(expected.findings.map(\.code))
        #expect(findings.filter { !expectedCodes.contains($0.code.rawValue) }.isEmpty, "\(findings.map { "\($0.code) \($0.cell ?? "")" })")
        // Values never silently dropped: errors and formulas without values keep their text in the report.
        for finding in findings where finding.code == .workbookErrorValue || finding.code == .workbookFormulaWithoutValue {
            #expect(finding.before?.isEmpty == false)
        }
    }

    /// Through the whole reader: numbers stored as text in 緯度/経度 are findings there (the reader knows the columns).
    @Test func numbersStoredAsTextInNumberColumns() throws {
        let expected = try Self.expected("numbers_as_text")
        let reader = try DatasetReader.open(.file(Self.folder.appendingPathComponent("numbers_as_text.xlsx")))
        let collector = FindingCollector()
        while try reader.next(reportingTo: collector) != nil {}
        let found = Set(collector.findings.filter { $0.code == .workbookNumberAsText }.compactMap(\.cell))
        #expect(found == Set(expected.findings.map(\.cell)))
    }

    /// Notes written into value cells are caught by the same checks as in a CSV (a note is not a number, a weekday…).
    @Test func notesInValueCellsAreFindings() throws {
        let expected = try Self.expected("notes_in_cells")
        let reader = try DatasetReader.open(.file(Self.folder.appendingPathComponent("notes_in_cells.xlsx")))
        let collector = FindingCollector()
        while try reader.next(reportingTo: collector) != nil {}
        for expectation in expected.findings {
            #expect(
                collector.findings.contains { $0.code.rawValue == expectation.code && $0.cell == expectation.cell },
                "\(expectation.code) \(expectation.cell)"
            )
        }
    }

    /// The first visible sheet unless named; a name or a 1-based number picks another, and a wrong one lists them.
    @Test func sheetChoice() throws {
        let workbook = try Workbook(url: Self.folder.appendingPathComponent("sheet_choice.xlsx"))
        #expect(workbook.sheets.count == 3)
        #expect(try workbook.sheet(.first).name == workbook.sheets[0].name)
        #expect(try workbook.sheet(.index(2)).name == "AED一覧")
        #expect(try workbook.sheet(Workbook.SheetSelector("AED一覧")).part == workbook.sheets[1].part)
        #expect(throws: WorkbookError.self) { try workbook.sheet(.name("なし")) }
        do {
            _ = try workbook.sheet(.index(9))
        } catch let error as WorkbookError {
            #expect(error.code == .noSuchSheet && error.message.contains("2 AED一覧"))
        }
    }

    /// After a blank row, a record with a single value is a sparse record, not the title of another table (the row
    /// after it holds data, not labels).
    @Test func aSparseRecordAfterABlankRowIsNotAnotherTable() throws {
        let writer = try XLSXWriter(columns: ["ID", "名称", "緯度", "経度"], types: [.text, .text, .number, .number])
        try writer.writeRow(["1", "市役所", "34.86", "138.32"])
        try writer.writeRow(["", "", "", ""])
        try writer.writeRow(["", "公民館", "", ""])
        try writer.writeRow(["3", "図書館", "34.87", "138.31"])
        let rows = try WorksheetRows(workbook: try Workbook(bytes: try writer.finishBytes(), name: "sparse.xlsx"))
        var read: [CSVRow] = []
        while let row = try rows.nextRow() { read.append(row) }
        #expect(read.map(\.line) == [1, 2, 3, 4, 5])
        #expect(read[3].cells == ["", "公民館", "", ""] && read[4].cells[1] == "図書館")
        #expect(!rows.takeFindings().contains { $0.code == .workbookOtherTable })
    }
}
