import CivicData
import Testing

@Suite struct CorporateNumberTests {
    @Test(arguments: [
        // 地方公共団体: 000020 + 全国地方公共団体コード, seen in public code (GTFS agency ids, gBizINFO fixtures, an NTA list extract).
        "8000020130001",  // 東京都
        "3000020141003",  // 横浜市
        "3000020231002",  // 名古屋市
        "1000020230006",  // 愛知県
        "3000020232025",  // 豊橋市
        // 社会福祉法人 etc. in 市川市 122033_109_care_service.csv (法人番号 column).
        "3040005004064", "5040005004062", "4040005004063", "6110005010151", "2010505000616", "6011705000451",
        "8030005012781", "7270005003873", "3080405006813",
        // The worked example of the check-digit formula (7123456789012: Σ = 74, 74 mod 9 = 2, 9 − 2 = 7).
        "7123456789012",
    ])
    func validNumbers(_ number: String) {
        #expect(CorporateNumber.isValid(number))
    }

    @Test(arguments: [
        "7000020222127",  // 焼津市 guessed with the wrong check digit (the right one is 1000020222127)
        "1000020011002",  // 札幌市 as written in a mock fixture: the formula gives 9
        "8000020130002", "9000020130001", "0000020130001", "3040005004065", "3040005004046",
        "800002013000",  // 12 digits
        "80000201300011",  // 14 digits
        "８000020130001", "8000020-30001", " 8000020130001", "8000020130001 ", "", "abcdefghijklm",
    ])
    func invalidNumbers(_ number: String) {
        #expect(!CorporateNumber.isValid(number))
    }

    @Test(
        arguments: [
            ("000020222127", "1"),  // 焼津市 (computed)
            ("000020122033", "6"),  // 市川市 (computed)
            ("000020130001", "8"),  // 東京都
            ("000020141003", "3"),  // 横浜市
            ("123456789012", "7"),
            ("040005004064", "3"),
        ] as [(String, Character)]
    )
    func checkDigit(_ base: String, _ expected: Character) {
        #expect(CorporateNumber.checkDigit(for: base) == expected)
        #expect(CorporateNumber.isValid(String(expected) + base))
    }

    @Test(arguments: ["", "00002022212", "0000202221270", "00002022212a"])
    func checkDigitNeedsTwelveDigits(_ base: String) {
        #expect(CorporateNumber.checkDigit(for: base) == nil)
    }

    @Test func everyMunicipalityCodeGivesAValidNumber() {
        for code in ["011002", "122033", "132195", "222127", "372013", "382019"] {
            let base = "000020" + code
            let digit = CorporateNumber.checkDigit(for: base)
            #expect(digit != nil)
            #expect(CorporateNumber.isValid(String(digit!) + base))
        }
    }
}
