import CivicData
import Foundation
import Testing

/// Extracts of real municipal files (see Fixtures/text/SOURCES.md).
@Suite struct TextFixtureTests {
    private func fixture(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Fixtures/text"))
    }

    @Test(arguments: [7, 1 << 20])
    func ichikawaPublicFacilityIsCP932(chunkSize: Int) throws {
        let url = try fixture("ichikawa_public_facility_head")
        let reader = try UTF8ChunkReader(url: url, chunkSize: chunkSize)
        #expect(reader.detection == EncodingDetection(encoding: .cp932, hasByteOrderMark: false, basis: .notUTF8))
        #expect(reader.inputByteCount == 5310)
        let text = String(decoding: try readAllText(reader), as: UTF8.self)
        #expect(reader.inputBytesRead == 5310)
        #expect(text.hasPrefix("全国地方公共団体コード,ID,地方公共団体名,名称,名称_カナ,"))
        #expect(text.contains("122033,,市川市,市川小学校,イチカワショウガッコウ,"))
        #expect(text.contains("毎月最終月曜日、祝日、及び12/29\u{FF5E}1/3利用不可"))
        #expect(!text.contains("\u{301C}"))
        #expect(text.components(separatedBy: "\r\n").count == 21)
    }

    @Test(arguments: [7, 1 << 20])
    func takamatsuAEDIsUTF8WithByteOrderMark(chunkSize: Int) throws {
        let url = try fixture("takamatsu_aed_head")
        let reader = try UTF8ChunkReader(url: url, chunkSize: chunkSize)
        #expect(reader.detection == EncodingDetection(encoding: .utf8, hasByteOrderMark: true, basis: .byteOrderMark))
        let bytes = try readAllText(reader)
        #expect(Array(bytes.prefix(5)) == byteArray(utf8: "#LINK"))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("#attribution_name,高松市,"))
        #expect(text.contains("1,健康増進施設サラマンダー,高松市番町１丁目10-16,"))
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 21)
        #expect(reader.inputBytesRead == bytes.count + 3)
    }

    @Test func readsFromAFileHandle() throws {
        let url = try fixture("takamatsu_aed_head")
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let reader = try UTF8ChunkReader(fileHandle: handle, displayName: "-", chunkSize: 100)
        #expect(reader.detection.hasByteOrderMark)
        #expect(reader.inputByteCount == 2184)
        #expect(String(decoding: try readAllText(reader), as: UTF8.self).hasSuffix("\n"))
    }

    @Test func missingFileIsUnreadable() {
        let url = URL(fileURLWithPath: "/nonexistent-civic-dir/missing.csv")
        let error = #expect(throws: TextDecodingError.self) { try UTF8ChunkReader(url: url) }
        #expect(
            error?.description
                == "/nonexistent-civic-dir/missing.csv:1: byte 0: unreadable: "
                + "cannot open the file: No such file or directory; check the path and its permissions"
        )
    }

    @Test func directoryIsUnreadable() {
        let url = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
        let error = #expect(throws: TextDecodingError.self) { try UTF8ChunkReader(url: url) }
        #expect(error?.code == .unreadable)
        #expect(error?.message == "cannot open the file: Is a directory; check the path and its permissions")
    }
}
