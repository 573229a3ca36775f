import CivicData
import CivicGeo
import Foundation
import Testing

@testable import CivicIngest

/// The coordinate and data-loss patterns of the held-out files (Fixtures/heldout/HELDOUT.md: Z, P, G, F, J and the
/// cells beyond the header), on the files themselves.
@Suite struct HeldOutCoordinateTests {
    static let heldout: URL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/heldout")

    static func url(_ name: String) -> URL { heldout.appendingPathComponent(name) }

    /// The GeoJSON features of a run, and its report.
    static func convert(_ source: InputSource) throws -> (features: [[String: Any]], report: Report) {
        let geo = ByteWriter()
        let collector = FindingCollector()
        var report = try Ingest.run(source, findings: collector, into: [GeoJSONRecordSink(output: geo)])
        report.findings = collector.findings
        let object = try #require(try JSONSerialization.jsonObject(with: Data(geo.bytes)) as? [String: Any])
        return (try #require(object["features"] as? [[String: Any]]), report)
    }

    static func codes(_ report: Report, _ code: FindingCode) -> [Finding] { report.findings.filter { $0.code == code } }

    // MARK: Z: inside Japan

    /// The Seoul AED file with its 경도/위도 headers renamed 経度/緯度: every point is inside the old box 緯度 20–46 /
    /// 経度 122–154, none is in Japan: none is placed, each is reported.
    @Test func seoulWithJapaneseHeadersPlacesNothing() throws {
        var text = try String(contentsOf: Self.url("seoul-korea__AED.csv"), encoding: .utf8)
        text = text.replacingOccurrences(of: "경도", with: "経度").replacingOccurrences(of: "위도", with: "緯度")
        let (features, report) = try Self.convert(.bytes(Array(text.utf8), name: "AED.csv"))
        #expect(report.summary.records == 7)
        #expect(features.isEmpty)
        let outside = Self.codes(report, .coordinatesOutsideJapan)
        #expect(outside.count == 7 && outside.allSatisfy { $0.severity == .error && $0.column == "緯度" })
        #expect(report.coordinates?.outsideJapan == 7)
        #expect(!report.isValid)
    }

    /// Points at Japan's edges stay on the map: 対馬 (50 km from Busan), 与那国, 那覇, 父島, 稚内, 根室.
    @Test func edgesOfJapanArePlaced() throws {
        let csv = """
            名称,緯度,経度
            対馬市役所,34.203,129.287
            鰐浦,34.697,129.431
            与那国町役場,24.468,123.004
            那覇市役所,26.212,127.679
            小笠原村役場,27.094,142.192
            稚内市役所,45.415,141.673
            根室市役所,43.330,145.583
            釜山,35.180,129.076

            """
        let (features, report) = try Self.convert(.bytes(Array(csv.utf8), name: "edges.csv"))
        #expect(features.count == 7)
        let outside = Self.codes(report, .coordinatesOutsideJapan)
        #expect(outside.map(\.line) == [9])
    }

    // MARK: P, G, F: coordinates present but not placed

    /// 51 points in six files: `longtitude` (#9), rōmaji `ido`/`keido` (#24, #25), `Y`/`X` in degrees with a trailing
    /// space (#23, #29, #31).
    @Test(arguments: [
        ("hokkaido-pref-010006__hospital_list.csv", 12),
        ("shinjuku-131041__nurseryFacilities.csv", 10),
        ("shizuoka-221007__gogo_aed.csv", 2),
        ("shizuoka-221007__gogo_toire.csv", 11),
        ("koriyama-072036__nurseryData.csv", 10),
        ("muroran-012050__nurseryFacilities.csv", 6),
    ])
    func coordinatesAreRead(file: String, points: Int) throws {
        let (features, report) = try Self.convert(.file(Self.url(file)))
        #expect(features.count == points)
        #expect(Self.codes(report, .coordinatesTransformFailed).isEmpty)
        #expect(report.coordinates?.outsideJapan == 0 && Self.codes(report, .coordinatesOutsideJapan).isEmpty)
    }

    /// `Y`/`X` in degrees: decided once for the file, reported with the reason; the point is 緯度 = Y, 経度 = X.
    @Test func xyInDegreesIsReportedOnce() throws {
        let (features, report) = try Self.convert(.file(Self.url("shinjuku-131041__nurseryFacilities.csv")))
        let decided = Self.codes(report, .coordinatesPlaneColumnsInDegrees)
        #expect(decided.count == 1)
        #expect(decided.first?.line == 2 && decided.first?.column == "X" && decided.first?.message.contains("平面直角座標") == true)
        let first = try #require((features.first?["geometry"] as? [String: Any])?["coordinates"] as? [Double])
        #expect(abs(first[0] - 139.70662) < 1e-9 && abs(first[1] - 35.70838) < 1e-9)
    }

    /// X/Y in metres are still 平面直角座標 (the existing plane fixture), not degrees.
    @Test func xyInMetresStayPlane() throws {
        let (features, report) = try Self.convert(.file(Self.heldout.deletingLastPathComponent().appendingPathComponent("yaizu_aed_plane.csv")))
        #expect(Self.codes(report, .coordinatesPlaneColumnsInDegrees).isEmpty)
        #expect(!features.isEmpty && report.coordinates?.sources.contains { $0.crs.contains("VIII") || $0.crs.contains("8") } == true)
    }

    /// Small X/Y in degrees outside Japan's range are not degrees, and a file whose first pair is degrees checks the
    /// rest as degrees (a metre value then is reported, not placed).
    @Test func degreesDecisionIsPerFile() throws {
        let csv = """
            名称,X,Y
            a,139.70662,35.70838
            b,-23456.7,12345.6

            """
        let (features, report) = try Self.convert(.bytes(Array(csv.utf8), name: "points.csv"))
        #expect(features.count == 1)
        #expect(Self.codes(report, .coordinatesPlaneColumnsInDegrees).count == 1)
        #expect(report.findings.contains { $0.line == 3 && $0.severity == .error && $0.code.rawValue.hasPrefix("coordinate") })
    }

    /// In a standard dataset without 緯度/経度 columns, X/Y in degrees fill its empty 緯度/経度 (X/Y stay as written).
    @Test func xyInDegreesFillTheStandardFields() throws {
        let csv = """
            名称,Y,X
            大久保第一保育園,35.70838 ,139.70662

            """
        var options = IngestOptions()
        options.read = ReadOptions(dataset: "preschool")
        let source = InputSource.bytes(Array(csv.utf8), name: "nursery.csv")
        let (records, report) = try Ingest.readAll(source, options: options)
        #expect(report.recognition.dataset == "preschool")
        let record = try #require(records.first)
        let columns = try Ingest.open(source, options: options).outputColumns
        let value = { (name: String) in columns.firstIndex(of: name).map { record.values[$0] } }
        #expect(value("緯度") == "35.70838" && value("経度") == "139.70662")
        #expect(value("Y") == "35.70838" && value("X") == "139.70662")
        #expect(record.latitude == 35.70838 && record.longitude == 139.70662)
        #expect(report.findings.filter { $0.code == .coordinatesPlaneColumnsInDegrees }.count == 1)
    }

    /// The rōmaji and misspelt names are aliases of the standard datasets' 緯度/経度.
    @Test func bundledSchemasHaveTheAliases() throws {
        let catalog = SchemaCatalog.bundled
        for id in ["aed", "public_toilet", "medical_institution", "preschool"] {
            let schema = try catalog.schema(id: id)
            let latitude = try #require(schema.fields.first { $0.name == "緯度" })
            let longitude = try #require(schema.fields.first { $0.name == "経度" })
            #expect(["ido", "idou", "latitude", "lat"].allSatisfy(latitude.aliases.contains), "\(id)")
            #expect(["keido", "keidou", "longtitude", "longitude", "lng", "lon", "long"].allSatisfy(longitude.aliases.contains), "\(id)")
        }
    }

    // MARK: J: JavaScript saved as .csv

    @Test func javaScriptIsRefused() throws {
        do {
            _ = try Ingest.readAll(.file(Self.url("machida-132098__251017hoiku.csv")))
            Issue.record("expected an error")
        } catch let error as DatasetError {
            #expect(error.code == .notATable && error.description.contains("not a table: a JavaScript file"))
        }
    }

    @Test(arguments: [
        "var mapCategoryCsv = {", "const data=[", "let  x = 1;", "function init() {", "window.points = [", "\"use strict\";",
        "export default {", "module.exports = [",
    ])
    func javaScriptOpenings(line: String) {
        #expect(InputSniffer.isJavaScript(line))
    }

    @Test(arguments: [
        "var,name,value", "名称,住所,緯度,経度", "function,description", "const ant,b", "window,door", "VAR x = 1",
        "variable = 1,2", "functions(a),b",
    ])
    func tableHeadersAreNotJavaScript(line: String) {
        #expect(!InputSniffer.isJavaScript(line))
    }

    /// Every other held-out file still passes the sniffer: it refuses only the JavaScript (JSON goes to the GeoJSON
    /// reader).
    @Test func everyOtherFixtureStillReads() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.heldout.path).filter { !$0.hasSuffix(".md") }.sorted()
        #expect(files.count == 32)
        let refused = files.filter { file in
            let source = InputSource.file(Self.url(file))
            return !InputSniffer.isJSON(source) && InputSniffer.notATable(source) != nil
        }
        #expect(refused == ["machida-132098__251017hoiku.csv"])
    }

    // MARK: Cells beyond the header

    /// Over every table fixture: every non-empty cell beyond the header is in the JSON report, without --show-values,
    /// as the `before` of a `row.tooManyCells` finding on its line and column — its only copy.
    @Test func cellsBeyondTheHeaderAreInTheReport() throws {
        let root = Self.heldout.deletingLastPathComponent()
        var files = try FileManager.default.contentsOfDirectory(atPath: Self.heldout.path).map { "heldout/" + $0 }
        files += try FileManager.default.contentsOfDirectory(atPath: root.path)
        var checked = 0
        for file in files.sorted() where file.hasSuffix(".csv") || file.hasSuffix(".xlsx") {
            let url = root.appendingPathComponent(file)
            guard InputSniffer.notATable(.file(url)) == nil else { continue }
            let out = ByteWriter()
            _ = try Ingest.run(.file(url), findings: JSONReportWriter(output: out, showValues: false), into: [])
            let report = try JSONDecoder().decode(Report.self, from: Data(out.bytes))
            // The cells as read by a reader of their own: the file's rows against its header.
            let rows = try Self.rows(of: url)
            guard let header = rows.first else { continue }
            for (index, row) in rows.enumerated().dropFirst() where row.cells.count > header.cells.count {
                for (offset, cell) in row.cells.enumerated().dropFirst(header.cells.count) where !Whitespace.trimmed(cell).isEmpty {
                    let column = "列\(offset + 1)"
                    let found = report.findings.contains {
                        $0.code == .rowTooManyCells && $0.line == row.line && $0.column == column && $0.before == cell
                    }
                    let keptAsNote = report.findings.contains {
                        ($0.code == .rowTotal || $0.code == .rowNote) && $0.line == row.line && $0.before?.contains(cell) == true
                    }
                    #expect(found || keptAsNote, "\(file) row \(index + 1) \(column)")
                    checked += 1
                }
            }
        }
        // The 静岡市 files (#24 2 cells, #25 11 cells) hold such cells at least.
        #expect(checked >= 13)
    }

    /// Rows of a text file, split by the CSV reader alone (no header search, no recognition).
    static func rows(of url: URL) throws -> [CSVRow] {
        guard url.pathExtension == "csv" else { return [] }
        let reader = try CSVReader(source: InputSource.file(url).makeChunkReader(encoding: nil))
        var rows: [CSVRow] = []
        while let row = try reader.nextRow() { rows.append(row) }
        return rows.filter { !$0.isBlank }
    }
}
