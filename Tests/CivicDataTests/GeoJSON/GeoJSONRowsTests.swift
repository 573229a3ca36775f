import CivicData
import Foundation
import Testing

/// GeoJSON as a table: property keys as columns, features as records carrying their geometry.
@Suite struct GeoJSONRowsTests {
    static func read(_ text: String, options: ReadOptions = ReadOptions()) throws -> (
        reader: DatasetReader, records: [NormalizedRecord], findings: [Finding]
    ) {
        let rows = try GeoJSONRows(bytes: Array(text.utf8), name: "test.geojson")
        let reader = try DatasetReader(rows: rows, name: "test.geojson", options: options)
        let collector = FindingCollector()
        let report = ReportBuilder(sink: collector)
        var records: [NormalizedRecord] = []
        while let record = try reader.next(reportingTo: report) { records.append(record) }
        return (reader, records, collector.findings)
    }

    @Test func columnsAreThePropertyKeysInFirstAppearanceOrder() throws {
        let (reader, records, findings) = try Self.read(
            """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","id":7,"properties":{"名称":"都島小学校","児童数":412,"開校":true},"geometry":{"type":"Point","coordinates":[135.52,34.70]}},
            {"type":"Feature","id":"b","properties":{"名称":"桜宮","備考":null,"属性":{"a":[1,2.50]},"児童数":1.50},"geometry":null},
            {"type":"Feature","properties":null,"geometry":{"type":"LineString","coordinates":[[135.5,34.7,3.5],[135.6,34.8,4]]}}
            ]}
            """
        )
        #expect(reader.outputColumns == ["id", "名称", "児童数", "開校", "備考", "属性"])
        #expect(records.count == 3)
        #expect(records[0].values == ["7", "都島小学校", "412", "true", "", ""])
        // Numbers as written, nested values as their JSON text, null as empty.
        #expect(records[1].values == ["b", "桜宮", "1.50", "", "", #"{"a":[1,2.50]}"#])
        // A feature with no properties is still a record (not a blank row).
        #expect(records[2].values == ["", "", "", "", "", ""])
        #expect(records.map(\.line) == [2, 3, 4])
        #expect(records.map(\.feature) == [1, 2, 3])
        // A Point sets longitude/latitude; other geometries keep theirs.
        #expect(records[0].longitude == 135.52 && records[0].latitude == 34.70)
        #expect(records[0].geometry == RecordGeometry(x: 135.52, y: 34.70))
        #expect(records[1].geometry == nil)
        #expect(records[2].geometry == RecordGeometry(kind: .lineString, x: [135.5, 135.6], y: [34.7, 34.8], z: [3.5, 4]))
        #expect(reader.hasGeometry && reader.recognition.dataset == GenericSchema.id)
        // 児童数 holds only JSON numbers (412, 1.50); id mixes a number and a string.
        #expect(reader.layout.numberColumns == [2])
        let absent = findings.filter { $0.code == .geometryAbsent }
        #expect(absent.count == 1 && absent.first?.line == 3 && absent.first?.message.contains("feature 2") == true)
    }

    @Test func aFeatureIDBesideAnIDPropertyIsKeptInTheReport() throws {
        let (reader, records, findings) = try Self.read(
            #"{"type":"FeatureCollection","features":[{"type":"Feature","id":"f1","properties":{"id":"p1"},"geometry":null,"title":"x"}]}"#,
            // A lone "id" column would be recognised as some dataset's ID.
            options: ReadOptions(dataset: GenericSchema.id)
        )
        #expect(reader.outputColumns == ["id"] && records.first?.values == ["p1"])
        #expect(findings.contains { $0.code == .geojsonFeatureID && $0.before == #""f1""# })
        #expect(findings.contains { $0.code == .geojsonForeignMember && $0.before == #"{"title":"x"}"# })
    }

    @Test func aBareGeometryOrFeatureIsOneRecord() throws {
        let geometry = try Self.read(#"{"type":"Polygon","coordinates":[[[135,34],[136,34],[136,35],[135,34]]]}"#)
        #expect(geometry.records.count == 1 && geometry.records[0].geometry?.kind == .polygon)
        #expect(geometry.records[0].geometry?.parts == [4])
        let feature = try Self.read(#"{"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[135,34]}}"#)
        #expect(feature.records.count == 1 && feature.records[0].values == ["1"])
    }

    @Test func elementsThatAreNotFeaturesAreReported() throws {
        let (_, records, findings) = try Self.read(
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"geometry":{"type":"Pointy","coordinates":[1,2]}},42]}"#
        )
        #expect(records.count == 1 && records[0].hasErrors)
        #expect(findings.contains { $0.code == .geojsonNotFeature && $0.before == "42" && $0.severity == .error })
        let unreadable = try #require(findings.first { $0.code == .geometryUnreadable })
        #expect(unreadable.message.contains(#""Pointy" is not a GeoJSON geometry type"#))
    }

    @Test func malformedJSONSaysWhere() throws {
        let text = "{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\",}\n]}"
        #expect {
            _ = try GeoJSONRows(bytes: Array(text.utf8), name: "bad.geojson")
        } throws: { error in
            (error as? GeoJSONError)?.description == "bad.geojson:3:19: malformed: not valid JSON: expected a member name in double quotes"
        }
        #expect {
            _ = try GeoJSONRows(bytes: Array("{\"a\": [1, 2".utf8), name: "cut.json")
        } throws: { error in
            (error as? GeoJSONError)?.description == "cut.json:1:12: malformed: not valid JSON: the file ends inside an array (missing ']')"
        }
    }

    @Test func otherJSONIsNotATable() throws {
        #expect {
            _ = try GeoJSONRows(bytes: Array(#"["a", "b"]"#.utf8), name: "list.json")
        } throws: { error in
            (error as? DatasetError)?.description
                == "list.json:1: notATable: not a table: a JSON document (an array of 2 strings; element 1 (line 1) is a string, and a table needs an array whose elements are all objects), not GeoJSON or an array of records"
        }
        #expect {
            _ = try GeoJSONRows(bytes: Array(#"{"type":"Topology","objects":{}}"#.utf8), name: "topo.json")
        } throws: { error in
            (error as? DatasetError)?.code == .notATable && (error as? DatasetError)?.message.contains("\"Topology\"") == true
        }
    }

    @Test func theSizeLimitIsAnError() throws {
        #expect {
            _ = try GeoJSONRows(bytes: Array(#"{"type":"FeatureCollection","features":[]}"#.utf8), name: "big.geojson", maximumBytes: 10)
        } throws: { error in
            (error as? GeoJSONError)?.code == .tooLarge
        }
    }

    @Test func theLegacyCRSMemberIsRead() throws {
        let rows = try GeoJSONRows(
            bytes: Array(
                #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::6668"}},"features":[]}"#.utf8
            ),
            name: "crs.geojson"
        )
        #expect(rows.crsName == "urn:ogc:def:crs:EPSG::6668" && rows.featureCount == 0)
    }
}

@Suite struct RecordGeometryTests {
    static func geometry(_ json: String) throws -> RecordGeometry {
        try #require(try RecordGeometry(json: JSONParser.parse(Array(json.utf8))))
    }

    @Test func writesWKTAndGeoJSON() throws {
        let multi = try Self.geometry(
            #"{"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,0]],[[0.5,0.25],[1,0.25],[1,0.5],[0.5,0.25]]],[[[5,5],[6,5],[6,6],[5,5]]]]}"#
        )
        #expect(multi.parts == [4, 4, 4] && multi.polygons == [2, 1])
        #expect(multi.wkt == "MULTIPOLYGON (((0 0, 2 0, 2 2, 0 0), (0.5 0.25, 1 0.25, 1 0.5, 0.5 0.25)), ((5 5, 6 5, 6 6, 5 5)))")
        #expect(
            multi.json()
                == #"{"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,0]],[[0.5,0.25],[1,0.25],[1,0.5],[0.5,0.25]]],[[[5,5],[6,5],[6,6],[5,5]]]]}"#
        )
        #expect(multi.bounds == [0, 0, 6, 6])
        let line = try Self.geometry(#"{"type":"MultiLineString","coordinates":[[[135.1,34.2],[135.3,34.4]],[[1,2],[3,4],[5,6]]]}"#)
        #expect(line.wkt == "MULTILINESTRING ((135.1 34.2, 135.3 34.4), (1 2, 3 4, 5 6))")
        let points = try Self.geometry(#"{"type":"MultiPoint","coordinates":[[1,2,3],[4,5,6]]}"#)
        #expect(points.wkt == "MULTIPOINT Z ((1 2 3), (4 5 6))")
        let collection = try Self.geometry(
            #"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"LineString","coordinates":[[1,2],[3,4]]}]}"#
        )
        #expect(collection.wkt == "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (1 2, 3 4))")
        #expect(collection.positionCount == 3 && collection.bounds == [1, 2, 3, 4])
        #expect(try Self.geometry(#"{"type":"Point","coordinates":[]}"#).wkt == "POINT EMPTY")
    }

    @Test(
        arguments: [
            (#"{"type":"Polygon","coordinates":[[135,34]]}"#, "expected a position [x, y], found a number"),
            (#"{"type":"Point","coordinates":[135]}"#, "a position has 1 values; GeoJSON positions are [x, y] or [x, y, height]"),
            (#"{"type":"LineString","coordinates":[[1,2],[3,"4"]]}"#, "a position holds a string, not a number"),
            (#"{"type":"LineString"}"#, #"a LineString needs "coordinates""#),
            (#"{"type":"LineString","coordinates":[[1,2],[3,4,5]]}"#, "some positions have a height and some do not"),
        ]
    )
    func refusesWhatIsNotAGeometry(json: String, message: String) throws {
        #expect(throws: RecordGeometry.ReadError(message: message)) { _ = try RecordGeometry(json: JSONParser.parse(Array(json.utf8))) }
    }
}
