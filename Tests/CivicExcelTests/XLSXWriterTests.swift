import CivicData
import Foundation
import Testing

@testable import CivicExcel

/// `XLSXWriter` on a real file: what it writes reads back as the same records, with codes and phone numbers as
/// text (leading zeros kept), coordinates as numbers, and dates as dates. (LibreOffice opening it is checked by
/// integration/xlsx/check.py in `make test`.)
@Suite struct XLSXWriterTests {
    static let csv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CivicDataTests/Fixtures/realdata")

    static func write(_ name: String) throws -> (records: [NormalizedRecord], bytes: [UInt8], columns: [String]) {
        let (records, _) = try DatasetReader.readAll(source: .file(csv.appendingPathComponent(name)))
        let reader = try DatasetReader(source: .file(csv.appendingPathComponent(name)))
        let writer = try XLSXWriter(columns: reader.outputColumns, types: XLSXWriter.types(for: reader.layout), sheetName: reader.schema.title)
        for record in records { try writer.writeRow(record.values) }
        return (records, try writer.finishBytes(), reader.outputColumns)
    }

    @Test(arguments: ["yaizu-222127__222127_aed.csv", "ichikawa-122033__122033_105_preschool.csv", "yaizu-222127__222127_evacuation_space.csv"])
    func readsBackTheSameRecords(name: String) throws {
        let (records, bytes, columns) = try Self.write(name)
        let reader = try DatasetReader.open(.bytes(bytes, name: "written.xlsx"))
        let collector = FindingCollector()
        var again: [NormalizedRecord] = []
        while let record = try reader.next(reportingTo: collector) { again.append(record) }
        #expect(reader.outputColumns == columns)
        #expect(again.count == records.count)
        // Numbers are stored as numbers: 138.309570 reads back as 138.30957, the same number.
        func same(_ a: String, _ b: String) -> Bool { a == b || (Double(a) != nil && Double(a) == Double(b)) }
        for (a, b) in zip(again, records) {
            let differing = a.values.indices.filter { !same(a.values[$0], b.values[$0]) }
            if !differing.isEmpty { Issue.record("line \(b.line): \(differing.map { "\(columns[$0]): \(a.values[$0]) ≠ \(b.values[$0])" })") }
        }
        // Normalised data has nothing left to fix, and no cell is stored in the wrong type.
        #expect(collector.findings.filter { $0.severity == .fixed || $0.code.rawValue.hasPrefix("workbook.") }.isEmpty)
    }

    @Test func typesTheCells() throws {
        let (records, bytes, columns) = try Self.write("yaizu-222127__222127_aed.csv")
        let workbook = try Workbook(bytes: bytes, name: "written.xlsx")
        #expect(workbook.sheets.map(\.name) == ["AED設置箇所一覧"])
        let stream = try SheetStream(workbook: workbook, sheet: workbook.sheets[0])
        var rows: [SheetRow] = []
        while let row = try stream.next() { rows.append(row) }
        #expect(rows.count == records.count + 1 && rows[0].number == 1)
        func kind(_ column: String, row: Int = 1) -> SheetCell.Kind? {
            let index = columns.firstIndex(of: column)!
            return rows[row].cells.first { $0.column == index }?.kind
        }
        #expect(kind("全国地方公共団体コード") == .text)
        #expect(kind("ID") == .text)
        #expect(rows[1].cells.first { $0.column == columns.firstIndex(of: "ID")! }?.text == "0000000001")
        #expect(kind("電話番号") == .text)
        #expect(kind("緯度") == .number && kind("経度") == .number)
        #expect(stream.layout?.merges.isEmpty == true)
    }

    @Test func datesAndTimesAreRealDates() throws {
        let writer = try XLSXWriter(columns: ["日付", "時刻", "名称"], types: [.date, .time, .text])
        try writer.writeRow(["2024-04-01", "09:30", "=1+1"])
        try writer.writeRow(["2024-02-30", "25:00", "0123"])
        let workbook = try Workbook(bytes: try writer.finishBytes(), name: "dates.xlsx")
        let stream = try SheetStream(workbook: workbook, sheet: workbook.sheets[0])
        _ = try stream.next()
        let first = try #require(try stream.next())
        #expect(first.cells.map(\.text) == ["2024-04-01", "09:30", "=1+1"])
        #expect(first.cells.map(\.kind) == [.date, .date, .text])
        // Not a real date or time: kept as the text it is.
        let second = try #require(try stream.next())
        #expect(second.cells.map(\.text) == ["2024-02-30", "25:00", "0123"])
        #expect(second.cells.map(\.kind) == [.text, .text, .text])
    }
}

/// The worksheet's name is a signal like the file's.
@Suite struct SheetNameRecognitionTests {
    @Test func aSheetNamedForADatasetDecidesWhenTheColumnsCannot() throws {
        let columns = ["交付番号", "施設名称", "設置場所住所", "緯度", "経度"]
        let writer = try XLSXWriter(columns: columns, types: columns.map { _ in .text }, sheetName: "AED設置場所")
        try writer.writeRow(["1", "住吉駅", "神戸市東灘区住吉本町1-2", "34.719504", "135.262343"])
        let reader = try DatasetReader.open(.bytes(try writer.finishBytes(), name: "list.xlsx"))
        #expect(reader.recognition.dataset == "aed" && reader.recognition.layout == .nonStandard)
        #expect(reader.recognition.reason.contains("the file (or sheet) name points to"))
    }
}
