import CivicData
import Foundation
import Testing

@testable import CivicIngest

/// Reading on a second thread (`RecordReadAhead`, the default for CSV) gives the same records, output and report,
/// byte for byte, as reading on one thread: with many batches, findings, blank and total rows, and an error midway.
@Suite struct ReadAheadTests {
    /// Runs the pipeline with or without the read-ahead thread; returns the GeoJSON and the JSON report written.
    static func run(_ source: InputSource, readAhead: Bool) throws -> (geojson: [UInt8], report: [UInt8], records: Int) {
        var options = IngestOptions()
        options.read.readAhead = readAhead
        let geo = ByteWriter()
        let report = ByteWriter()
        let collector = RecordCollector()
        try Ingest.run(source, options: options, findings: JSONReportWriter(output: report), into: [GeoJSONRecordSink(output: geo), collector])
        return (geo.bytes, report.bytes, collector.records.count)
    }

    /// The real 焼津市 AED rows repeated to `copies` × 82 records (so that there are many batches), with blank rows,
    /// a bad coordinate and a total row among them.
    static func manyBatches(copies: Int) throws -> [UInt8] {
        let text = try String(contentsOf: IngestTests.url("yaizu_aed.csv"), encoding: .utf8)
        var lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = lines.removeFirst()
        var out = [header]
        for copy in 0..<copies {
            out += lines
            if copy % 7 == 3 { out.append("") }
            if copy == 11 { out.append(lines[0].replacingOccurrences(of: "34.8", with: "3x.8")) }
        }
        out.append("合計,,,,")
        return Array((out.joined(separator: "\r\n") + "\r\n").utf8)
    }

    @Test func manyBatchesGiveTheSameOutputAndReport() throws {
        let bytes = try Self.manyBatches(copies: 40)
        let one = try Self.run(.bytes(bytes, name: "aed.csv"), readAhead: false)
        let two = try Self.run(.bytes(bytes, name: "aed.csv"), readAhead: true)
        #expect(one.records == 40 * 82 + 1 && one.records > 3 * Ingest.batchSize)
        #expect(one.geojson == two.geojson)
        #expect(one.report == two.report)
        let report = try JSONDecoder().decode(Report.self, from: Data(two.report))
        #expect(report.summary.blankRows > 0 && report.summary.byCode["row.total"] != nil && report.summary.totals.errors > 0)
    }

    @Test func aRealFileGivesTheSameOutputAndReport() throws {
        let source = InputSource.file(IngestTests.url("yaizu_aed.csv"))
        let one = try Self.run(source, readAhead: false)
        let two = try Self.run(source, readAhead: true)
        #expect(one.records == 82 && one.geojson == two.geojson && one.report == two.report)
    }

    /// Bytes that are not UTF-8 after many good rows (the file was declared UTF-8): both ways stop with the same
    /// error, at the same line.
    @Test func anErrorMidwayIsThrownAfterTheRowsBeforeIt() throws {
        var bytes = try Self.manyBatches(copies: 30)
        bytes += Array("222127,9999,静岡県,焼津市,".utf8) + [0xFF, 0xFE] + Array("\r\n".utf8)
        var options = IngestOptions()
        options.read.encoding = .utf8
        func failure(readAhead: Bool) -> String? {
            options.read.readAhead = readAhead
            do {
                try Ingest.run(.bytes(bytes, name: "bad.csv"), options: options, findings: FindingCollector(), into: [RecordCollector()])
                return nil
            } catch {
                return String(describing: error)
            }
        }
        let one = failure(readAhead: false)
        #expect(one != nil)
        #expect(failure(readAhead: true) == one)
    }

    /// A sink that fails stops the run; the read-ahead thread is stopped, not left reading.
    @Test func aFailingSinkStopsTheReadAheadThread() throws {
        final class Failing: RecordSink {
            var batches = 0
            func begin(_ layout: RecordLayout) throws {}
            func write(_ records: [NormalizedRecord], report: ReportBuilder) throws {
                batches += 1
                if batches == 2 { throw CocoaError(.fileWriteOutOfSpace) }
            }
            func finish(report: ReportBuilder) throws {}
        }
        let sink = Failing()
        #expect(throws: CocoaError.self) {
            try Ingest.run(.bytes(try Self.manyBatches(copies: 60), name: "aed.csv"), findings: FindingCollector(), into: [sink])
        }
        #expect(sink.batches == 2)
    }
}
