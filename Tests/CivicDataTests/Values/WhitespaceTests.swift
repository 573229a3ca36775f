import CivicData
import Testing

@Suite struct WhitespaceTests {
    @Test(arguments: [
        ("(047)376-1113\u{3000}", "(047)376-1113"),  // 市川市, trailing U+3000
        ("(054)622-7420 ", "(054)622-7420"),  // 焼津市, trailing space
        (" 089-976-5572", "089-976-5572"),  // 松山市 FAX, leading space
        ("\t a \r\n", "a"),
        ("\u{00A0}x\u{00A0}", "x"),
        ("\u{3000}\u{3000}松山市\u{3000}", "松山市"),
        ("\u{3000}", ""),
        ("\r\n", ""),
        ("  ", ""),
        ("a b", "a b"),
        ("a\u{3000}b", "a\u{3000}b"),
        ("\u{2003}x", "\u{2003}x"),  // EM SPACE is not in the set
        ("x\u{FEFF}", "x\u{FEFF}"),
        ("", ""),
        ("市川市", "市川市"),
        // First or last UTF-8 byte shared with a trimmable character (E3 or C2 first; 80 or A0 last), not trimmed.
        ("あ市", "あ市"),
        ("¢x", "¢x"),
        ("xĀ", "xĀ"),
        ("xà", "xà"),
        ("\u{3000}あ\u{00A0}", "あ"),
    ])
    func trimmed(_ input: String, _ expected: String) {
        #expect(Whitespace.trimmed(input) == expected)
    }
}
