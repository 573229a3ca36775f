import CivicData
import Testing

@Suite struct UTF8DecodingTests {
    /// ASCII, 2-, 3- and 4-byte characters, CRLF and LF.
    static let sample = "名称,価格¢\r\n市川市～1/3,😀\nabc,髙﨑①\n"

    @Test(arguments: textChunkSizes)
    func charactersSplitAcrossChunks(chunkSize: Int) throws {
        #expect(try decodeText(byteArray(utf8: Self.sample), chunkSize: chunkSize) == Self.sample)
        #expect(try decodeText(byteArray(hex: "EF BB BF") + byteArray(utf8: Self.sample), chunkSize: chunkSize) == Self.sample)
    }

    @Test func largeInputInSmallChunksStaysWholeAndBounded() throws {
        let text = String(repeating: Self.sample, count: 200)
        let reader = try UTF8ChunkReader(bytes: byteArray(utf8: text), displayName: "big.csv", chunkSize: 1000)
        var decoded: [UInt8] = []
        var piece: [UInt8] = []
        while try reader.read(appendingTo: &piece) {
            #expect(piece.count <= 1000 + 3)
            #expect(isWholeUTF8(piece))
            decoded += piece
            piece.removeAll()
        }
        #expect(String(decoding: decoded, as: UTF8.self) == text)
        #expect(reader.inputBytesRead == text.utf8.count)
        #expect(reader.inputByteCount == text.utf8.count)
    }

    /// With small chunks the first chunk is valid UTF-8 and the bad bytes come later; with one big chunk the
    /// whole input would be taken for CP932, so UTF-8 is declared.
    @Test(arguments: [(1, nil), (2, nil), (5, nil), (1 << 20, TextEncoding.utf8)])
    func invalidBytesAfterAValidPrefix(chunkSize: Int, encoding: TextEncoding?) throws {
        // "ab\nあ\ncd" is 9 bytes; E3 81 starts a character that 41 breaks.
        let bytes = byteArray(utf8: "ab\nあ\ncd") + byteArray(hex: "E3 81 41") + byteArray(utf8: "\nmore")
        let reader = try UTF8ChunkReader(bytes: bytes, displayName: "test.csv", encoding: encoding, chunkSize: chunkSize)
        #expect(reader.detection.encoding == .utf8)
        let error = #expect(throws: TextDecodingError.self) { try readAllText(reader) }
        #expect(error?.code == .invalidBytes)
        #expect(error?.byteOffset == 9)
        #expect(error?.line == 3)
        #expect(error?.file == "test.csv")
        #expect(
            error?.description
                == "test.csv:3: byte 9: invalidBytes: bytes E3 81 41 are not valid UTF-8; the file may be Shift_JIS (CP932)"
        )
    }

    @Test(arguments: [7, 1 << 20])
    func countsLinesExactlyOverLongInputs(chunkSize: Int) {
        // Bytes next to 0x0A in value (09, 0B, and 8A inside Ê = C3 8A) must not count as line feeds.
        let text = (0..<1000).map { "\($0)\tÊ\u{0B}\r\n" }.joined()
        let error = decodeTextError(byteArray(utf8: text) + byteArray(hex: "C0"), encoding: .utf8, chunkSize: chunkSize)
        #expect(error?.line == 1001)
        #expect(error?.byteOffset == text.utf8.count)
    }

    @Test func offsetsCountTheByteOrderMark() {
        let error = decodeTextError(byteArray(hex: "EF BB BF") + byteArray(utf8: "a\n") + byteArray(hex: "FF"))
        #expect(error?.byteOffset == 5)
        #expect(error?.line == 2)
    }

    @Test(arguments: [
        ("C0 AF", "byte C0 is"),  // overlong '/'
        ("C1 BF", "byte C1 is"),  // overlong
        ("E0 80 AF", "bytes E0 80 are"),  // overlong '/'
        ("E0 9F BF", "bytes E0 9F are"),  // overlong U+07FF
        ("ED A0 80", "bytes ED A0 are"),  // surrogate U+D800
        ("ED BF BF", "bytes ED BF are"),  // surrogate U+DFFF
        ("F0 8F BF BF", "bytes F0 8F are"),  // overlong U+FFFF
        ("F4 90 80 80", "bytes F4 90 are"),  // U+110000
        ("F5 80 80 80", "byte F5 is"),
        ("80", "byte 80 is"),  // stray continuation
        ("BF", "byte BF is"),
        ("FE", "byte FE is"),
        ("FF", "byte FF is"),
        ("E3 81 E3 81 82", "bytes E3 81 E3 are"),  // continuation missing
        ("F0 9F 98 41", "bytes F0 9F 98 41 are"),
    ])
    func rejects(bytes: String, phrase: String) {
        let error = decodeTextError(byteArray(utf8: "ok,") + byteArray(hex: bytes) + byteArray(utf8: "\n"), encoding: .utf8)
        #expect(error?.code == .invalidBytes)
        #expect(error?.byteOffset == 3)
        #expect(error?.message == "\(phrase) not valid UTF-8; the file may be Shift_JIS (CP932)")
    }

    @Test(arguments: ["EF BF BF", "F4 8F BF BF", "ED 9F BF", "EE 80 80", "C2 80", "F0 90 80 80"])
    func acceptsBoundaryScalars(bytes: String) throws {
        #expect(try decodeText(byteArray(hex: bytes), encoding: .utf8).utf8.elementsEqual(byteArray(hex: bytes)))
    }

    @Test(arguments: [1, 3, 1 << 20])
    func truncatedFinalSequence(chunkSize: Int) {
        let error = decodeTextError(byteArray(utf8: "abc\nあ") + byteArray(hex: "E3 81"), chunkSize: chunkSize)
        #expect(error?.code == .truncatedSequence)
        #expect(
            error?.description
                == "test.csv:2: byte 7: truncatedSequence: the input ends inside a UTF-8 character (bytes E3 81); the file may be cut short"
        )
    }

    @Test func errorLeavesTheBufferUnchangedAndRepeats() throws {
        let reader = try UTF8ChunkReader(bytes: byteArray(utf8: "ab") + byteArray(hex: "FF"), displayName: "x.csv")
        var buffer = byteArray(utf8: "kept")
        #expect(throws: TextDecodingError.self) { try reader.read(appendingTo: &buffer) }
        #expect(buffer == byteArray(utf8: "kept"))
        let again = #expect(throws: TextDecodingError.self) { try reader.read(appendingTo: &buffer) }
        #expect(again?.byteOffset == 2)
    }

    @Test func nothingIsSubstituted() throws {
        // U+FFFD itself is valid text and passes through; invalid bytes never become it.
        #expect(try decodeText(byteArray(utf8: "a\u{FFFD}b")) == "a\u{FFFD}b")
        #expect(decodeTextError(byteArray(hex: "61 FF 62")) != nil)
    }
}
