import Foundation
import Testing

@testable import CivicData

/// The vector tile writer against the examples of the Mapbox Vector Tile 2.1 specification (section 4.3.5) and the
/// protobuf wire format.
@Suite struct VectorTileTests {
    typealias P = VectorTile.TilePoint

    @Test func geometryCommandsAreTheSpecificationsExamples() {
        // 4.3.5.1 a point at (25, 17).
        #expect(VectorTile.commands(.points([P(x: 25, y: 17)])) == (1, [9, 50, 34]))
        // 4.3.5.2 a multipoint (5, 7), (3, 2).
        #expect(VectorTile.commands(.points([P(x: 5, y: 7), P(x: 3, y: 2)])) == (1, [17, 10, 14, 3, 9]))
        // 4.3.5.3 a linestring (2, 2), (2, 10), (10, 10).
        #expect(VectorTile.commands(.lines([[P(x: 2, y: 2), P(x: 2, y: 10), P(x: 10, y: 10)]])) == (2, [9, 4, 4, 18, 0, 16, 16, 0]))
        // 4.3.5.4 a multilinestring.
        let lines: [[P]] = [[P(x: 2, y: 2), P(x: 2, y: 10), P(x: 10, y: 10)], [P(x: 1, y: 1), P(x: 3, y: 5)]]
        #expect(VectorTile.commands(.lines(lines)) == (2, [9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8]))
        // 4.3.5.5 a polygon (3, 6), (8, 12), (20, 34), closed or not.
        let ring = [P(x: 3, y: 6), P(x: 8, y: 12), P(x: 20, y: 34)]
        #expect(VectorTile.commands(.polygons([[ring]])) == (3, [9, 6, 12, 18, 10, 12, 24, 44, 15]))
        #expect(VectorTile.commands(.polygons([[ring + [ring[0]]]])) == (3, [9, 6, 12, 18, 10, 12, 24, 44, 15]))
    }

    @Test func ringsAreWoundAsTheSpecificationAsksAndDegenerateOnesLeftOut() {
        let shell = [P(x: 0, y: 0), P(x: 10, y: 0), P(x: 10, y: 10), P(x: 0, y: 10)]  // clockwise on screen: positive
        let hole = [P(x: 2, y: 2), P(x: 2, y: 8), P(x: 8, y: 8), P(x: 8, y: 2)]  // anticlockwise: negative
        #expect(VectorTile.area(shell) > 0 && VectorTile.area(hole) < 0)
        let right = VectorTile.commands(.polygons([[shell, hole]]))
        // Given the other way round, the writer turns them.
        #expect(VectorTile.commands(.polygons([[shell.reversed(), hole.reversed()]])) == right)
        // A shell without area (and its holes), a line of one point, repeated points: left out.
        let flat = [P(x: 0, y: 0), P(x: 5, y: 0), P(x: 10, y: 0)]
        #expect(VectorTile.commands(.polygons([[flat, hole]])).1.isEmpty)
        #expect(VectorTile.commands(.lines([[P(x: 1, y: 1), P(x: 1, y: 1)]])).1.isEmpty)
        #expect(VectorTile.commands(.lines([[P(x: 1, y: 1), P(x: 1, y: 1), P(x: 4, y: 5)]])).1 == [9, 2, 2, 10, 6, 8])
    }

    @Test func layersInternKeysAndValuesAndTypeNumbers() {
        var layer = VectorTile.Layer(name: "aed")
        layer.add(id: 1, properties: [("名称", .string("市役所")), ("高さ", .int(-3))], geometry: .points([P(x: 1, y: 2)]))
        layer.add(id: 2, properties: [("名称", .string("市役所")), ("高さ", .double(2.5)), ("開設", .bool(true))], geometry: .points([P(x: 3, y: 4)]))
        layer.add(id: 3, properties: [], geometry: .points([]))  // nothing to draw: not a feature
        #expect(layer.count == 2)
        let bytes = VectorTile.encode([layer, VectorTile.Layer(name: "empty")])
        // Tile.layers (3, length-delimited) once: the empty layer is left out.
        #expect(bytes.first == 0x1A && bytes.filter { $0 == 0x1A }.count >= 1)
        let encoded = layer.encoded()
        // version 2 first, then the name.
        #expect(Array(encoded.prefix(5)) == [0x78, 0x02, 0x0A, 0x03] + Array("a".utf8))
        // The key 名称 and the value 市役所 once each.
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.components(separatedBy: "名称").count == 2 && text.components(separatedBy: "市役所").count == 2)
        // sint64 zigzag: -3 → 5; a double as 8 little-endian bytes after tag 0x19.
        #expect(VectorTile.zigzag64(-3) == 5 && VectorTile.zigzag32(-1) == 1 && VectorTile.zigzag32(1) == 2)
        #expect(encoded.indices.contains { encoded[$0] == 0x19 && Array(encoded[($0 + 1)...].prefix(8)) == [0, 0, 0, 0, 0, 0, 4, 0x40] })
        // extent 4096 last: field 5, varint 0x80 0x20.
        #expect(Array(encoded.suffix(3)) == [0x28, 0x80, 0x20])
    }

    /// Text is interned by its bytes: two spellings Swift's `String` calls equal (a precomposed が and か with a
    /// combining voiced mark) stay two values, each written as it came; the same bytes are one value.
    @Test func textIsInternedByItsBytes() {
        var layer = VectorTile.Layer(name: "x")
        let composed = "がっこう"
        let decomposed = "か\u{3099}っこう"
        #expect(composed == decomposed && Array(composed.utf8) != Array(decomposed.utf8))
        for (id, name) in [(1, composed), (2, decomposed), (3, composed)] {
            layer.add(id: UInt64(id), properties: [("名称", .string(name))], geometry: .points([P(x: 1, y: 1)]))
        }
        let encoded = layer.encoded()
        func occurrences(_ text: String) -> Int {
            let needle = Array(text.utf8)
            return encoded.indices.filter { Array(encoded[$0...].prefix(needle.count)) == needle }.count
        }
        #expect(occurrences(composed) == 1 && occurrences(decomposed) == 1 && occurrences("名称") == 1)
    }
}
