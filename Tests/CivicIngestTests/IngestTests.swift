import CivicData
import CivicExcel
import CivicGeo
import Foundation
import Testing

@testable import CivicIngest

/// The pipeline: one run hands the same records to every sink, builds the report as the stages go, and reads CSV and
/// workbooks alike.
@Suite struct IngestTests {
    static let fixtures: URL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    @Test func everySinkGetsTheSameLayoutAndRecords() throws {
        let csvOut = ByteWriter()
        let geoOut = ByteWriter()
        let reportOut = ByteWriter()
        let collector = RecordCollector()
        let report = try Ingest.run(
            .file(Self.url("yaizu_aed.csv")),
            findings: JSONReportWriter(output: reportOut),
            into: [try CSVRecordSink(output: csvOut), GeoJSONRecordSink(output: geoOut), collector]
        )
        #expect(report.summary.records == 82 && report.summary.features == 82 && report.isValid)
        #expect(report.recognition.dataset == "aed" && report.coordinates?.sources.first?.records == 82)
        let layout = try #require(collector.layout)
        let csv = String(decoding: csvOut.bytes, as: UTF8.self)
        #expect(csv.hasPrefix(layout.columns.joined(separator: ",") + "\r\n"))
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 83)
        let geo = try #require(try JSONSerialization.jsonObject(with: Data(geoOut.bytes)) as? [String: Any])
        #expect((geo["features"] as? [Any])?.count == 82)
        // The streamed report is the whole report: its summary is the run's.
        let written = try JSONDecoder().decode(Report.self, from: Data(reportOut.bytes))
        #expect(written.summary == report.summary && written.coordinates == report.coordinates)
        #expect(
            written.findings.count == report.summary.totals.errors + report.summary.totals.warnings + report.summary.totals.fixed
                + report.summary.totals.info
        )
        #expect(collector.records.count == 82 && collector.records.allSatisfy { $0.longitude != nil })
    }

    @Test func aWorkbookGivesTheSameRecordsAsItsCSV() throws {
        let (fromCSV, csvReport) = try Ingest.readAll(.file(Self.url("yaizu_aed.csv")))
        let (fromWorkbook, workbookReport) = try Ingest.readAll(.file(Self.url("yaizu_aed.xlsx")))
        #expect(fromCSV.map(\.values) == fromWorkbook.map(\.values))
        #expect(csvReport.source.format == "csv" && workbookReport.source.format == "xlsx")
        // The same findings, apart from the workbook's own (numbers stored as text in 緯度/経度).
        #expect(csvReport.summary.byCode == workbookReport.summary.byCode.filter { !$0.key.hasPrefix("workbook.") })
    }

    @Test func planeCoordinatesAreGeoreferencedAndProjectedColumnsAdded() throws {
        let (records, report) = try Ingest.readAll(.file(Self.url("yaizu_aed_plane.csv")))
        #expect(records.count == 82 && records.allSatisfy { $0.longitude != nil && $0.latitude != nil })
        #expect(report.coordinates?.sources.first?.basis == "detected")

        let collector = RecordCollector()
        var options = IngestOptions(georeferencing: Georeferencer.Options(target: .jgd2011))
        options.projection = try CRS(parsing: "EPSG:6676")
        try Ingest.run(.file(Self.url("yaizu_aed.csv")), options: options, findings: FindingCollector(), into: [collector])
        let layout = try #require(collector.layout)
        #expect(layout.columns.suffix(2) == ["X座標(EPSG:6676)", "Y座標(EPSG:6676)"])
        #expect(layout.kinds.suffix(2) == [.number, .number])
        let first = try #require(collector.records.first)
        #expect(first.values.count == layout.columns.count)
        #expect(Double(first.values[first.values.count - 2]) != nil && Double(first.values[first.values.count - 1]) != nil)
    }

    @Test func withoutGeoreferencingCoordinatesStayAsRead() throws {
        let (records, report) = try Ingest.readAll(.file(Self.url("yaizu_aed_plane.csv")), options: IngestOptions(georeferencing: nil))
        #expect(records.allSatisfy { $0.longitude == nil } && report.coordinates == nil)
    }

    @Test func aSinkThatFailsStopsTheRun() throws {
        // CP932 cannot hold 😀: the CSV sink's error names the line and column, and the run stops with it.
        let text = try String(contentsOf: Self.url("yaizu_aed.csv"), encoding: .utf8).replacingOccurrences(of: "市役所本館", with: "市役所本館😀")
        #expect(throws: CSVWriteError.self) {
            try Ingest.run(
                .bytes(Array(text.utf8), name: "emoji.csv"),
                findings: FindingCollector(),
                into: [try CSVRecordSink(output: ByteWriter(), encoding: .cp932)]
            )
        }
    }

    @Test func aDescriptorsSettingsBecomeOptions() throws {
        let descriptor = try JSONDecoder().decode(
            DatasetDescriptor.self,
            from: Data(
                #"{"id": "x", "title": "x", "file": "data.csv", "dataset": "aed", "encoding": "cp932", "crs": "EPSG:6676", "sheet": "2", "municipalityCode": "222127"}"#
                    .utf8
            )
        )
        let options = try IngestOptions(descriptor: descriptor, directory: Self.fixtures)
        #expect(options.read.dataset == "aed" && options.read.encoding == TextEncoding(name: "cp932"))
        #expect(options.georeferencing?.declared == (try CRS(parsing: "EPSG:6676")) && options.georeferencing?.declaredBy == "dataset.json")
        #expect(options.georeferencing?.municipalityCode == "222127" && options.sheet == Workbook.SheetSelector("2"))

        let bad = try JSONDecoder().decode(
            DatasetDescriptor.self,
            from: Data(#"{"id": "x", "title": "x", "file": "data.csv", "encoding": "latin-9"}"#.utf8)
        )
        #expect(throws: IngestError.self) { try IngestOptions(descriptor: bad, directory: Self.fixtures) }
        let missingSchema = try JSONDecoder().decode(
            DatasetDescriptor.self,
            from: Data(#"{"id": "x", "title": "x", "file": "data.csv", "schema": "nope.schema.json"}"#.utf8)
        )
        #expect(throws: IngestError.self) { try IngestOptions(descriptor: missingSchema, directory: Self.fixtures) }
    }

    /// A table that fits no standard dataset is read as a generic one: every column kept, the knowable ones checked,
    /// the closest standard datasets named.
    @Test func aTableOfNoStandardIsReadAsAGenericDataset() throws {
        let text =
            "公園名,面積,開園年,電話,緯度,経度,メモ\r\n中央公園,1200,1985,(054)626-1111,34.866918,138.323171,00123\r\n北公園,800,1990,054-626-2222,北緯34度52分,138.32,\r\n"
        let (records, report) = try Ingest.readAll(.bytes(Array(text.utf8), name: "parks.csv"))
        #expect(report.recognition.dataset == GenericSchema.id && report.recognition.layout == .nonStandard)
        #expect(!report.recognition.candidates.isEmpty && report.recognition.reason.contains("closest"))
        #expect(report.outputColumns == ["公園名", "面積", "開園年", "電話", "緯度", "経度", "メモ"])
        #expect(report.findings.contains { $0.code == .layoutGeneric && $0.severity == .warning })
        // Knowable by name: the phone number is normalised, the coordinates are placed, codes stay as written.
        #expect(records[0].values == ["中央公園", "1200", "1985", "054-626-1111", "34.866918", "138.323171", "00123"])
        #expect(records[0].longitude == 138.323171 && records[1].latitude.map { abs($0 - (34 + 52.0 / 60)) < 1e-6 } == true)
        #expect(report.summary.features == nil && report.isValid)
    }
}

/// Coordinates and line breaks as municipalities write them, through the whole pipeline.
@Suite struct IngestFormsTests {
    /// A line break inside a quoted cell (CR, LF or CRLF) is kept as it was, in the records and in the CSV written.
    @Test func lineBreaksInQuotedCellsAreKeptAsTheyWere() throws {
        let text = "ID,名称,備考,緯度,経度\r\n1,\"a\r\nb\",\"x\ny\",34.8,138.3\r\n2,\"c\rd\",z,34.8,138.3\r\n"
        let out = ByteWriter()
        var options = IngestOptions()
        options.read.dataset = "aed"
        let collector = RecordCollector()
        try Ingest.run(
            .bytes(Array(text.utf8), name: "breaks.csv"),
            options: options,
            findings: FindingCollector(),
            into: [collector, try CSVRecordSink(output: out)]
        )
        let layout = try #require(collector.layout)
        let name = try #require(layout.index(of: "名称"))
        #expect(collector.records.map { $0.values[name] } == ["a\r\nb", "c\rd"])
        let csv = String(decoding: out.bytes, as: UTF8.self)
        #expect(csv.contains("\"a\r\nb\"") && csv.contains("\"x\ny\"") && csv.contains("\"c\rd\""))
    }

    @Test func degreesMinutesSecondsArePlacedAndReported() throws {
        let text = "ID,名称,緯度,経度\r\n1,市役所,34°52'0.9\"N,138°19'23.4\"E\r\n2,支所,北緯34度52分0.9秒,東経138度19分23.4秒\r\n3,同値,34.8,34.8\r\n"
        var options = IngestOptions()
        options.read.dataset = "aed"
        let (records, report) = try Ingest.readAll(.bytes(Array(text.utf8), name: "dms.csv"), options: options)
        #expect(records[0].latitude == records[1].latitude && records[0].longitude == records[1].longitude)
        let latitude = try #require(records[0].latitude)
        #expect(abs(latitude - (34 + 52.0 / 60 + 0.9 / 3600)) < 1e-6)
        #expect(report.findings.filter { $0.code == .coordinateDegreesMinutesSeconds }.count == 4)
        #expect(records[2].latitude == nil && report.findings.contains { $0.code == .coordinatesEqual && $0.line == 4 })
    }
}

/// Files that are not tables say what they are.
@Suite struct InputSnifferTests {
    static func zip(_ names: [String]) -> () -> [String]? { { names } }

    @Test(
        arguments: [
            (Array("%PDF-1.7\n".utf8), "a PDF document"),
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A], "a PNG image"),
            ([0xFF, 0xD8, 0xFF, 0xE0], "a JPEG image"),
            ([0x1F, 0x8B, 0x08], "a gzip-compressed file (decompress it first)"),
            (Array("<!DOCTYPE html><html>".utf8), "an HTML page (a web page was saved instead of the file?)"),
            (Array("\u{FEFF}  <html lang=ja>".utf8), "an HTML page (a web page was saved instead of the file?)"),
            ([0x41, 0x00, 0x42, 0x00, 0x43], "a binary file, not text"),
        ] as [([UInt8], String)]
    )
    func describes(head: [UInt8], expected: String) {
        #expect(InputSniffer.describe(head, entries: { nil }) == expected)
    }

    @Test func tablesPass() {
        #expect(InputSniffer.describe(Array("名称,住所\r\n".utf8), entries: { nil }) == nil)
        #expect(InputSniffer.describe([0xFF, 0xFE, 0x41, 0x00], entries: { nil }) == nil)  // UTF-16 text
        #expect(InputSniffer.describe([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00, 0x00], entries: { nil }) == nil)  // an .xls
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        #expect(InputSniffer.describe(zip, entries: Self.zip(["[Content_Types].xml", "xl/workbook.xml"])) == nil)
        #expect(InputSniffer.describe(zip, entries: Self.zip(["word/document.xml"])) == "a Word document (.docx), not a table")
        #expect(
            InputSniffer.describe(zip, entries: Self.zip(["aed.csv", "toilet.csv"]))
                == "a ZIP archive that is not a workbook (it holds aed.csv, toilet.csv); extract it first"
        )
    }

    @Test func theErrorNamesTheFile() throws {
        do {
            _ = try Ingest.readAll(.bytes(Array("%PDF-1.4 …".utf8), name: "aed.csv"))
            Issue.record("expected an error")
        } catch let error as DatasetError {
            #expect(error.code == .notATable && error.description == "aed.csv:1: notATable: not a table: a PDF document")
        }
    }
}
