import CivicData
import CivicStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import CivicServer

/// A GeoJSON dataset of polygons (大阪市都島区 町丁目) served: items with their polygons and bbox, bbox queries, the
/// extent, other CRSs, and downloads.
@Suite struct ShapesTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The pipeline tests' fixture (provenance in Tests/CivicIngestTests/Fixtures/SOURCES.md).
    static let fixture = repository.appendingPathComponent("Tests/CivicIngestTests/Fixtures/miyakojima.json")

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    /// The outer ring of every polygon, read with Foundation's JSON.
    static func rings() throws -> [[[Double]]] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any])
        return try (json["features"] as? [[String: Any]] ?? []).map { feature in
            let geometry = try #require(feature["geometry"] as? [String: Any])
            return try #require(geometry["coordinates"] as? [[[Double]]])[0]
        }
    }

    /// A data folder holding 都島区's 町丁目 (the fixture) as dataset `miyakojima`; the caller removes it.
    static func polygonFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-shapes-\(UUID().uuidString)")
        let dataset = folder.appendingPathComponent("miyakojima")
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.fixture, to: dataset.appendingPathComponent("data.geojson"))
        try Data(
            #"{"id":"miyakojima","title":"都島区 町丁目","municipalityCode":"271021","municipality":"大阪府大阪市都島区","file":"data.geojson"}"#.utf8
        ).write(to: dataset.appendingPathComponent("dataset.json"))
        return folder
    }

    @Test func polygonsAreServed() async throws {
        let folder = try Self.polygonFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "civic-test")
        logger.logLevel = .critical
        let store = try Store.inMemory()
        defer { try? FileManager.default.removeItem(at: store.reportsDirectory) }
        let load = loadDataFolder(folder, into: store, logger: logger)
        #expect(load.loaded == ["miyakojima"] && load.failed.isEmpty)
        let rings = try Self.rings()
        let app = try buildApplication(configuration: ServerConfiguration(dataDirectory: folder), store: store, logger: logger)
        try await app.test(.router) { client in
            // The extent is the polygons' envelope.
            try await client.execute(uri: "/collections/miyakojima", method: .get) { response in
                let extent = try #require(try Self.json(response)["extent"] as? [String: Any])
                let bbox = try #require((extent["spatial"] as? [String: Any])?["bbox"] as? [[Double]])
                let xs = rings.flatMap { $0.map { $0[0] } }
                let ys = rings.flatMap { $0.map { $0[1] } }
                #expect(abs(bbox[0][0] - xs.min()!) < 1e-9 && abs(bbox[0][3] - ys.max()!) < 1e-9)
            }
            // Items carry their polygons and bboxes.
            try await client.execute(uri: "/collections/miyakojima/items?limit=100", method: .get) { response in
                let features = try #require(try Self.json(response)["features"] as? [[String: Any]])
                #expect(features.count == 47)
                let geometry = try #require(features[0]["geometry"] as? [String: Any])
                let coordinates = try #require(geometry["coordinates"] as? [[[Double]]])
                #expect(geometry["type"] as? String == "Polygon" && coordinates[0].count == rings[0].count)
                #expect(abs(coordinates[0][0][0] - rings[0][0][0]) < 1e-7 && abs(coordinates[0][0][1] - rings[0][0][1]) < 1e-7)
                let bbox = try #require(features[0]["bbox"] as? [Double])
                #expect(abs(bbox[0] - rings[0].map { $0[0] }.min()!) < 1e-7 && abs(bbox[3] - rings[0].map { $0[1] }.max()!) < 1e-7)
            }
            // A bbox query: the polygons with a vertex inside the box are among the matches; one far away matches nothing.
            let box = (135.525, 34.705, 135.535, 34.715)
            let withVertexInside = rings.indices.filter { index in
                rings[index].contains { $0[0] >= box.0 && $0[0] <= box.2 && $0[1] >= box.1 && $0[1] <= box.3 }
            }
            try await client.execute(uri: "/collections/miyakojima/items?bbox=135.525,34.705,135.535,34.715&limit=100", method: .get) {
                response in
                let object = try Self.json(response)
                let matched = try #require(object["numberMatched"] as? Int)
                #expect(matched >= withVertexInside.count && matched < 47 && !withVertexInside.isEmpty)
                let features = try #require(object["features"] as? [[String: Any]])
                #expect(features.allSatisfy { ($0["geometry"] as? [String: Any])?["type"] as? String == "Polygon" })
            }
            try await client.execute(uri: "/collections/miyakojima/items?bbox=140,40,140.1,40.1", method: .get) { response in
                let matched = try Self.json(response)["numberMatched"] as? Int
                #expect(matched == 0)
            }
            // JGD2011 lat/lon (EPSG:6668): the axes in its order, latitude first.
            try await client.execute(uri: "/collections/miyakojima/items?limit=1&crs=http://www.opengis.net/def/crs/EPSG/0/6668", method: .get) {
                response in
                let feature = try #require((try Self.json(response)["features"] as? [[String: Any]])?.first)
                let geometry = try #require(feature["geometry"] as? [String: Any])
                let first = try #require((geometry["coordinates"] as? [[[Double]]])?.first?.first)
                #expect(abs(first[0] - rings[0][0][1]) < 1e-5 && abs(first[1] - rings[0][0][0]) < 1e-5)
            }
            // Downloads keep the polygons: GeoJSON as polygons, CSV as WKT.
            try await client.execute(uri: "/datasets/miyakojima.geojson", method: .get) { response in
                let features = try #require(try Self.json(response)["features"] as? [[String: Any]])
                #expect(features.count == 47)
            }
            try await client.execute(uri: "/datasets/miyakojima.csv", method: .get) { response in
                let text = String(decoding: Data(response.body.readableBytesView), as: UTF8.self)
                let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
                #expect(lines.count == 48 && lines[0].hasSuffix(",\(RecordGeometry.wktColumn)"))
                #expect(lines[1].contains("\"POLYGON ((135.526083615924"))
            }
            try await client.execute(uri: "/collections/miyakojima/items?f=csv&limit=2", method: .get) { response in
                let text = String(decoding: Data(response.body.readableBytesView), as: UTF8.self)
                #expect(text.components(separatedBy: "\r\n").first?.hasSuffix(",\(RecordGeometry.wktColumn)") == true)
            }
            // The map draws shapes.
            try await client.execute(uri: "/collections/miyakojima/items?f=html", method: .get) { response in
                let page = String(decoding: Data(response.body.readableBytesView), as: UTF8.self)
                #expect(response.status == .ok && page.contains("'fill-opacity': 0.25") && page.contains("type: 'line'"))
            }
            try await client.execute(uri: "/collections/miyakojima/queryables", method: .get) { response in
                let properties = try #require(try Self.json(response)["properties"] as? [String: Any])
                #expect((properties["geometry"] as? [String: Any])?["format"] as? String == "geometry-any")
            }
        }
    }
}
