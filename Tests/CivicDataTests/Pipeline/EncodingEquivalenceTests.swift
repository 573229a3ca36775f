import Foundation
import Testing

@testable import CivicData

/// The same real file in another encoding (or as Excel's tab-separated "Unicode text") gives the same records.
@Suite struct EncodingEquivalenceTests {
    func records(_ bytes: [UInt8], name: String) throws -> [NormalizedRecord] {
        try DatasetReader.readAll(source: .bytes(bytes, name: name)).records
    }

    @Test func cp932FileReadsLikeItsUTF8Copy() throws {
        let original = try Fixture.bytes("realdata/ichikawa-122033__122033_105_preschool.csv")
        let text = try #require(String(data: Data(original), encoding: .shiftJIS))
        let fromCP932 = try records(original, name: "cp932.csv")
        let fromUTF8 = try records(Array(text.utf8), name: "utf8.csv")
        let withBOM = try records([0xEF, 0xBB, 0xBF] + Array(text.utf8), name: "bom.csv")
        #expect(fromCP932.count == 384)
        #expect(fromCP932 == fromUTF8)
        #expect(fromCP932 == withBOM)
    }

    @Test func utf16TabSeparatedReadsLikeTheCSV() throws {
        let original = try Fixture.bytes("realdata/yaizu-222127__222127_aed.csv")
        // Excel's "Unicode text": UTF-16LE with a BOM, tab-separated (no cell of this file holds a comma or tab).
        let text = String(decoding: original, as: UTF8.self).replacingOccurrences(of: ",", with: "\t")
        let utf16 = [UInt8](arrayLiteral: 0xFF, 0xFE) + Array(try #require(text.data(using: .utf16LittleEndian)))
        let (tabbed, report) = try DatasetReader.readAll(source: .bytes(utf16, name: "unicode.txt"))
        #expect(report.source.encoding == "UTF-16LE")
        #expect(report.source.delimiter == "tab")
        #expect(tabbed == (try records(original, name: "aed.csv")))
    }
}
