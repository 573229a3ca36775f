import CivicData
import Testing

@Suite struct CP932EncoderTests {
    private func failure(of result: Result<Void, UnencodableCharacter>) -> UnencodableCharacter? {
        if case .failure(let failure) = result { return failure }
        return nil
    }

    private func encoded(_ text: String) throws -> [UInt8] {
        var buffer: [UInt8] = []
        try CP932Encoder().encode(text, appendingTo: &buffer).get()
        return buffer
    }

    @Test func roundTripsJapaneseText() throws {
        let text = "市川市,鬼高公民館,12/29～1/3,①㈱№髙﨑,ｱﾟ,―∥－￠￡￢,abc\\~\r\n"
        let bytes = try encoded(text)
        #expect(try decodeText(bytes, encoding: .cp932) == text)
    }

    @Test func mapsWhereUnicodeAndCP932Disagree() throws {
        // 〜 U+301C and − U+2212 are written as the CP932 characters ～ and －, and read back as those.
        let text = "12/29\u{301C}1/3 \u{2212}5"
        #expect(try decodeText(try encoded(text), encoding: .cp932) == "12/29\u{FF5E}1/3 \u{FF0D}5")
    }

    @Test(arguments: [
        ("\u{301C}", "81 60"), ("\u{FF5E}", "81 60"), ("\u{2212}", "81 7C"), ("\u{FF0D}", "81 7C"), ("\u{2016}", "81 61"),
        ("\u{2225}", "81 61"), ("\u{2014}", "81 5C"), ("\u{2015}", "81 5C"), ("\u{00A2}", "81 91"), ("\u{00A3}", "81 92"),
        ("\u{00AC}", "81 CA"), ("髙", "FB FC"), ("﨑", "FA B1"), ("①", "87 40"), ("㈱", "87 8A"), ("ｱ", "B1"), ("\u{E000}", "F0 40"),
    ])
    func encodes(text: String, bytes: String) throws {
        #expect(try encoded(text) == byteArray(hex: bytes))
    }

    @Test func reportsAnEmojiWithItsOffset() throws {
        let encoder = try CP932Encoder()
        var buffer = byteArray(utf8: "kept")
        let result = encoder.encode("AED設置👍🏻場所😀", appendingTo: &buffer)
        #expect(failure(of: result) == UnencodableCharacter(character: "👍🏻", offset: 5, scalarHex: "U+1F44D"))
        #expect(buffer == byteArray(utf8: "kept"))
        // The encoder is still usable.
        #expect(failure(of: encoder.encode("場所", appendingTo: &buffer)) == nil)
        #expect(buffer == byteArray(utf8: "kept") + byteArray(hex: "8F EA 8F 8A"))
    }

    @Test(arguments: [
        ("価格¥300", 2, "¥", "U+00A5"),  // glibc would write 5C, which reads back as \
        ("a‾b", 1, "‾", "U+203E"),  // glibc would write 7E, which reads back as ~
        ("x\u{E0001}", 1, "\u{E0001}", "U+E0001"),  // glibc would drop it
        ("カ\u{3099}ード", 0, "カ\u{3099}", "U+3099"),  // decomposed ガ: not normalised
        ("〜−\u{1F600}", 2, "\u{1F600}", "U+1F600"),  // after mapped characters
        ("한국", 0, "한", "U+D55C"),
    ])
    func refuses(text: String, offset: Int, character: Character, scalarHex: String) throws {
        var buffer: [UInt8] = []
        let result = try CP932Encoder().encode(text, appendingTo: &buffer)
        #expect(throws: UnencodableCharacter.self) { try result.get() }
        #expect(failure(of: result) == UnencodableCharacter(character: character, offset: offset, scalarHex: scalarHex))
        #expect(buffer.isEmpty)
    }

    @Test func describesTheFailure() {
        let failure = UnencodableCharacter(character: "😀", offset: 3, scalarHex: "U+1F600")
        #expect(failure.description == "character 3 (U+1F600) cannot be encoded in CP932")
    }

    @Test func appendsAndHandlesEmptyStrings() throws {
        let encoder = try CP932Encoder()
        var buffer: [UInt8] = []
        #expect(failure(of: encoder.encode("", appendingTo: &buffer)) == nil)
        #expect(failure(of: encoder.encode("id,", appendingTo: &buffer)) == nil)
        #expect(failure(of: encoder.encode("市", appendingTo: &buffer)) == nil)
        #expect(buffer == byteArray(utf8: "id,") + byteArray(hex: "8E 73"))
    }
}
