import CivicData
import Testing

@Suite struct EncodingDetectionTests {
    private func detection(_ bytes: [UInt8], encoding: TextEncoding? = nil, chunkSize: Int = 1 << 20) throws -> EncodingDetection {
        try UTF8ChunkReader(bytes: bytes, displayName: "test.csv", encoding: encoding, chunkSize: chunkSize).detection
    }

    @Test func utf8ByteOrderMark() throws {
        let bytes = byteArray(hex: "EF BB BF") + byteArray(utf8: "名称,住所\n")
        #expect(try detection(bytes) == EncodingDetection(encoding: .utf8, hasByteOrderMark: true, basis: .byteOrderMark))
        #expect(try decodeText(bytes) == "名称,住所\n")
    }

    @Test func utf16LittleEndianByteOrderMark() throws {
        let bytes = byteArray(hex: "FF FE") + byteArray(utf16: "名称\t住所\r\n")
        #expect(try detection(bytes) == EncodingDetection(encoding: .utf16LittleEndian, hasByteOrderMark: true, basis: .byteOrderMark))
        #expect(try decodeText(bytes) == "名称\t住所\r\n")
    }

    @Test func utf16BigEndianByteOrderMark() throws {
        let bytes = byteArray(hex: "FE FF") + byteArray(utf16: "名称\t住所\n", bigEndian: true)
        #expect(try detection(bytes) == EncodingDetection(encoding: .utf16BigEndian, hasByteOrderMark: true, basis: .byteOrderMark))
        #expect(try decodeText(bytes) == "名称\t住所\n")
    }

    @Test(arguments: [1, 2, 3, 1 << 20])
    func utf8WithoutByteOrderMark(chunkSize: Int) throws {
        let bytes = byteArray(utf8: "あ,市川市\n")
        #expect(
            try detection(bytes, chunkSize: chunkSize) == EncodingDetection(encoding: .utf8, hasByteOrderMark: false, basis: .validUTF8)
        )
    }

    @Test func cp932() throws {
        // 市川市,鬼高 in CP932.
        let bytes = byteArray(hex: "8E 73 90 EC 8E 73 2C 8B 53 8D 82")
        #expect(try detection(bytes) == EncodingDetection(encoding: .cp932, hasByteOrderMark: false, basis: .notUTF8))
        #expect(try decodeText(bytes) == "市川市,鬼高")
    }

    @Test func cp932WhoseFirstBytesLookLikeUTF8() throws {
        // E3 81 is a UTF-8 prefix, but E3 81 E3 is not: the first character decides CP932.
        let bytes = byteArray(hex: "E3 81 E3 81")
        #expect(try detection(bytes).basis == .notUTF8)
        #expect(try decodeText(bytes) == "縺縺")
    }

    @Test func asciiOnly() throws {
        #expect(try detection(byteArray(utf8: "id,x,y\n1,2,3\n")) == EncodingDetection(encoding: .utf8, hasByteOrderMark: false, basis: .asciiOnly))
    }

    @Test func emptyInput() throws {
        let reader = try UTF8ChunkReader(bytes: [], displayName: "empty.csv")
        #expect(reader.detection == EncodingDetection(encoding: .utf8, hasByteOrderMark: false, basis: .asciiOnly))
        var buffer: [UInt8] = [1, 2]
        #expect(try reader.read(appendingTo: &buffer) == false)
        #expect(buffer == [1, 2])
        #expect(try reader.read(appendingTo: &buffer) == false)
        #expect(reader.inputBytesRead == 0)
        #expect(reader.inputByteCount == 0)
    }

    @Test func onlyAByteOrderMark() throws {
        let reader = try UTF8ChunkReader(bytes: byteArray(hex: "EF BB BF"), displayName: "bom.csv")
        #expect(reader.detection.hasByteOrderMark)
        var buffer: [UInt8] = []
        #expect(try reader.read(appendingTo: &buffer) == false)
        #expect(buffer.isEmpty)
    }

    @Test func looksPastAnASCIIStartForTheFirstNonASCIIByte() throws {
        // 100 ASCII bytes, then CP932: with 8-byte chunks the first chunk alone cannot decide.
        let ascii = byteArray(utf8: String(repeating: "id,name\n", count: 12) + "1234")
        let bytes = ascii + byteArray(hex: "8E 73 90 EC 8E 73") + byteArray(utf8: "\n")
        let reader = try UTF8ChunkReader(bytes: bytes, displayName: "test.csv", chunkSize: 8)
        #expect(reader.detection.basis == .notUTF8)
        #expect(String(decoding: try readAllText(reader), as: UTF8.self) == String(decoding: ascii, as: UTF8.self) + "市川市\n")
    }

    @Test func stopsLookingAfter8MiBOfASCIIAndSuggestsCP932Later() throws {
        let ascii = [UInt8](repeating: UInt8(ascii: "a"), count: 9 << 20)
        let bytes = ascii + byteArray(hex: "82 A0")
        let reader = try UTF8ChunkReader(bytes: bytes, displayName: "big.csv", chunkSize: 1 << 20)
        #expect(reader.detection == EncodingDetection(encoding: .utf8, hasByteOrderMark: false, basis: .asciiOnly))
        let error = #expect(throws: TextDecodingError.self) { try readAllText(reader) }
        #expect(
            error?.description
                == "big.csv:1: byte 9437184: invalidBytes: byte 82 is not valid UTF-8; the file may be Shift_JIS (CP932)"
        )
    }

    @Test func declaredEncodingOverridesDetection() throws {
        // Valid UTF-8 (あ = E3 81 82) read as declared CP932: 縺 + 0x82 needs a trail byte.
        let bytes = byteArray(hex: "E3 81 82 A0")
        let reader = try UTF8ChunkReader(bytes: bytes, displayName: "test.csv", encoding: .cp932)
        #expect(reader.detection == EncodingDetection(encoding: .cp932, hasByteOrderMark: false, basis: .declared))
        #expect(String(decoding: try readAllText(reader), as: UTF8.self) == "縺あ")
    }

    @Test func declaredUTF8StillRemovesItsByteOrderMark() throws {
        let bytes = byteArray(hex: "EF BB BF") + byteArray(utf8: "a")
        #expect(try detection(bytes, encoding: .utf8) == EncodingDetection(encoding: .utf8, hasByteOrderMark: true, basis: .declared))
        #expect(try decodeText(bytes, encoding: .utf8) == "a")
    }

    @Test func declaredUTF16FollowsTheByteOrderMark() throws {
        let encoding = try #require(TextEncoding(name: "utf-16"))
        let big = byteArray(hex: "FE FF") + byteArray(utf16: "髙", bigEndian: true)
        #expect(try detection(big, encoding: encoding) == EncodingDetection(encoding: .utf16BigEndian, hasByteOrderMark: true, basis: .declared))
        #expect(try decodeText(big, encoding: encoding) == "髙")
        let noMark = byteArray(utf16: "髙")
        #expect(
            try detection(noMark, encoding: encoding)
                == EncodingDetection(encoding: .utf16LittleEndian, hasByteOrderMark: false, basis: .declared)
        )
        #expect(try decodeText(noMark, encoding: encoding) == "髙")
    }

    @Test func declaredUTF8OnCP932ExplainsTheFix() {
        let error = decodeTextError(byteArray(utf8: "a,b\r\n") + byteArray(hex: "8E 73"), encoding: .utf8)
        #expect(
            error?.description
                == "test.csv:2: byte 5: invalidBytes: byte 8E is not valid UTF-8; the file may be Shift_JIS (CP932)"
        )
        // The remedy is a setting, phrased by each caller (the CLI as --encoding cp932, the server as a dataset.json key).
        #expect(error?.remedy == Remedy(.encoding, value: "cp932"))
    }
}
