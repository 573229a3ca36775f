import CivicData
import Testing

@Suite struct TextEncodingTests {
    @Test(arguments: [
        ("utf-8", "UTF-8"), ("UTF8", "UTF-8"), ("cp932", "CP932"), ("Windows-31J", "CP932"), ("shift_jis", "CP932"),
        ("SJIS", "CP932"), ("ms932", "CP932"), ("utf-16le", "UTF-16LE"), ("UTF-16BE", "UTF-16BE"), ("utf-16", "UTF-16LE"),
        (" cp932\n", "CP932"),
    ])
    func acceptsNames(name: String, canonical: String) throws {
        let encoding = try #require(TextEncoding(name: name))
        #expect(encoding.name == canonical)
        #expect(encoding.description == canonical)
    }

    @Test(arguments: ["", "latin1", "euc-jp", "utf-32", "shift-jis2004", "iso-2022-jp"])
    func rejectsOtherNames(name: String) {
        #expect(TextEncoding(name: name) == nil)
    }

    @Test func staticsAreDistinct() {
        let all: Set<TextEncoding> = [.utf8, .cp932, .utf16LittleEndian, .utf16BigEndian]
        #expect(all.count == 4)
        #expect(TextEncoding(name: "sjis") == .cp932)
    }
}
