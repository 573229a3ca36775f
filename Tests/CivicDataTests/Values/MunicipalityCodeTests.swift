import CivicData
import Testing

@Suite struct MunicipalityCodeTests {
    /// Real codes (全国地方公共団体コード); 131041 and 131130 exercise remainders 0 (→ 1) and 1 (→ 0).
    static let realCodes = [
        "011002",  // 札幌市
        "011088",  // spec example (datasets-spec §4)
        "012050",  // 室蘭市
        "122033",  // 市川市
        "131016",  // 千代田区
        "131041",  // 新宿区
        "131130",  // 渋谷区
        "132021",  // 立川市
        "132080",  // 調布市
        "132195",  // 狛江市
        "141003",  // 横浜市
        "141500",  // 相模原市
        "222020",  // 熱海市
        "222127",  // 焼津市
        "230006",  // 愛知県
        "231002",  // 名古屋市
        "232025",  // 豊橋市
        "281000",  // 神戸市
        "302015",  // 和歌山市
        "372013",  // 高松市
        "382019",  // 松山市
    ]

    @Test(arguments: realCodes)
    func realCodesAreValid(_ code: String) {
        #expect(MunicipalityCode.isValid(code))
    }

    @Test(arguments: realCodes)
    func checkDigitOfFirstFiveIsTheSixth(_ code: String) {
        #expect(MunicipalityCode.checkDigit(for: code.prefix(5)) == code.last)
        #expect(MunicipalityCode.completing(String(code.prefix(5))) == code)
    }

    @Test(
        arguments: [
            ("01100", "2"), ("22212", "7"), ("12203", "3"), ("37201", "3"), ("38201", "9"), ("13219", "5"),
            ("13104", "1"), ("13113", "0"), ("13000", "1"), ("47000", "7"), ("00000", "1"),
        ] as [(String, Character)]
    )
    func checkDigit(_ five: String, _ expected: Character) {
        #expect(MunicipalityCode.checkDigit(for: five) == expected)
    }

    @Test(arguments: ["", "0110", "011002", "0110a", "０１１００", " 01100", "01100 ", "-1100", "01.00"])
    func checkDigitNeedsFiveASCIIDigits(_ input: String) {
        #expect(MunicipalityCode.checkDigit(for: input) == nil)
    }

    @Test func checkDigitTakesSubstrings() {
        let cell = "382019,松山市"
        #expect(MunicipalityCode.checkDigit(for: cell.prefix(5)) == "9")
    }

    @Test(arguments: [
        "302019",  // 松山市 file named as 和歌山市 with the wrong check digit
        "38201",  // 5 digits, no check digit (Matsuyama care_service)
        "37201",  // Takamatsu prefCode
        "222120", "222128", "2221277", "22212７", "２２２１２７", " 222127", "222127 ", "abcdef", "", "22-127",
    ])
    func invalidCodes(_ code: String) {
        #expect(!MunicipalityCode.isValid(code))
    }

    @Test(arguments: [("38201", "382019"), ("37201", "372013"), ("13219", "132195"), ("22212", "222127"), ("12203", "122033")])
    func completing(_ five: String, _ six: String) {
        #expect(MunicipalityCode.completing(five) == six)
    }

    @Test(arguments: ["382019", "3820", "3820a", "３８２０１", "", " 38201"])
    func completingNeedsFiveASCIIDigits(_ input: String) {
        #expect(MunicipalityCode.completing(input) == nil)
    }

    @Test(arguments: [
        ("01", true), ("13", true), ("22", true), ("47", true), ("00", false), ("48", false), ("99", false),
        ("1", false), ("013", false), ("ab", false), ("１３", false), ("", false), ("1 ", false),
    ])
    func prefectureCode(_ code: String, _ expected: Bool) {
        #expect(MunicipalityCode.isPrefectureCode(code) == expected)
    }
}
