import CivicData
import Testing

@Suite struct FlagValueTests {
    @Test(arguments: [
        ("1", "1"), ("", ""),
        ("１", "1"),
        ("○", "1"),  // U+25CB, 焼津市 evacuation_space / hinannjo
        ("〇", "1"),  // U+3007
        ("◯", "1"),  // U+25EF
    ])
    func accepted(_ input: String, _ expected: String) {
        #expect(FlagValue.normalized(input) == expected)
    }

    @Test(arguments: ["△", "×", "●", "◎", "有", "無", "0", "2", "○○", " 1", "1 ", "レ", "✓", "Yes", "true"])
    func rejected(_ input: String) {
        #expect(FlagValue.normalized(input) == nil)
    }
}
