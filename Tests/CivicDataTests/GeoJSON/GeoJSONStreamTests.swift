import Foundation
import Testing

@testable import CivicData

/// A FeatureCollection streamed from its file feature by feature gives what parsing it whole gives: the same header,
/// rows, geometries, findings (in the same places), CRS, number columns and description.
@Suite struct GeoJSONStreamTests {
    /// Every row with the findings taken after it.
    static func drain(_ rows: GeoJSONRows) throws -> [String] {
        var out: [String] = []
        for finding in rows.takeFindings() { out.append("finding \(finding)") }
        while let row = try rows.nextRow() {
            out.append("row \(row.line) \(row.feature ?? 0) \(row.cells) \(String(describing: row.geometry)) \(row.hasSourceError)")
            for finding in rows.takeFindings() { out.append("finding \(finding)") }
        }
        for finding in rows.takeFindings() { out.append("finding \(finding)") }
        return out
    }

    static func compare(_ text: String, file: String = "test.geojson") throws {
        try TemporaryFolder.with([file: text]) { folder in
            let url = folder.appendingPathComponent(file)
            let streamed = try GeoJSONRows(source: .file(url), streamingFrom: 0)
            let whole = try GeoJSONRows(bytes: Array(text.utf8), name: url.path)
            #expect(streamed.isStreamed && !whole.isStreamed)
            #expect(streamed.featureCount == whole.featureCount && streamed.crsName == whole.crsName)
            #expect(streamed.numberColumns == whole.numberColumns)
            #expect(try drain(streamed) == drain(whole))
            #expect(streamed.describe(headerLine: 1, metadata: []) == whole.describe(headerLine: 1, metadata: []))
        }
    }

    @Test(arguments: ["sapporo-011002__Kindergarten.geojson", "chofu-132080__20141211_AEDmap.geojson"])
    func realFilesReadTheSameStreamed(_ name: String) throws {
        let text = String(decoding: try Fixture.bytes("realdata/\(name)"), as: UTF8.self)
        try Self.compare(text)
        // The same on one line, and with CRLF line endings.
        let oneLine = String(decoding: try JSONParser.parse(Array(text.utf8)).jsonText.utf8, as: UTF8.self)
        try Self.compare(oneLine)
        try Self.compare(text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func membersAfterTheFeaturesAndOddElementsReadTheSame() throws {
        // The crs and a foreign member after "features"; ids as a column; an element that is not a Feature; properties
        // that are not an object; a key repeated; a null and an unreadable geometry; numbers and strings in one column.
        let text = """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "id": 1, "geometry": {"type": "Point", "coordinates": [138.3, 34.9]}, "properties": {"名称": "a", "n": 1}},
              [1, 2],
              {"type": "Feature", "id": 2, "geometry": null, "properties": {"名称": "b", "n": 2, "名称": "c"}},
              {"type": "Feature", "id": "x", "geometry": {"type": "Point", "coordinates": [1]}, "properties": 5, "extra": true},
              {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[138.3, 34.9], [138.4, 35.0]]}, "properties": {"n": "3", "備考": "\\"quoted\\" \\u3042"}}
            ], "name": "test", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::6668"}}}
            """
        try Self.compare(text)
    }

    @Test func anEmptyCollectionReadsTheSame() throws {
        try Self.compare(#"{"type": "FeatureCollection", "features": []}"#)
    }

    @Test func brokenJSONSaysWhereInTheFile() throws {
        let text = """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "geometry": null, "properties": {"a": 1}},
              {"type": "Feature", "geometry": null, "properties": {"a": 1,}}
            ]}
            """
        try TemporaryFolder.with(["broken.geojson": text]) { folder in
            let error = try #require(throws: GeoJSONError.self) {
                _ = try GeoJSONRows(source: .file(folder.appendingPathComponent("broken.geojson")), streamingFrom: 0)
            }
            #expect(error.code == .malformed && error.line == 3)
            let cut = try #require(throws: GeoJSONError.self) {
                try Data(text.prefix(70).utf8).write(to: folder.appendingPathComponent("cut.geojson"))
                _ = try GeoJSONRows(source: .file(folder.appendingPathComponent("cut.geojson")), streamingFrom: 0)
            }
            #expect(cut.code == .malformed && cut.message.contains("ends early"))
        }
    }

    @Test func otherDocumentsAreReadWholeAsBefore() throws {
        // An array of records and a single Feature are not streamed; they read as they always did.
        let files = [
            "list.json": #"[{"a": 1}, {"a": 2}]"#,
            "one.geojson": #"{"type": "Feature", "geometry": null, "properties": {"a": 1}}"#,
        ]
        try TemporaryFolder.with(files) { folder in
            let list = try GeoJSONRows(source: .file(folder.appendingPathComponent("list.json")), streamingFrom: 0)
            #expect(!list.isStreamed && list.isRecordArray && list.featureCount == 2)
            let one = try GeoJSONRows(source: .file(folder.appendingPathComponent("one.geojson")), streamingFrom: 0)
            #expect(!one.isStreamed && one.featureCount == 1)
        }
    }
}
