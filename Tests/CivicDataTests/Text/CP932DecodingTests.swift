import CivicData
import Testing

@Suite struct CP932DecodingTests {
    /// CP932 bytes and the text they must decode to, checked against glibc iconv "CP932" and Foundation's
    /// `.shiftJIS` on Linux (which agree on every case).
    static let specialCases: [(bytes: String, text: String, what: String)] = [
        ("87 40", "\u{2460}", "NEC row 13: ① CIRCLED DIGIT ONE"),
        ("87 8A", "\u{3231}", "NEC row 13: ㈱ PARENTHESIZED IDEOGRAPH STOCK"),
        ("87 82", "\u{2116}", "NEC row 13: № NUMERO SIGN"),
        ("87 54", "\u{2160}", "NEC row 13: Ⅰ ROMAN NUMERAL ONE"),
        ("87 90", "\u{2252}", "NEC row 13: ≒"),
        ("ED 40", "\u{7E8A}", "NEC-selected IBM extension: 纊"),
        ("EE E0", "\u{9AD9}", "NEC-selected IBM extension: 髙"),
        ("ED 95", "\u{FA11}", "NEC-selected IBM extension: 﨑"),
        ("EE FC", "\u{FF02}", "NEC-selected IBM extension: ＂"),
        ("FB FC", "\u{9AD9}", "IBM extension: 髙"),
        ("FA B1", "\u{FA11}", "IBM extension: 﨑"),
        ("FA 40", "\u{2170}", "IBM extension: ⅰ SMALL ROMAN NUMERAL ONE"),
        ("FA 55", "\u{FFE4}", "IBM extension: ￤"),
        ("81 60", "\u{FF5E}", "～ FULLWIDTH TILDE (not U+301C WAVE DASH)"),
        ("81 7C", "\u{FF0D}", "－ FULLWIDTH HYPHEN-MINUS (not U+2212 MINUS SIGN)"),
        ("81 5C", "\u{2015}", "― HORIZONTAL BAR (not U+2014 EM DASH)"),
        ("81 61", "\u{2225}", "∥ PARALLEL TO (not U+2016)"),
        ("81 91", "\u{FFE0}", "￠ (not U+00A2)"),
        ("81 92", "\u{FFE1}", "￡ (not U+00A3)"),
        ("81 CA", "\u{FFE2}", "￢ (not U+00AC)"),
        ("81 5F", "\u{FF3C}", "＼ FULLWIDTH REVERSE SOLIDUS"),
        ("A1", "\u{FF61}", "half-width katakana: ｡ (first)"),
        ("B1 DF", "\u{FF71}\u{FF9F}", "half-width katakana: ｱﾟ (DF last)"),
        ("5C 7E", "\\~", "ASCII 5C and 7E stay \\ and ~"),
        ("F0 40", "\u{E000}", "user-defined area: private use"),
        ("82 A0 88 9F", "あ亜", "JIS X 0208"),
    ]

    @Test(arguments: specialCases)
    func decodes(bytes: String, text: String, what: String) throws {
        let decoded = try decodeText(byteArray(utf8: "x,") + byteArray(hex: bytes) + byteArray(utf8: "\r\n"), encoding: .cp932)
        #expect(scalarList(decoded) == scalarList("x,\(text)\r\n"), "\(what)")
    }

    @Test func detectsAndDecodesAllCasesTogether() throws {
        var bytes: [UInt8] = []
        var text = ""
        for special in Self.specialCases {
            bytes += byteArray(hex: special.bytes) + byteArray(utf8: ",")
            text += special.text + ","
        }
        let reader = try UTF8ChunkReader(bytes: bytes, displayName: "test.csv")
        #expect(reader.detection == EncodingDetection(encoding: .cp932, hasByteOrderMark: false, basis: .notUTF8))
        #expect(String(decoding: try readAllText(reader), as: UTF8.self) == text)
    }

    @Test(arguments: textChunkSizes)
    func charactersSplitAcrossChunks(chunkSize: Int) throws {
        // 市川市,鬼高公民館 ～ ①㈱髙 ｱﾟ, CRLF, twice.
        let line = byteArray(hex: "8E 73 90 EC 8E 73 2C 8B 53 8D 82 8C F6 96 AF 8A D9 20 81 60 20 87 40 87 8A FB FC 20 B1 DF 0D 0A")
        let text = "市川市,鬼高公民館 ～ ①㈱髙 ｱﾟ\r\n"
        #expect(try decodeText(line + line, encoding: .cp932, chunkSize: chunkSize) == text + text)
        #expect(try decodeText(line + line, chunkSize: chunkSize) == text + text)
    }

    @Test(arguments: [1, 3, 1 << 20])
    func invalidTrailByte(chunkSize: Int) {
        // 81 is a lead byte; 20 cannot follow it.
        let bytes = byteArray(utf8: "ab\r\n") + byteArray(hex: "82 A0 81 20") + byteArray(utf8: "\r\n")
        let error = decodeTextError(bytes, encoding: .cp932, chunkSize: chunkSize)
        #expect(error?.code == .invalidBytes)
        #expect(error?.byteOffset == 6)
        #expect(error?.line == 2)
        #expect(
            error?.description
                == "test.csv:2: byte 6: invalidBytes: "
                + "bytes 81 20 are not valid CP932; check the file's encoding, or leave it to be detected"
        )
    }

    @Test func invalidByteInADetectedFile() {
        let error = decodeTextError(byteArray(hex: "8E 73 0A 8E 73 0A FF"))
        #expect(
            error?.description
                == "test.csv:3: byte 6: invalidBytes: byte FF is not valid CP932 "
                + "(the file was read as CP932 because it is not valid UTF-8); the file may be damaged or in another encoding"
        )
    }

    @Test func declaredCP932OnAUTF8FileWithAByteOrderMark() {
        let error = decodeTextError(byteArray(hex: "EF BB BF") + byteArray(utf8: "名称"), encoding: .cp932)
        #expect(
            error?.description
                == "test.csv:1: byte 0: invalidBytes: bytes EF BB are not valid CP932: the file starts with a UTF-8 byte order mark"
        )
    }

    @Test func eachReadAppendsAtMostThreeTimesTheChunk() throws {
        var bytes: [UInt8] = []
        let text = String(repeating: "市川市,ｱﾟｲ,1/3\r\n", count: 300)
        try CP932Encoder().encode(text, appendingTo: &bytes).get()
        let reader = try UTF8ChunkReader(bytes: bytes, displayName: "test.csv", chunkSize: 64)
        var decoded: [UInt8] = []
        var piece: [UInt8] = []
        var reads = 0
        while try reader.read(appendingTo: &piece) {
            #expect(piece.count <= 3 * (64 + 1))
            decoded += piece
            piece.removeAll()
            reads += 1
        }
        #expect(String(decoding: decoded, as: UTF8.self) == text)
        #expect(reads >= bytes.count / 65)
        #expect(reader.inputBytesRead == bytes.count)
    }

    /// Bytes that glibc's CP932 rejects: single bytes with no mapping, and unassigned or out-of-range pairs.
    @Test(arguments: ["80", "A0", "FD", "FE", "FF", "81 7F", "81 FD", "85 40", "EF 40"])
    func rejects(bytes: String) {
        let error = decodeTextError(byteArray(utf8: "a\nb") + byteArray(hex: bytes), encoding: .cp932)
        #expect(error?.code == .invalidBytes)
        #expect(error?.byteOffset == 3)
        #expect(error?.line == 2)
    }

    @Test(arguments: [1, 2, 1 << 20])
    func truncatedFinalLeadByte(chunkSize: Int) {
        let error = decodeTextError(byteArray(hex: "82 A0 0D 0A 82"), encoding: .cp932, chunkSize: chunkSize)
        #expect(
            error?.description
                == "test.csv:2: byte 4: truncatedSequence: the input ends inside a CP932 character (byte 82); the file may be cut short"
        )
    }
}
