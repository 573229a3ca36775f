import Foundation
import Testing

@testable import CivicData

/// The parts of `DatasetReader`, each on its own: finding the header, a row's shape, the coordinate check.
@Suite struct ReaderPartsTests {
    static func rows(_ text: String) throws -> CSVReader {
        try CSVReader(source: try UTF8ChunkReader(bytes: Array(text.utf8), displayName: "t.csv", encoding: nil), delimiter: nil)
    }

    @Test(arguments: [
        // text, header line, header first cell, metadata rows, the first data row read ahead (only past # rows)
        ("名称,住所\na,b\n", 1, "名称", 0, 0),
        ("\n\n名称,住所\na,b\n", 3, "名称", 0, 0),
        ("#title,焼津市\n#note\n名称,住所\na,b\n", 3, "名称", 2, 0),
        ("#タイトル\n#property,名称\n#description,x\na,b\n", 2, "#property", 2, 4),
        ("名称,住所\n", 1, "名称", 0, 0),
    ])
    func findsTheHeader(text: String, headerLine: Int, first: String, metadata: Int, dataLine: Int) throws {
        let search = try HeaderSearch(rows: try Self.rows(text))
        let header = try #require(search.header)
        #expect(header.line == headerLine && header.cells.first == first)
        #expect(search.metadata.count == metadata && search.findings.count == metadata)
        #expect(search.findings.allSatisfy { $0.code == .metadataRow })
        #expect((search.firstData?.line ?? 0) == dataLine)
    }

    @Test func anEmptyFileHasNoHeader() throws {
        #expect(try HeaderSearch(rows: try Self.rows("\n\n#only a comment\n")).header == nil)
    }

    @Test(arguments: [
        // cells, header count, expected codes and severities
        (["a", "b", "c"], 3, [String]()),
        (["a", "b"], 3, ["row.tooFewCells warning"]),
        (["a", "b", "c", "", ""], 3, ["row.tooManyCells info"]),
        (["a", "b", "c", "x", "", "y"], 3, ["row.tooManyCells error 列4", "row.tooManyCells error 列6"]),
    ])
    func checksARowsShape(cells: [String], headerCount: Int, expected: [String]) {
        var findings: [Finding] = []
        RowShape.findings(for: CSVRow(line: 7, cells: cells), headerCount: headerCount, into: &findings)
        #expect(findings.map { "\($0.code) \($0.severity.rawValue)" + ($0.column.map { " \($0)" } ?? "") } == expected)
        #expect(findings.allSatisfy { $0.line == 7 })
    }

    @Test func anUnterminatedQuoteIsAnError() {
        var findings: [Finding] = []
        RowShape.findings(for: CSVRow(line: 3, cells: ["a", "b"], hasUnterminatedQuote: true), headerCount: 2, into: &findings)
        #expect(findings.map(\.code) == [.rowUnterminatedQuote] && findings.first?.severity == .error)
    }

    static let check = CoordinateCheck(latitudeField: "緯度", longitudeField: "経度", latitudeColumn: "lat", longitudeColumn: "lon")

    @Test(arguments: [
        // latitude, longitude, has X/Y, expected point (lat, lon) or nil, swapped, codes
        ("34.866918", "138.323171", false, [34.866918, 138.323171], false, [String]()),
        ("138.323171", "34.866918", false, [34.866918, 138.323171], true, ["coordinates.swapped", "coordinates.swapped"]),
        ("", "", false, [Double](), false, ["coordinates.missing"]),
        ("", "", true, [Double](), false, [String]()),
        ("34.8", "", false, [Double](), false, ["coordinates.incomplete"]),
        ("34.8(参考値)", "138.3", false, [Double](), false, ["coordinate.notNumber"]),
        ("95", "138.3", false, [Double](), false, ["coordinate.outOfRange"]),
        ("3486.6918", "138.323171", false, [Double](), false, ["coordinate.decimalPointLost"]),
        ("3503432", "135.5", false, [Double](), false, ["coordinate.decimalPointLost"]),
        ("35.03432", "1355", false, [Double](), false, ["coordinate.decimalPointLost"]),
        ("3.503432", "135.5", false, [Double](), false, ["coordinate.decimalPointLost"]),
        ("8628948133", "33.8", false, [Double](), false, ["coordinate.outOfRange"]),
        ("-34.8", "138.3", false, [Double](), false, ["coordinates.outsideJapan"]),
        ("34.8", "-138.3", false, [Double](), false, ["coordinates.outsideJapan"]),
        ("3503432", "1355", false, [Double](), false, ["coordinate.outOfRange"]),
        ("51.5", "-0.12", false, [Double](), false, ["coordinates.outsideJapan"]),
        ("34.8", "34.8", false, [Double](), false, ["coordinates.equal"]),
    ])
    func checksCoordinates(latitude: String, longitude: String, plane: Bool, point: [Double], swapped: Bool, codes: [String]) {
        var findings: [Finding] = []
        let outcome = Self.check.check(latitudeText: latitude, longitudeText: longitude, line: 2, hasPlanePoint: plane, into: &findings)
        #expect(findings.map(\.code.rawValue) == codes)
        #expect(outcome.swapped == swapped)
        if point.isEmpty {
            #expect(outcome.latitude == nil && outcome.longitude == nil)
        } else {
            #expect(outcome.latitude == point[0] && outcome.longitude == point[1])
        }
    }

    @Test(arguments: [
        ("34.866918,138.323171", "34.866918", "138.323171"),
        ("138.323171, 34.866918", "34.866918", "138.323171"),
        ("３４．８６６９１８　１３８．３２３１７１", "34.866918", "138.323171"),
        ("34.866918/138.323171", "34.866918", "138.323171"),
    ])
    func unpacksAPackedPair(raw: String, latitude: String, longitude: String) throws {
        let parts = try #require(CoordinateCheck.unpack(raw))
        #expect(parts.latitude == latitude && parts.longitude == longitude)
    }

    @Test func aPackedCellThatIsNotTwoNumbersIsNil() {
        #expect(CoordinateCheck.unpack("34.8") == nil)
        #expect(CoordinateCheck.unpack("北緯34度") == nil)
        #expect(CoordinateCheck.unpack("1,2,3") == nil)
    }
}

/// Titles, totals and notes around a CSV's table, as in a workbook.
@Suite struct TableAroundTests {
    static func read(_ text: String) throws -> (records: [NormalizedRecord], report: Report) {
        try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "aed.csv"), options: ReadOptions(dataset: "aed"))
    }

    @Test func aTitleAboveTheHeaderIsKeptAsMetadata() throws {
        let text = "焼津市 AED設置箇所一覧（令和6年4月1日現在）,,,\r\n\r\nID,名称,緯度,経度\r\n1,市役所,34.866918,138.323171\r\n"
        let (records, report) = try Self.read(text)
        #expect(report.source.headerLine == 3 && records.count == 1)
        #expect(report.source.metadata == [["焼津市 AED設置箇所一覧（令和6年4月1日現在）"]])
        #expect(report.findings.contains { $0.code == .titleRow && $0.line == 1 })
    }

    @Test func aShortSingleNameIsStillAHeader() throws {
        // A one-column file: the header has one name, and the rows one value.
        let (records, report) = try DatasetReader.readAll(
            source: .bytes(Array("名称\r\n市役所\r\n".utf8), name: "x.csv"),
            options: ReadOptions(dataset: "aed")
        )
        #expect(report.source.headerLine == 1 && records.count == 1)
    }

    @Test func totalsAndNotesAreNotRecords() throws {
        let text = "ID,名称,緯度,経度\r\n1,市役所,34.866918,138.323171\r\n合計,1,,\r\n※ 休館日は設置場所にお問い合わせください,,,\r\n"
        let (records, report) = try Self.read(text)
        #expect(records.count == 1)
        #expect(report.findings.contains { $0.code == .rowTotal && $0.line == 3 && $0.before == "合計 | 1" })
        #expect(report.findings.contains { $0.code == .rowNote && $0.line == 4 })
    }
}
