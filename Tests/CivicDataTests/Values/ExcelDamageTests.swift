import Testing

@testable import CivicData

/// What Excel does to cells: long codes in exponent notation (reported, never repaired), times as fractions of a day.
@Suite struct ExcelDamageTests {
    static func read(_ text: String) throws -> (records: [NormalizedRecord], report: Report) {
        try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "excel.csv"), options: ReadOptions(dataset: "aed"))
    }

    @Test(arguments: ["7.25001E+12", "1E+05", "2.22127e5", "7.25001E12"])
    func exponentNotationInACodeIsDamage(value: String) throws {
        let (records, report) = try Self.read("全国地方公共団体コード,ID,名称\r\n\(value),1,市役所\r\n")
        let damage = report.findings.filter { $0.code == .cellExponentNotation }
        #expect(damage.count == 1 && damage.first?.severity == .error && damage.first?.field == "全国地方公共団体コード")
        #expect(records[0].values[0] == value)  // kept as written: the digits cannot be recovered
        #expect(!report.findings.contains { $0.code == .codeFormat })
    }

    @Test func exponentNotationIsOnlyThat() {
        for value in ["222127", "E+12", "7.25E", "7,25E+12", "1.5", "7.25001E-12x"] {
            #expect(!CellNormalizer.isExponentNotation(value), "\(value)")
        }
        #expect(CellNormalizer.isExponentNotation("7.25001E-12") == false)
    }

    @Test(arguments: [("0.375", "09:00"), ("0.5", "12:00"), ("0.7291666666666666", "17:30"), ("0.0", "00:00")])
    func aFractionOfADayIsATime(value: String, expected: String) throws {
        let (records, report) = try Self.read("ID,名称,開始時間\r\n1,市役所,\(value)\r\n")
        let start = try #require(report.outputColumns.firstIndex(of: "開始時間"))
        #expect(records[0].values[start] == expected)
        #expect(report.findings.contains { $0.code == .timeDayFraction && $0.severity == .fixed })
    }
}
