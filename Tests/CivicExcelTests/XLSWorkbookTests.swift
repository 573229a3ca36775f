import CivicData
import Foundation
import Testing

@testable import CivicExcel

/// Legacy .xls workbooks read through FreeXL (Fixtures/xls, made by tools/make_xls_fixtures.sh): the same rows and
/// findings as the .xlsx they were saved from (but for what FreeXL cannot tell: hidden rows and columns, merged cells),
/// the same records and findings as the CSV originals, a genuine BIFF8 file, and damaged files.
@Suite struct XLSWorkbookTests {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/xls")
    static let features = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/features")

    /// Findings FreeXL's API has nothing for (no row/column flags, no merged ranges, no formulas or error values).
    static let xlsxOnly: Set<FindingCode> = [
        .workbookHiddenRow, .workbookHiddenColumn, .workbookMergedCells, .workbookErrorValue, .workbookFormulaWithoutValue,
    ]

    /// Every row the source yields and every finding it makes (`code cell severity`).
    static func read(_ rows: WorksheetRows) throws -> (rows: [CSVRow], findings: [String]) {
        var read: [CSVRow] = []
        var findings = rows.takeFindings()
        while let row = try rows.nextRow() {
            read.append(row)
            findings += rows.takeFindings()
        }
        findings += rows.takeFindings()
        return (read, findings.filter { !xlsxOnly.contains($0.code) }.map { "\($0.code.rawValue) \($0.cell ?? "-") \($0.severity.rawValue)" })
    }

    static let featureNames = ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("features").path)) ?? [])
        .filter { $0.hasSuffix(".xls") }.map { String($0.dropLast(4)) }.sorted()

    /// Where FreeXL reads differently (docs/excel.md): booleans come as empty cells (FreeXL 1.0.6 returns
    /// FREEXL_CELL_NULL for them), and serial 0 of the 1904 date system as 1904-01-02 (FreeXL's date arithmetic).
    static let freeXLDifferences: [String: [Int: [String]]] = [
        "numbers_bools": [12: ["真 (t=\"b\")", ""], 13: ["偽 (t=\"b\")", ""]],
        "dates_1904": [2: ["シリアル0 (1904年1月1日)", "1904-01-02"]],
    ]

    /// Dates (1900 and 1904 systems), times, numbers in their shortest form, title rows, spacer columns, a second
    /// table and numbers stored as text: as from the .xlsx.
    @Test(arguments: featureNames)
    func sameRowsAndFindingsAsTheXLSX(name: String) throws {
        var xlsx = try Self.read(try WorksheetRows(workbook: try Workbook(url: Self.features.appendingPathComponent(name + ".xlsx"))))
        for (index, row) in xlsx.rows.enumerated() {
            if let cells = Self.freeXLDifferences[name]?[row.line] { xlsx.rows[index].cells = cells }
        }
        let xls = try Self.read(try WorksheetRows(workbook: try XLSWorkbook(url: Self.folder.appendingPathComponent("features/\(name).xls"))))
        #expect(xls.rows.count == xlsx.rows.count)
        for (a, b) in zip(xls.rows, xlsx.rows) where a.line != b.line || a.cells != b.cells || a.numbersStoredAsText != b.numbersStoredAsText {
            Issue.record("row \(b.line): xls \(a.line) \(a.cells) \(a.numbersStoredAsText) ≠ xlsx \(b.cells) \(b.numbersStoredAsText)")
        }
        #expect(xls.findings == xlsx.findings)
    }

    static let realNames = ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("libreoffice").path)) ?? [])
        .filter { $0.hasSuffix(".xls") }.sorted()

    /// Real municipal CSVs, saved as .xlsx and then .xls by LibreOffice: the same records and findings as the CSV.
    @Test(arguments: realNames)
    func sameRecordsAndFindingsAsTheCSV(file: String) throws {
        let csv = try RealWorkbookTests.read(RealWorkbookTests.csvFolder.appendingPathComponent(String(file.dropLast(4)) + ".csv"))
        let xls = try RealWorkbookTests.read(Self.folder.appendingPathComponent("libreoffice/" + file))
        #expect(xls.reader.sourceDescription.format == "xls")
        #expect(xls.reader.schema.id == csv.reader.schema.id)
        RealWorkbookTests.expectSame(xls, csv)
        #expect(xls.findings.filter { $0.line != nil }.allSatisfy { $0.cell?.contains("!") == true })
    }

    /// 焼津市 AED: 34.866918 stays 34.866918 (a number in the .xls), and numbers kept as text are findings at their cells.
    @Test func numbersAndCellReferences() throws {
        let url = Self.folder.appendingPathComponent("libreoffice/yaizu-222127__222127_aed.xls")
        let rows = try WorksheetRows(workbook: try XLSWorkbook(url: url))
        #expect(rows.sheet.name == "yaizu-222127__222127_aed")
        let all = try Self.read(rows)
        #expect(all.rows.dropFirst().first?.cells.contains("34.866918") == true)
        #expect(rows.cellReference(line: 12, column: 1) == "'yaizu-222127__222127_aed'!B12")
    }

    /// The same file saved again by LibreOffice: the `#` metadata rows (#LINK, #lang, #attribution_name, #license…)
    /// come first, as a CSV's would, then the #property row as the header and the records. Its RDF columns match no
    /// standard dataset well, but the file name (ube_cultural_property) names 文化財一覧, so it is read as that, in a
    /// non-standard layout, as the CSV would be.
    @Test func linkDataTemplate() throws {
        let url = Self.folder.appendingPathComponent("real/ube-352021__ube_cultural_property.resaved.xls")
        let workbook = try XLSWorkbook(url: url, name: "ube.xls")
        #expect(workbook.sheets.map(\.name) == ["Sheet0"])
        let rows = try WorksheetRows(workbook: workbook)
        let all = try Self.read(rows)
        #expect(all.rows.count == 87)
        #expect(all.rows.prefix(10).allSatisfy { $0.cells[0].hasPrefix("#") })
        #expect(all.rows[3].cells.prefix(2) == ["#attribution_name", "宇部市"])
        #expect(all.rows[7].line == 8 && all.rows[7].cells[1] == "http://www.w3.org/2000/01/rdf-schema#label")
        #expect(all.rows[10].cells[2] == "33.958126")
        #expect(all.findings.allSatisfy { $0.contains("Sheet0!") })
        let reader = try DatasetReader.open(.file(url))
        #expect(reader.recognition.dataset == "cultural_property" && reader.recognition.layout == .nonStandard)
        #expect(reader.sourceDescription.headerLine == 8)
    }

    @Test func anXLSNamedCSVIsReadAsXLS() throws {
        let named = try RealWorkbookTests.read(Self.folder.appendingPathComponent("hostile/xls_named.csv"))
        let real = try RealWorkbookTests.read(Self.folder.appendingPathComponent("libreoffice/yaizu-222127__222127_aed.xls"))
        #expect(named.reader.sourceDescription.format == "xls")
        #expect(named.records.map(\.values) == real.records.map(\.values))
    }

    @Test func bytesAreReadAsXLS() throws {
        let url = Self.folder.appendingPathComponent("libreoffice/komae-132195__132195_aed.xls")
        let bytes = try [UInt8](Data(contentsOf: url))
        let reader = try DatasetReader.open(.bytes(bytes, name: "komae.xls"))
        var count = 0
        while try reader.next(reportingTo: FindingCollector()) != nil { count += 1 }
        let file = try RealWorkbookTests.read(url)
        #expect(count == file.records.count)
        #expect(reader.sourceDescription.format == "xls")
        #expect(reader.sourceDescription.bytes == bytes.count)
    }

    /// Damaged files end in a `WorkbookError` naming the file, from a path and from bytes alike.
    @Test(arguments: ["truncated.xls", "random_after_signature.xls"])
    func damagedFilesFailClearly(name: String) throws {
        let url = Self.folder.appendingPathComponent("hostile/" + name)
        let error = try #require(throws: WorkbookError.self) { _ = try DatasetReader.open(.file(url)) }
        #expect(error.description.hasPrefix(url.relativePath + ": "))
        #expect([.notAnXLS, .invalidContent].contains(error.code))
        let bytes = try [UInt8](Data(contentsOf: url))
        let fromBytes = try #require(throws: WorkbookError.self) { _ = try DatasetReader.open(.bytes(bytes, name: name)) }
        #expect(fromBytes.description.hasPrefix(name + ": "))
    }

    @Test func tooLargeIsRefusedBeforeFreeXLReadsIt() throws {
        var limits = WorkbookLimits()
        limits.maximumPartBytes = 10_000
        let url = Self.folder.appendingPathComponent("libreoffice/yaizu-222127__222127_aed.xls")
        let error = try #require(throws: WorkbookError.self) { _ = try XLSWorkbook(url: url, name: "yaizu.xls", limits: limits) }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber).intValue
        #expect(error.code == .tooLarge)
        #expect(error.description == "yaizu.xls: \(size) bytes, more than the 10000 an .xls may have")
    }

    @Test func unknownSheetNamesTheOthers() throws {
        let workbook = try XLSWorkbook(url: Self.folder.appendingPathComponent("features/dates_1900.xls"), name: "dates.xls")
        let error = try #require(throws: WorkbookError.self) { _ = try workbook.sheet(.name("nope")) }
        #expect(error.code == .noSuchSheet)
        #expect(error.description.hasPrefix("dates.xls: no sheet 'nope'; the workbook has: 1 "))
    }
}
