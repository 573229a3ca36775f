import CivicData
import Testing

@Suite struct PostalCodeTests {
    @Test(arguments: [
        ("272-8501", true), ("272-0015", true), ("000-0000", true),
        ("2728501", false), ("272-850", false), ("272-85011", false), ("〒272-8501", false), ("２７２-８５０１", false),
        ("272–8501", false), ("272 8501", false), ("27-28501", false), ("", false), ("272-850a", false),
    ])
    func isValid(_ input: String, _ expected: Bool) {
        #expect(PostalCode.isValid(input) == expected)
    }

    @Test(arguments: [
        ("272-8501", "272-8501"),  // 市川市 public wireless LAN
        ("2728501", "272-8501"),
        ("〒272-8501", "272-8501"),
        ("〒 272-8501", "272-8501"),
        ("〒\u{3000}272-8501", "272-8501"),
        ("〒2728501", "272-8501"),
        ("２７２－８５０１", "272-8501"),
        ("２７２８５０１", "272-8501"),
        ("272ー8501", "272-8501"),
        ("272‐8501", "272-8501"),
        ("272−8501", "272-8501"),
        ("272 8501", "272-8501"),
        (" 272-8501\u{3000}", "272-8501"),
    ])
    func normalized(_ input: String, _ expected: String) {
        #expect(PostalCode.normalized(input) == expected)
    }

    @Test(arguments: [
        "272-850", "27-28501", "2728-501", "272--8501", "272-8501-1", "27285011", "〒", "〒〒272-8501", "272-〒8501",
        "ABC-DEFG", "", "-2728501", "2728501-", "272-8501号",
    ])
    func notNormalizable(_ input: String) {
        #expect(PostalCode.normalized(input) == nil)
    }
}
