import Testing

@testable import CivicData

/// Lines below a table after a blank row (港区's lists end `"区民避難場所・福祉避難所情報","Ver202204",,,,`): not records
/// when nothing follows them; records as usual when the table goes on.
@Suite struct FooterRowTests {
    static let header = "地区,施設名,住所,分類,緯度,経度\n"
    static let rows = "芝地区,芝小学校,東京都港区芝二丁目1番1号,区民避難所,35.65,139.75\n麻布地区,麻布小学校,東京都港区六本木5-1,福祉避難所,35.66,139.73\n"

    @Test func linesBelowTheTableAreReportedNotRead() throws {
        let text = Self.header + Self.rows + "\n\"区民避難場所・福祉避難所情報\",\"Ver202204\",,,,\n"
        let (records, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "list.csv"))
        #expect(records.map(\.line) == [2, 3])
        let footer = try #require(report.findings.first { $0.code == .rowFooter })
        #expect(footer.line == 5 && footer.severity == .warning)
        #expect(footer.before == "区民避難場所・福祉避難所情報 | Ver202204")
        #expect(report.findings.contains { $0.code == .rowBlank && $0.line == 4 })
    }

    @Test func sparseRowsFollowedByTheTableAreRecords() throws {
        // A blank row, a row with two cells, another blank row, then full rows: every row after the blank is a record.
        let text = Self.header + Self.rows + "\n赤坂地区,赤坂中学校,,,,\n\n" + Self.rows
        let (records, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "list.csv"))
        #expect(records.map(\.line) == [2, 3, 5, 7, 8])
        #expect(!report.findings.contains { $0.code == .rowFooter })
        #expect(report.findings.filter { $0.code == .rowBlank }.map(\.line) == [4, 6])
        let lines = report.findings.compactMap(\.line)
        #expect(lines == lines.sorted())
    }

    @Test func theSameOnOneThreadAndTwo() throws {
        let text = Self.header + Self.rows + "\n赤坂地区,,,,,\n\n\"情報\",\"Ver1\",,,,\n"
        var options = ReadOptions()
        options.readAhead = false
        let one = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "list.csv"), options: options)
        let two = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "list.csv"))
        #expect(one.records == two.records && one.report == two.report)
        #expect(one.report.findings.filter { $0.code == .rowFooter }.map(\.line) == [5, 7])
    }
}

/// Block numbers Excel made into dates (東村山市's 消火栓 list: 2月22日, Feb-39 for 2-22, 2-39): reported, kept.
@Suite struct ExcelDateTests {
    @Test(arguments: ["2月22日", "２月２２日", "Feb-39", "Oct-35", "22-Feb", "12月1日"])
    func datesExcelMadeAreRecognised(_ value: String) {
        #expect(CellNormalizer.isExcelDate(value))
    }

    @Test(arguments: ["2-22", "22", "13月1日", "Foo-12", "Feb-", "2月22日頃", "本町2月22日", "Feb-123"])
    func otherValuesAreNot(_ value: String) {
        #expect(!CellNormalizer.isExcelDate(value))
    }

    @Test func aBlockNumberColumnReportsThemAndKeepsThem() throws {
        let text = "名称,所在地_番地以下,緯度,経度\n消火栓1,2月22日,35.75,139.47\n消火栓2,2-39,35.75,139.47\n"
        let (records, report) = try DatasetReader.readAll(
            source: .bytes(Array(text.utf8), name: "fire_hydrant.csv"),
            options: ReadOptions(dataset: "fire_hydrant")
        )
        let output = try #require(records.first)
        #expect(output.values.contains("2月22日"))
        let found = report.findings.filter { $0.code == .cellExcelDate }
        #expect(found.map(\.line) == [2] && found.first?.severity == .warning)
    }
}
