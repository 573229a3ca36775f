import CivicData
import Foundation
import Testing

@testable import CivicGeo

@Suite struct SpatialJoinTests {
    @Test func yaizuFacilitiesFallInTheirQuadrant() throws {
        let layer = try PolygonLayer(
            geoJSON: Data(contentsOf: Fixture.url("records/yaizu_districts.geojson")),
            nameProperty: "学区名"
        )
        #expect(layer.features.count == 5)
        #expect(layer.problems.count == 1)
        #expect(layer.problems[0].reason == "Self-intersection")
        #expect(abs(layer.problems[0].x! - 139.05) < 1e-9 && abs(layer.problems[0].y! - 35.05) < 1e-9)

        let (records, _) = try Fixture.georeference("records/yaizu_public_facility.csv")
        var joined = 0
        for record in records {
            guard let longitude = record.longitude, let latitude = record.latitude else { continue }
            let name = try layer.name(containingLongitude: longitude, latitude: latitude)
            // The quadrant by arithmetic (points exactly on an edge are not expected in real data).
            let inside = (138.20...138.45).contains(longitude) && (34.78...34.95).contains(latitude)
            let expected =
                inside ? (latitude > 34.8669 ? "北" : "南") + (longitude > 138.3232 ? "東" : "西") + "学区" : nil
            #expect(name == expected, "line \(record.line)")
            if name != nil { joined += 1 }
        }
        #expect(joined > 200)
    }

    @Test func repairAndOrientation() throws {
        let layer = try PolygonLayer(
            geoJSON: Data(contentsOf: Fixture.url("records/yaizu_districts.geojson")),
            nameProperty: "学区名",
            repair: true
        )
        #expect(layer.problems.first?.repaired == true)
        #expect(layer.features.allSatisfy { $0.geometry.validity.isValid })
        let output = try #require(try JSONSerialization.jsonObject(with: Data(layer.geoJSON().utf8)) as? [String: Any])
        let first = try #require((output["features"] as? [[String: Any]])?.first)
        let ring = try #require(((first["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first)
        #expect(GeometryTests.signedArea(ring) > 0)
    }

    @Test func wktAndGeoJSONColumnsInACSV() throws {
        let csv =
            "学区名,WKT\r\n東,\"POLYGON ((138.3 34.8, 138.4 34.8, 138.4 34.9, 138.3 34.9, 138.3 34.8))\"\r\n壊,\"POLYGON ((0 0, 1 1\"\r\n"
            + "西,\"{\"\"type\"\":\"\"Polygon\"\",\"\"coordinates\"\":[[[138.2,34.8],[138.3,34.8],[138.3,34.9],[138.2,34.9],[138.2,34.8]]]}\"\r\n"
        let layer = try PolygonLayer(csv: .bytes(Array(csv.utf8), name: "d.csv"), nameColumn: "学区名")
        #expect(layer.features.map(\.name) == ["東", "西"])
        #expect(layer.unreadable.map(\.position) == [3])
        #expect(try layer.name(containingLongitude: 138.25, latitude: 34.85) == "西")
        #expect(try layer.name(containingLongitude: 138.35, latitude: 34.85) == "東")
    }
}

@Suite struct ParallelJoinTests {
    @Test func parallelAgreesWithSequential() async throws {
        let context = try GEOSContext()
        let cells = try GeometryTests.grid(side: 8, cell: 0.02, context: context)
        let index = try PolygonIndex(polygons: cells, context: context)
        // 5,000 points on a deterministic spiral, some outside.
        var xs: [Double] = []
        var ys: [Double] = []
        for step in 0..<5000 {
            let radius: Double = 0.1 * Double(step) / 5000
            let angle: Double = Double(step) * 0.37
            xs.append(138.33 + radius * cos(angle))
            ys.append(34.88 + radius * sin(angle))
        }
        let parallel = try await PolygonIndex.containing(x: xs, y: ys, polygons: cells.map { try $0.wkb() }, workers: 2)
        #expect(parallel == index.containing(x: xs, y: ys))
        #expect(parallel.contains { $0 == nil } && parallel.contains { $0 != nil })
    }
}
