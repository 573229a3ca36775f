import CivicData
import CivicGeo
import CivicIngest
import Foundation
import Testing

@testable import CivicStore

/// GeoJSON lines and polygons in the store: kept as GeoJSON with their envelopes, found by bbox (R*Tree, then GEOS).
@Suite struct ShapeTests {
    /// 大阪市都島区 町丁目 boundaries (the pipeline tests' fixture; provenance in CivicIngestTests/Fixtures/SOURCES.md).
    static let miyakojima = Loading.repository.appendingPathComponent("Tests/CivicIngestTests/Fixtures/miyakojima.json")

    static func load(_ text: String? = nil, into store: Store) throws -> CollectionSelector {
        let version = try store.beginVersion(
            VersionMetadata(datasetID: "miyakojima", title: "都島区 町丁目", updated: "2026-12-01", file: "miyakojima.json", fingerprint: "t", origin: "t")
        )
        let source: InputSource = text.map { .bytes(Array($0.utf8), name: "shapes.geojson") } ?? .file(miyakojima)
        let report = try Ingest.run(source, findings: FindingCollector(), into: [version])
        try version.commit(report)
        return .dataset(try #require(try store.dataset(id: "miyakojima")))
    }

    /// Every polygon's vertices, read from the file independently of the pipeline (Foundation's JSON).
    static func polygons() throws -> [[(Double, Double)]] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: miyakojima)) as? [String: Any])
        let features = try #require(json["features"] as? [[String: Any]])
        return try features.map { feature in
            let geometry = try #require(feature["geometry"] as? [String: Any])
            let rings = try #require(geometry["coordinates"] as? [[[Double]]])
            return rings[0].map { ($0[0], $0[1]) }
        }
    }

    @Test func polygonsAreStoredAndFoundByBox() throws {
        let store = try Store.inMemory()
        let selector = try Self.load(into: store)
        let dataset = try #require(try store.dataset(id: "miyakojima"))
        #expect(dataset.recordCount == 47 && dataset.featureCount == 47)

        // The extent is the polygons' envelope.
        let polygons = try Self.polygons()
        let xs = polygons.flatMap { $0.map(\.0) }
        let ys = polygons.flatMap { $0.map(\.1) }
        let extent = try #require(dataset.extent)
        #expect(abs(extent.minX - xs.min()!) < 1e-9 && abs(extent.maxX - xs.max()!) < 1e-9)
        #expect(abs(extent.minY - ys.min()!) < 1e-9 && abs(extent.maxY - ys.max()!) < 1e-9)

        // Every record comes back with its polygon.
        let all = try store.features(in: selector, limit: 100, offset: 0)
        #expect(all.features.count == 47 && all.features.allSatisfy { $0.geometry?.hasPrefix(#"{"type":"Polygon""#) == true })

        // A box around the middle of the ward: the polygons that meet it, by an independent test — a polygon meets
        // an axis-aligned box when a vertex is inside it, a box corner is inside the polygon, or edges cross.
        let box = StoredDataset.Envelope(minX: 135.525, minY: 34.705, maxX: 135.535, maxY: 34.715)
        let expected = polygons.indices.filter { Self.meets(polygons[$0], box) }
        #expect(!expected.isEmpty && expected.count < 47)
        let page = try store.features(in: selector, bbox: box, limit: 100, offset: 0)
        #expect(page.numberMatched == expected.count)
        #expect(page.features.map(\.line) == expected.map { all.features[$0].line })
        // Paging over the matches.
        let second = try store.features(in: selector, bbox: box, limit: 2, offset: 2)
        #expect(second.features.map(\.line) == Array(expected.map { all.features[$0].line }.dropFirst(2).prefix(2)))
        // Envelope alone is not enough: a box in a corner of the ward's extent that touches no polygon's interior.
        let nowhere = StoredDataset.Envelope(minX: 140, minY: 40, maxX: 140.1, maxY: 40.1)
        #expect(try store.features(in: selector, bbox: nowhere, limit: 10, offset: 0).numberMatched == 0)
    }

    @Test func theExactTestDropsWhatOnlyTheEnvelopeMeets() throws {
        let store = try Store.inMemory()
        // An L-shaped line: its envelope covers the box, the line does not.
        let selector = try Self.load(
            #"{"type":"Feature","properties":{"名称":"L"},"geometry":{"type":"LineString","coordinates":[[135.50,34.70],[135.60,34.70],[135.60,34.80]]}}"#,
            into: store
        )
        let inside = StoredDataset.Envelope(minX: 135.51, minY: 34.75, maxX: 135.52, maxY: 34.79)
        #expect(try store.features(in: selector, bbox: inside, limit: 10, offset: 0).numberMatched == 0)
        let onTheLine = StoredDataset.Envelope(minX: 135.55, minY: 34.69, maxX: 135.56, maxY: 34.71)
        #expect(try store.features(in: selector, bbox: onTheLine, limit: 10, offset: 0).numberMatched == 1)
    }

    static func meets(_ ring: [(Double, Double)], _ box: StoredDataset.Envelope) -> Bool {
        if ring.contains(where: { box.contains(x: $0.0, y: $0.1) }) { return true }
        let corners = [(box.minX, box.minY), (box.maxX, box.minY), (box.maxX, box.maxY), (box.minX, box.maxY)]
        if corners.contains(where: { inside($0, ring) }) { return true }
        let edges = zip(corners, corners.dropFirst() + [corners[0]])
        for (a, b) in zip(ring, ring.dropFirst()) {
            for (c, d) in edges where crosses(a, b, c, d) { return true }
        }
        return false
    }

    /// Even-odd rule.
    static func inside(_ point: (Double, Double), _ ring: [(Double, Double)]) -> Bool {
        var result = false
        for (a, b) in zip(ring, ring.dropFirst()) where (a.1 > point.1) != (b.1 > point.1) {
            if point.0 < (b.0 - a.0) * (point.1 - a.1) / (b.1 - a.1) + a.0 { result.toggle() }
        }
        return result
    }

    static func crosses(_ a: (Double, Double), _ b: (Double, Double), _ c: (Double, Double), _ d: (Double, Double)) -> Bool {
        func side(_ p: (Double, Double), _ q: (Double, Double), _ r: (Double, Double)) -> Double {
            (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
        }
        return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0
    }
}
