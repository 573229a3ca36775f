import CivicData
import CivicExcel
import CivicGeo
import Foundation
import Testing

@testable import CivicIngest

/// GeoJSON in, through the one pipeline: read as a table, geometry checked (GEOS), reprojected (PROJ), written out.
@Suite struct GeoJSONIngestTests {
    static let miyakojima = IngestTests.url("miyakojima.json")

    static func run(_ text: String, options: IngestOptions = IngestOptions()) throws -> (
        records: [NormalizedRecord], report: Report, geoJSON: [String: Any]
    ) {
        let out = ByteWriter()
        let collector = FindingCollector()
        let records = RecordCollector()
        var report = try Ingest.run(
            .bytes(Array(text.utf8), name: "test.geojson"),
            options: options,
            findings: collector,
            into: [GeoJSONRecordSink(output: out), records]
        )
        report.findings = collector.findings
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.bytes)) as? [String: Any])
        return (records.records, report, json)
    }

    static func features(_ json: [String: Any]) -> [[String: Any]] { json["features"] as? [[String: Any]] ?? [] }

    /// A property value as text, for comparing input and output independently of how numbers are typed.
    static func text(_ value: Any?) -> String? {
        switch value {
        case nil, is NSNull: nil
        case let string as String: Double(string).map { "\($0)" } ?? string
        case let number as NSNumber: "\(number.doubleValue)"
        default: "\(value!)"
        }
    }

    @Test func theMiyakojimaBoundariesGoThroughWhole() throws {
        let input = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.miyakojima)) as? [String: Any])
        let inputFeatures = Self.features(input)
        #expect(inputFeatures.count == 47)

        let geoOut = ByteWriter()
        let csvOut = ByteWriter()
        let collector = FindingCollector()
        let report = try Ingest.run(
            .file(Self.miyakojima),
            findings: collector,
            into: [GeoJSONRecordSink(output: geoOut), try CSVRecordSink(output: csvOut)]
        )
        #expect(report.summary.records == 47 && report.summary.features == 47)
        #expect(report.recognition.dataset == GenericSchema.id)
        #expect(report.source.format == "geojson")
        // No "crs": CRS84 (RFC 7946), nothing to transform.
        #expect(report.coordinates?.sources.contains { $0.definition == "OGC:CRS84" && $0.records == 47 } == true)

        let output = try #require(try JSONSerialization.jsonObject(with: Data(geoOut.bytes)) as? [String: Any])
        let outputFeatures = Self.features(output)
        #expect(outputFeatures.count == 47)
        for (read, written) in zip(inputFeatures, outputFeatures) {
            let readProperties = try #require(read["properties"] as? [String: Any])
            let writtenProperties = try #require(written["properties"] as? [String: Any])
            // Every property kept, with its value.
            #expect(Set(readProperties.keys) == Set(writtenProperties.keys))
            for (key, value) in readProperties {
                #expect(Self.text(value) == Self.text(writtenProperties[key]), "\(key)")
            }
            let readGeometry = try #require(read["geometry"] as? [String: Any])
            let writtenGeometry = try #require(written["geometry"] as? [String: Any])
            #expect(readGeometry["type"] as? String == "Polygon" && writtenGeometry["type"] as? String == "Polygon")
            let readRings = try #require(readGeometry["coordinates"] as? [[[Double]]])
            let writtenRings = try #require(writtenGeometry["coordinates"] as? [[[Double]]])
            #expect(readRings.map(\.count) == writtenRings.map(\.count))
            for (readRing, writtenRing) in zip(readRings, writtenRings) {
                for (a, b) in zip(readRing, writtenRing) {
                    #expect(abs(a[0] - b[0]) <= 0.5e-7 && abs(a[1] - b[1]) <= 0.5e-7)
                }
            }
        }

        // Numbers stay numbers (every value of AREA is a JSON number), codes written as strings stay strings.
        let properties = try #require(outputFeatures.first?["properties"] as? [String: Any])
        #expect(properties["AREA"] as? String == nil && (properties["AREA"] as? NSNumber)?.doubleValue == 157798.1)
        #expect(properties["KIHON1"] as? String == "0140" && properties["KEN"] as? String == "27")

        // CSV: every column plus the geometry as WKT, which GEOS reads back with the same vertices.
        let csv = String(decoding: csvOut.bytes, as: UTF8.self)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 48)
        #expect(lines[0].hasSuffix(",\(RecordGeometry.wktColumn)"))
        let context = try GEOSContext()
        let firstWKT = try #require(lines[1].components(separatedBy: ",\"POLYGON").last.map { "POLYGON" + $0.dropLast() })
        let first = try Geometry(wkt: firstWKT, context: context)
        let firstRings = try #require((inputFeatures[0]["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])
        #expect(first.typeName == "Polygon")
        let box = first.envelope
        #expect(abs(box.minX - firstRings[0].map { $0[0] }.min()!) < 1e-12 && abs(box.maxY - firstRings[0].map { $0[1] }.max()!) < 1e-12)
    }

    /// GeoJSON whose properties are a standard dataset's is that dataset: the 焼津市 AED list written as GeoJSON by
    /// the pipeline is read back as AED設置箇所一覧, validated, with the same points.
    @Test func aStandardDatasetInGeoJSONIsRecognised() throws {
        let geoJSON = ByteWriter()
        let first = RecordCollector()
        try Ingest.run(.file(IngestTests.url("yaizu_aed.csv")), findings: FindingCollector(), into: [GeoJSONRecordSink(output: geoJSON), first])
        let collector = FindingCollector()
        let second = RecordCollector()
        let report = try Ingest.run(.bytes(geoJSON.bytes, name: "aed.geojson"), findings: collector, into: [second])
        #expect(report.recognition.dataset == "aed" && report.summary.records == 82 && report.isValid)
        #expect(second.records.map(\.geometry?.kind) == Array(repeating: .point, count: 82))
        for (a, b) in zip(first.records, second.records) {
            #expect(abs(a.longitude! - b.longitude!) < 1e-7 && abs(a.latitude! - b.latitude!) < 1e-7)
        }
        // The standard's columns, by name, hold the same values.
        let names = try #require(first.layout?.columns)
        let index = try #require(second.layout?.index(of: "名称"))
        #expect(second.records.map { $0.values[index] } == first.records.map { $0.values[names.firstIndex(of: "名称")!] })
    }

    @Test func linesAndMultiPolygonsKeepTheirType() throws {
        let (records, report, json) = try Self.run(
            """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"路線名":"桜通"},"geometry":{"type":"LineString","coordinates":[[135.52,34.70],[135.53,34.71],[135.54,34.71]]}},
            {"type":"Feature","properties":{"路線名":"区域"},"geometry":{"type":"MultiPolygon","coordinates":[[[[135.50,34.70],[135.51,34.70],[135.51,34.71],[135.50,34.70]]],[[[135.60,34.70],[135.61,34.70],[135.61,34.71],[135.60,34.70]]]]}}
            ]}
            """
        )
        #expect(records.map { $0.geometry?.kind } == [.lineString, .multiPolygon])
        #expect(report.isValid && !report.findings.contains { $0.code.rawValue.hasPrefix("geometry.") })
        let features = Self.features(json)
        #expect(features.map { ($0["geometry"] as? [String: Any])?["type"] as? String } == ["LineString", "MultiPolygon"])
        let multi = try #require((features[1]["geometry"] as? [String: Any])?["coordinates"] as? [[[[Double]]]])
        #expect(multi.count == 2 && multi[1][0][2] == [135.61, 34.71])
    }

    static let bowTie = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"名称":"蝶"},"geometry":{"type":"Polygon","coordinates":[[[135.50,34.70],[135.52,34.72],[135.52,34.70],[135.50,34.72],[135.50,34.70]]]}}
        ]}
        """

    @Test func anInvalidBowTieIsReported() throws {
        let (records, report, json) = try Self.run(Self.bowTie)
        let invalid = try #require(report.findings.first { $0.code == .geometryInvalid })
        #expect(invalid.severity == .error && invalid.line == 2)
        #expect(invalid.message == "feature 1 is invalid: Self-intersection at (135.5100000, 34.7100000); --repair-geometry makes it valid with GEOS")
        #expect(!report.isValid && records[0].hasErrors && report.summary.recordsWithErrors == 1)
        // Reported, not changed: written as read.
        #expect((Self.features(json)[0]["geometry"] as? [String: Any])?["type"] as? String == "Polygon")
    }

    @Test func theBowTieIsRepairedWhenAsked() throws {
        var options = IngestOptions()
        options.repairGeometry = true
        let (records, report, json) = try Self.run(Self.bowTie, options: options)
        #expect(!report.findings.contains { $0.code == .geometryInvalid })
        let repaired = try #require(report.findings.first { $0.code == .geometryRepaired })
        #expect(repaired.severity == .fixed && repaired.message.contains("Self-intersection") && repaired.message.contains("MultiPolygon"))
        #expect(repaired.before?.hasPrefix("POLYGON ((135.5 34.7, 135.52 34.72") == true && repaired.after?.hasPrefix("MULTIPOLYGON") == true)
        let geometry = try #require(records[0].geometry)
        #expect(geometry.kind == .multiPolygon && geometry.polygons.count == 2)
        // GEOS finds the written geometry valid, and its area is the two triangles' (each 0.02 × 0.01 / 2).
        let written = try #require(Self.features(json)[0]["geometry"] as? [String: Any])
        let text = String(decoding: try JSONSerialization.data(withJSONObject: written), as: UTF8.self)
        let context = try GEOSContext()
        let made = try Geometry(geoJSON: text, context: context)
        #expect(made.validity.isValid && made.typeName == "MultiPolygon")
    }

    @Test func aDescriptorAsksForRepairs() throws {
        let descriptor = try JSONDecoder().decode(
            DatasetDescriptor.self,
            from: Data(#"{"id":"bow","title":"蝶","file":"bow.geojson","repairGeometry":true}"#.utf8)
        )
        let options = try IngestOptions(descriptor: descriptor, directory: FileManager.default.temporaryDirectory)
        #expect(options.repairGeometry)
        let (_, report, _) = try Self.run(Self.bowTie, options: options)
        #expect(report.findings.contains { $0.code == .geometryRepaired } && report.isValid)
    }

    @Test func anUnclosedRingIsInvalid() throws {
        let (_, report, _) = try Self.run(
            #"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[135.5,34.7],[135.6,34.7],[135.6,34.8],[135.5,34.8]]]}}"#
        )
        let invalid = try #require(report.findings.first { $0.code == .geometryInvalid })
        #expect(invalid.message.hasPrefix("feature 1 is not a valid geometry: ") && invalid.message.contains("closed"))
    }

    /// 仙台市役所 and 石巻市役所 in JGD2000 (EPSG:4612), with the GSI Tōhoku grid's JGD2011 values (cct; see
    /// CivicGeoTests/Fixtures/reference/README.md).
    @Test func aLegacyCRSMemberIsReprojected() throws {
        let (records, report, json) = try Self.run(
            """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4612"}},"features":[
            {"type":"Feature","properties":{"区間":"仙台-石巻"},"geometry":{"type":"LineString","coordinates":[[140.8694,38.2682],[141.3029,38.4345]]}}
            ]}
            """
        )
        let use = try #require(report.coordinates?.sources.first)
        #expect(use.definition == "EPSG:4612" && use.basis == "declared" && use.records == 1 && use.reason.contains("\"crs\" member"))
        let geometry = try #require(records.first?.geometry)
        let expected = [(140.8694363677, 38.2681919432), (141.3029510164, 38.4344857938)]
        for (index, (x, y)) in expected.enumerated() {
            // 1e-7° ≈ 1 cm.
            #expect(abs(geometry.x[index] - x) < 1e-7 && abs(geometry.y[index] - y) < 1e-7)
        }
        let written = try #require((Self.features(json)[0]["geometry"] as? [String: Any])?["coordinates"] as? [[Double]])
        #expect(abs(written[0][0] - 140.8694364) < 1e-9 && abs(written[0][1] - 38.2681919) < 1e-9)
    }

    @Test func theDescriptorsCRSAppliesWhenTheFileHasNone() throws {
        var options = IngestOptions()
        options.georeferencing?.declared = .tokyo
        options.georeferencing?.declaredBy = "dataset.json"
        let (records, report, _) = try Self.run(
            #"{"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[135.5,34.7]}}"#,
            options: options
        )
        #expect(report.coordinates?.sources.first?.reason == "dataset.json EPSG:4301")
        // Tokyo → JGD2011 moves a point in Osaka about 0.003° north and 0.003° west (some 450 m).
        let record = try #require(records.first)
        #expect(record.longitude! > 135.4965 && record.longitude! < 135.4985 && record.latitude! > 34.702 && record.latitude! < 34.704)
    }

    @Test func outsideJapanIsReported() throws {
        let (_, report, _) = try Self.run(
            #"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[34.7,135.5],[34.8,135.6]]}}"#
        )
        #expect(report.findings.contains { $0.code == .geometryOutsideJapan && $0.severity == .warning })
    }

    @Test func malformedJSONFailsWithItsPosition() throws {
        #expect {
            _ = try Ingest.open(.bytes(Array("{\"type\":\"FeatureCollection\",\n\"features\":[}".utf8), name: "bad.geojson"))
        } throws: { error in
            (error as? GeoJSONError)?.description
                == "bad.geojson:2:13: malformed: not valid JSON: expected a value (object, array, string, number, true, false or null)"
        }
        #expect {
            _ = try Ingest.open(.bytes(Array(#"[1, 2]"#.utf8), name: "list.json"))
        } throws: { error in
            (error as? DatasetError)?.message
                == "not a table: a JSON document (an array of 2 numbers; element 1 (line 1) is a number, and a table needs an array whose elements are all objects), not GeoJSON or an array of records"
        }
    }

    @Test func workbooksKeepTheGeometryAsWKT() throws {
        let sink = XLSXRecordSink(url: nil)
        let collector = FindingCollector()
        try Ingest.run(.file(Self.miyakojima), findings: collector, into: [sink])
        let bytes = try #require(sink.bytes)
        let workbook = try Workbook(bytes: bytes, name: "out.xlsx")
        let rows = try WorksheetRows(workbook: workbook, sheet: .first)
        let header = try #require(try rows.nextRow())
        #expect(header.cells.last == RecordGeometry.wktColumn)
        let first = try #require(try rows.nextRow())
        #expect(first.cells.last?.hasPrefix("POLYGON ((135.526083615924") == true)
    }
}
