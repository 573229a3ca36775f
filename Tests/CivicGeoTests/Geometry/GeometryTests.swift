import Foundation
import Testing

@testable import CivicGeo

@Suite struct GeometryTests {
    /// `side` × `side` square cells of `cell` degrees from (138.25, 34.80), row by row (cell index = row × side + column).
    static func grid(side: Int, cell: Double, context: GEOSContext) throws -> [Geometry] {
        var cells: [Geometry] = []
        for row in 0..<side {
            for column in 0..<side {
                let x = 138.25 + Double(column) * cell
                let y = 34.80 + Double(row) * cell
                cells.append(
                    try Geometry(
                        wkt: "POLYGON ((\(x) \(y), \(x + cell) \(y), \(x + cell) \(y + cell), \(x) \(y + cell), \(x) \(y)))",
                        context: context
                    )
                )
            }
        }
        return cells
    }

    @Test func bowTieIsInvalidAtItsCrossingAndMadeValid() throws {
        let context = try GEOSContext()
        let bowTie = try Geometry(wkt: "POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))", context: context)
        let validity = bowTie.validity
        #expect(!validity.isValid)
        #expect(validity.reason == "Self-intersection")
        #expect(validity.x == 1 && validity.y == 1)
        let repaired = try bowTie.madeValid()
        #expect(repaired.validity.isValid)
        #expect(repaired.typeName == "MultiPolygon")
    }

    @Test func ringsAreOrientedForRFC7946() throws {
        let context = try GEOSContext()
        // Exterior clockwise and a counter-clockwise hole: the reverse of what RFC 7946 asks.
        let polygon = try Geometry(
            wkt: "POLYGON ((0 0, 0 10, 10 10, 10 0, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))",
            context: context
        )
        let oriented = try polygon.orientedForGeoJSON()
        let json = try oriented.geoJSON()
        let rings = try #require(GeometryTests.rings(json))
        #expect(GeometryTests.signedArea(rings[0]) > 0)  // exterior counter-clockwise
        #expect(GeometryTests.signedArea(rings[1]) < 0)  // hole clockwise
    }

    @Test func readsGeoJSONAndReportsUnreadableText() throws {
        let context = try GEOSContext()
        let polygon = try Geometry(geoJSON: #"{"type":"Polygon","coordinates":[[[138,34],[139,34],[139,35],[138,35],[138,34]]]}"#, context: context)
        #expect(polygon.envelope == Envelope(minX: 138, minY: 34, maxX: 139, maxY: 35))
        #expect(throws: GeometryError.self) { try Geometry(wkt: "POLYGON ((0 0, 1 1", context: context) }
    }

    @Test func envelopesAndBBoxText() {
        let box = Envelope(bbox: "138.2,34.8,138.4,34.95")
        #expect(box == Envelope(minX: 138.2, minY: 34.8, maxX: 138.4, maxY: 34.95))
        #expect(box?.contains(x: 138.3232, y: 34.8669) == true)
        #expect(Envelope(bbox: "1,2,3") == nil)
        #expect(Envelope(bbox: "3,0,1,1") == nil)
        #expect(box?.intersects(Envelope(minX: 138.39, minY: 34.9, maxX: 139, maxY: 35)) == true)
    }

    @Test func polygonIndexFindsTheContainingCell() throws {
        let context = try GEOSContext()
        // A 10 × 10 grid of 0.01° cells; the containing cell is known by arithmetic.
        let cells = try GeometryTests.grid(side: 10, cell: 0.01, context: context)
        let index = try PolygonIndex(polygons: cells, context: context)
        for (x, y) in [(138.3232, 34.8669), (138.2555, 34.8051), (138.3449, 34.8999)] {
            let expected = Int(((y - 34.80) / 0.01).rounded(.down)) * 10 + Int(((x - 138.25) / 0.01).rounded(.down))
            #expect(index.containing(x: x, y: y) == expected)
        }
        #expect(index.containing(x: 139, y: 35) == nil)
    }

    static func rings(_ json: String) -> [[[Double]]]? {
        guard let data = json.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let coordinates = object["coordinates"] as? [[[Double]]]
        else { return nil }
        return coordinates
    }

    /// Shoelace: positive for counter-clockwise rings.
    static func signedArea(_ ring: [[Double]]) -> Double {
        var sum = 0.0
        for index in 0..<(ring.count - 1) {
            sum += ring[index][0] * ring[index + 1][1] - ring[index + 1][0] * ring[index][1]
        }
        return sum / 2
    }
}

@Suite struct IntersectionFilterTests {
    @Test func bboxAndGeometryIntersection() throws {
        let context = try GEOSContext()
        let district = try Geometry(wkt: "POLYGON ((138.30 34.85, 138.35 34.85, 138.35 34.90, 138.30 34.90, 138.30 34.85))", context: context)
        let road = try Geometry(wkt: "LINESTRING (138.25 34.80, 138.32 34.87)", context: context)
        let far = try Geometry(wkt: "LINESTRING (139.0 35.0, 139.1 35.1)", context: context)
        #expect(road.validity.isValid)
        #expect(district.intersects(road))
        #expect(!district.intersects(far))
        #expect(district.envelope.intersects(road.envelope))
        #expect(!district.envelope.intersects(far.envelope))
        #expect(district.contains(try Geometry(x: 138.3232, y: 34.8669, context: context)))
    }
}
