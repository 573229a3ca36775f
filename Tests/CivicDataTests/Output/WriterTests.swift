import Foundation
import Testing

@testable import CivicData

@Suite struct WriterTests {
    func convert(_ file: String, framing: GeoJSONWriter.Framing = .featureCollection) throws -> (
        bytes: [UInt8], records: [NormalizedRecord], reader: DatasetReader
    ) {
        let reader = try DatasetReader(source: .file(Fixture.url("realdata/" + file)))
        let output = ByteWriter()
        let writer = GeoJSONWriter(output: output, columns: reader.outputColumns, schema: reader.schema, framing: framing)
        try writer.begin()
        var records: [NormalizedRecord] = []
        while let record = try reader.next(reportingTo: FindingCollector()) {
            try writer.write(record)
            records.append(record)
        }
        try writer.finish()
        return (output.bytes, records, reader)
    }

    @Test func geoJSONIsAnRFC7946FeatureCollection() throws {
        let (bytes, records, reader) = try convert("matsuyama-382019__302019_care_service.csv")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["type"] as? String == "FeatureCollection")
        let features = try #require(object["features"] as? [[String: Any]])
        #expect(features.count == records.filter { $0.latitude != nil }.count)
        #expect(features.count == 6771 - 15)
        let first = try #require(features.first)
        let geometry = try #require(first["geometry"] as? [String: Any])
        let coordinates = try #require(geometry["coordinates"] as? [Double])
        #expect(coordinates[0] > 132 && coordinates[0] < 133)  // longitude first
        #expect(coordinates[1] > 33 && coordinates[1] < 34)
        let properties = try #require(first["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(reader.outputColumns))
        #expect(properties["全国地方公共団体コード"] as? String == "382019")
    }

    @Test func geoJSONTextSequences() throws {
        let (bytes, records, _) = try convert("yaizu-222127__222127_aed.csv", framing: .textSequence)
        let lines = bytes.split(separator: 0x0A)
        #expect(lines.count == records.count)
        for line in lines {
            #expect(line.first == 0x1E)
            let feature = try #require(try JSONSerialization.jsonObject(with: Data(line.dropFirst())) as? [String: Any])
            #expect(feature["type"] as? String == "Feature")
            #expect(feature["id"] is String)
        }
    }

    @Test func jsonBytesEscapeAndRound() throws {
        var out: [UInt8] = []
        JSONBytes.appendString("a\"b\\c\n\u{01}日本", to: &out)
        #expect(try JSONSerialization.jsonObject(with: Data(out), options: .fragmentsAllowed) as? String == "a\"b\\c\n\u{01}日本")
        for (value, text) in [(139.76712549, "139.7671255"), (35.0, "35"), (-0.00000004, "0"), (-12.5, "-12.5"), (0.1, "0.1")] {
            var bytes: [UInt8] = []
            JSONBytes.appendFixed(value, precision: 7, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == text)
        }
        for (value, precision, text) in [
            (0.05, 7, "0.05"), (1e-7, 7, "0.0000001"), (-0.5, 7, "-0.5"), (123456789.25, 2, "123456789.25"), (7, 0, "7"),
        ] {
            var bytes: [UInt8] = []
            JSONBytes.appendFixed(value, precision: precision, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == text)
        }
        // Against the digits as Swift's own integer printing gives them, for many coordinates.
        var seed: UInt64 = 7
        for _ in 0..<20_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Double(Int64(bitPattern: seed) % 3_600_000_000_000) / 1e10
            var bytes: [UInt8] = []
            JSONBytes.appendFixed(value, precision: 7, to: &bytes)
            let units = Int64((value * 1e7).rounded())
            var expected = (units < 0 ? "-" : "") + String(abs(units) / 10_000_000)
            var fraction = String(abs(units) % 10_000_000)
            fraction = String(repeating: "0", count: 7 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            if !fraction.isEmpty { expected += "." + fraction }
            if expected == "-0" { expected = "0" }
            #expect(String(decoding: bytes, as: UTF8.self) == expected, "\(value)")
        }
        #expect(JSONBytes.isJSONNumber("12.5") && JSONBytes.isJSONNumber("-3") && JSONBytes.isJSONNumber("0"))
        #expect(!JSONBytes.isJSONNumber("007") && !JSONBytes.isJSONNumber("1.") && !JSONBytes.isJSONNumber("+1") && !JSONBytes.isJSONNumber(""))
    }

    @Test func csvQuotingBOMAndCP932() throws {
        let output = ByteWriter()
        let writer = try CSVWriter(output: output, byteOrderMark: true)
        try writer.writeHeader(["名称", "備考"])
        try writer.writeRow(["A,B", "say \"hi\"\n2行目"], line: 2)
        try writer.finish()
        #expect(output.bytes == [0xEF, 0xBB, 0xBF] + Array("名称,備考\r\n\"A,B\",\"say \"\"hi\"\"\n2行目\"\r\n".utf8))

        let sjis = ByteWriter()
        let cp932 = try CSVWriter(output: sjis, encoding: .cp932)
        try cp932.writeRow(["〜", "−"], line: 5)
        #expect(sjis.bytes == [0x81, 0x60, 0x2C, 0x81, 0x7C, 0x0D, 0x0A])
        try cp932.writeHeader(["名称", "備考"])
        #expect {
            try cp932.writeRow(["ok", "😀"], line: 7)
        } throws: { error in
            (error as? CSVWriteError)?.description == "unencodable: line 7, column 備考: U+1F600 '😀' cannot be written in CP932; write UTF-8 instead"
        }
    }

    @Test func jsonReportStreamsAndParses() throws {
        let reader = try DatasetReader(source: .file(Fixture.url("realdata/komae-132195__132195_aed.csv")))
        let output = ByteWriter()
        let writer = JSONReportWriter(output: output, showValues: false)
        let report = ReportBuilder(sink: writer)
        while try reader.next(reportingTo: report) != nil {}
        try report.finish()
        let summary = report.summary
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.bytes)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == summary.totals.errors + summary.totals.warnings + summary.totals.fixed + summary.totals.info)
        #expect(findings.allSatisfy { $0["before"] == nil && $0["after"] == nil })
        #expect((object["recognition"] as? [String: Any])?["dataset"] as? String == "aed")
        #expect(object["valid"] is Bool)
        // And the same report decodes as `Report` once the findings are in.
        let decoded = try JSONDecoder().decode(Report.self, from: Data(output.bytes))
        #expect(decoded.summary == summary)
    }

    /// Without --show-values a report leaves values out, except a `before` that is the only copy of input cells (a
    /// cell beyond the header, a total or note row …); `after` stays out.
    @Test func onlyCopiesAreAlwaysWritten() throws {
        let kept = Finding(.rowTooManyCells, .error, line: 3, column: "列5", message: "beyond the header", before: "葵区呉服町二丁目１－１")
        let total = Finding(.rowTotal, .info, line: 9, message: "a total row", before: "合計 | 12")
        let redacted = Finding(.cellTrimmed, .fixed, line: 3, column: "名称", message: "trimmed", before: " 駐輪場", after: "駐輪場")
        #expect(kept.isOnlyCopy && total.isOnlyCopy && !redacted.isOnlyCopy)
        var json: [UInt8] = []
        for finding in [kept, total, redacted] { JSONReportWriter.append(finding, showValues: false, to: &json) }
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""before":"葵区呉服町二丁目１－１""#) && text.contains(#""before":"合計 | 12""#))
        #expect(!text.contains("駐輪場"))
        let output = ByteWriter()
        let writer = TextReportWriter(output: output, showValues: false, listedSeverity: .info)
        for finding in [kept, redacted] { try writer.receive(finding) }
        let lines = String(decoding: output.bytes, as: UTF8.self)
        #expect(lines.contains("[葵区呉服町二丁目１－１]") && !lines.contains("駐輪場"))
    }
}
