import CivicData
import Testing

@Suite struct NumberValueTests {
    @Test(arguments: [
        "35.681236", "-1", "139", "0", "+1.5", "-0.5", "007",
        "34.34861647765662",  // 高松市, 14 decimals
        "139.9051921", "35.73213721", "1.7",
    ])
    func decimals(_ input: String) {
        #expect(NumberValue.isDecimal(input))
    }

    @Test(arguments: [
        "1,234", "1e5", "1E5", "1.", ".5", "-", "+", "", " 1", "1 ", "1.2.3", "１２", "35.68 ", "--1", "1-", "NaN", "∞",
        "-.5", "0x10", "3?", "34.34861647765662,134.05267",
    ])
    func notDecimals(_ input: String) {
        #expect(!NumberValue.isDecimal(input))
    }

    @Test(arguments: [
        ("0", true), ("139", true), ("0000000001", true), ("475", true),
        ("-1", false), ("+1", false), ("1.0", false), ("", false), ("１", false), ("1,000", false), (" 1", false),
    ])
    func nonNegativeInteger(_ input: String, _ expected: Bool) {
        #expect(NumberValue.isNonNegativeInteger(input) == expected)
    }

    @Test(arguments: [
        ("0", true), ("139", true), ("-1", true), ("+1", true), ("0000000001", true),
        ("1.0", false), ("", false), ("-", false), ("+", false), ("--1", false), ("１", false), ("1,000", false), (" 1", false), ("1-", false),
    ])
    func integer(_ input: String, _ expected: Bool) {
        #expect(NumberValue.isInteger(input) == expected)
    }

    @Test(arguments: [
        ("1,234", "1234"), ("12,345,678", "12345678"), ("1,234.56", "1234.56"), ("-1,234", "-1234"), ("+1,234", "+1234"), ("＋１", "+1"),
        ("１２３", "123"), ("３５．６８", "35.68"), ("－１", "-1"), ("−1", "-1"), ("１，２３４", "1234"), ("999,999", "999999"),
        ("35.681236", "35.681236"), ("139", "139"), ("+5", "+5"), ("-0.5", "-0.5"),
    ])
    func normalizedDecimal(_ input: String, _ expected: String) {
        #expect(NumberValue.normalizedDecimal(input) == expected)
    }

    @Test(arguments: [
        "12,34", "1,2345", "1,23,456", "0,123", ",123", "1,234,", "1,,234", "1.234,5", "1,234.", "1,23.4", "abc", "",
        "1e5", "1.", "-", "１２a", " 1", "1 ", "--1", "1-", "1,234-", "¥1,234", "1,234円",
    ])
    func notNormalizable(_ input: String) {
        #expect(NumberValue.normalizedDecimal(input) == nil)
    }
}
