import CivicData
import Testing

@Suite struct UTF16DecodingTests {
    /// An Excel "Unicode text" line: tab-separated, CRLF, with a surrogate pair.
    static let sample = "名称\t住所\t備考\r\n市川市～\t髙﨑\t😀\r\n"

    @Test(arguments: textChunkSizes)
    func littleEndianSplitAcrossChunks(chunkSize: Int) throws {
        let bytes = byteArray(hex: "FF FE") + byteArray(utf16: Self.sample)
        #expect(try decodeText(bytes, chunkSize: chunkSize) == Self.sample)
    }

    @Test(arguments: textChunkSizes)
    func bigEndianSplitAcrossChunks(chunkSize: Int) throws {
        let bytes = byteArray(hex: "FE FF") + byteArray(utf16: Self.sample, bigEndian: true)
        #expect(try decodeText(bytes, chunkSize: chunkSize) == Self.sample)
    }

    @Test func outputHasNoByteOrderMark() throws {
        let reader = try UTF8ChunkReader(bytes: byteArray(hex: "FF FE") + byteArray(utf16: "a"), displayName: "t.txt")
        #expect(try readAllText(reader) == byteArray(utf8: "a"))
        #expect(reader.inputBytesRead == 4)
    }

    @Test(arguments: [1, 1 << 20])
    func unpairedSurrogate(chunkSize: Int) {
        // U+0A0A (bytes 0A 0A) is not a line feed; the LF code unit is. The high surrogate D83D is followed by "A".
        let bytes = byteArray(hex: "FF FE") + byteArray(utf16: "\u{0A0A}\n\u{0A0A}\n") + byteArray(hex: "3D D8 41 00")
        let error = decodeTextError(bytes, chunkSize: chunkSize)
        #expect(
            error?.description
                == "test.csv:3: byte 10: invalidBytes: bytes 3D D8 41 00 are not valid UTF-16LE (an unpaired surrogate); the file may be damaged"
        )
    }

    @Test func loneLowSurrogate() {
        let error = decodeTextError(byteArray(hex: "FE FF 00 41 DC 00"))
        #expect(error?.byteOffset == 4)
        #expect(error?.message == "bytes DC 00 are not valid UTF-16BE (an unpaired surrogate); the file may be damaged")
    }

    @Test(arguments: [1, 1 << 20])
    func truncated(chunkSize: Int) {
        let odd = decodeTextError(byteArray(hex: "FF FE 41 00 0A 00 42"), chunkSize: chunkSize)
        #expect(
            odd?.description
                == "test.csv:2: byte 6: truncatedSequence: the input ends inside a UTF-16LE character (byte 42); the file may be cut short"
        )
        let halfPair = decodeTextError(byteArray(hex: "FF FE 41 00 3D D8"), chunkSize: chunkSize)
        #expect(halfPair?.code == .truncatedSequence)
        #expect(halfPair?.byteOffset == 4)
    }
}
