import Foundation

/// Mapbox Vector Tile 2.1 (github.com/mapbox/vector-tile-spec, `2.1/vector_tile.proto`) written by hand: the format
/// needs four protobuf messages (Tile, Layer, Feature, Value) and five wire features — varints, zigzag, length-
/// delimited fields, packed repeated uint32 and a oneof — so a writer of its own costs ~200 lines instead of
/// swift-protobuf's runtime and generated code on every build (docs/tiles.md). Decoded in tests by the PyPI
/// `mapbox-vector-tile` package and GDAL's MVT driver.
public struct VectorTile: Sendable {
    /// One attribute value. Whole numbers as `int` (sint64, zigzag), others as `double`.
    public enum Value: Hashable, Sendable {
        case string(String)
        case double(Double)
        case int(Int64)
        case bool(Bool)
    }

    /// A feature's geometry in tile coordinates (x right, y down, 0…extent inside the tile).
    public enum Geometry: Sendable, Equatable {
        /// One point or several (a MultiPoint).
        case points([TilePoint])
        /// One line or several.
        case lines([[TilePoint]])
        /// Polygons: each an exterior ring then its holes (closed or not); written with exterior rings of positive
        /// area in tile coordinates (clockwise on screen) and holes negative, as the spec requires.
        case polygons([[[TilePoint]]])
    }

    public struct TilePoint: Sendable, Equatable, Hashable {
        public var x: Int32
        public var y: Int32
        public init(x: Int32, y: Int32) {
            self.x = x
            self.y = y
        }
    }

    /// One layer being written: features with their attributes interned into the layer's keys and values.
    public struct Layer: Sendable {
        public let name: String
        public let extent: UInt32
        private var features: [UInt8] = []
        private var keys: [String] = []
        private var keyIndex: [Interned: UInt32] = [:]
        private var values: [Value] = []
        private var valueIndex: [Interned: UInt32] = [:]
        /// The keys of the last feature added, with their indexes, by position.
        private var lastKeys: [(key: String, index: UInt32)] = []
        public private(set) var count = 0

        public init(name: String, extent: UInt32 = 4096) {
            self.name = name
            self.extent = extent
        }

        /// Adds a feature (nothing for an empty geometry). `id` SHOULD be unique in the layer (the spec).
        public mutating func add(id: UInt64?, properties: [(String, Value)], geometry: Geometry) {
            let (type, commands) = VectorTile.commands(geometry)
            guard !commands.isEmpty else { return }
            var feature: [UInt8] = []
            if let id { VectorTile.field(1, varint: id, to: &feature) }
            var tags: [UInt32] = []
            tags.reserveCapacity(properties.count * 2)
            for (position, (key, value)) in properties.enumerated() {
                // Features of a layer mostly name the same keys in the same order: the previous feature's key at this
                // position is checked first (bytes compared, no hashing).
                if position < lastKeys.count, Interned(.string(lastKeys[position].key)) == Interned(.string(key)) {
                    tags.append(lastKeys[position].index)
                } else {
                    let index = Layer.intern(key, as: Interned(.string(key)), in: &keys, &keyIndex)
                    if position < lastKeys.count { lastKeys[position] = (key, index) } else { lastKeys.append((key, index)) }
                    tags.append(index)
                }
                tags.append(Layer.intern(value, as: Interned(value), in: &values, &valueIndex))
            }
            if !tags.isEmpty { VectorTile.packed(2, tags, to: &feature) }
            VectorTile.field(3, varint: UInt64(type), to: &feature)
            VectorTile.packed(4, commands, to: &feature)
            VectorTile.field(2, bytes: feature, to: &features)
            count += 1
        }

        /// The index of `item` in `list` (the layer's keys or values), appended when new.
        private static func intern<Item>(_ item: Item, as key: Interned, in list: inout [Item], _ index: inout [Interned: UInt32]) -> UInt32 {
            if let found = index[key] { return found }
            let position = UInt32(list.count)
            list.append(item)
            index[key] = position
            return position
        }

        /// A key or value as the layer's tables tell them apart: text by its UTF-8 bytes. Swift's `String` hashes
        /// and compares by canonical equivalence, normalising first — most of a dense tile's time with Japanese
        /// text — and would merge two spellings into one; MVT keeps the bytes.
        struct Interned: Hashable {
            let value: Value

            init(_ value: Value) { self.value = value }

            static func == (a: Interned, b: Interned) -> Bool {
                guard case .string(var x) = a.value, case .string(var y) = b.value else { return a.value == b.value }
                return x.withUTF8 { first in
                    y.withUTF8 { second in
                        first.count == second.count && (first.isEmpty || memcmp(first.baseAddress!, second.baseAddress!, first.count) == 0)
                    }
                }
            }

            func hash(into hasher: inout Hasher) {
                guard case .string(var text) = value else { return hasher.combine(value) }
                hasher.combine(0xFF as UInt8)
                text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            }
        }

        /// The Layer message.
        public func encoded() -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(features.count + keys.count * 16 + values.count * 16 + 32)
            VectorTile.field(15, varint: 2, to: &out)  // version first, as the spec asks
            VectorTile.field(1, bytes: Array(name.utf8), to: &out)
            out += features
            for key in keys { VectorTile.field(3, bytes: Array(key.utf8), to: &out) }
            for value in values {
                var message: [UInt8] = []
                switch value {
                case .string(let text): VectorTile.field(1, bytes: Array(text.utf8), to: &message)
                case .double(let number):
                    VectorTile.tag(3, wire: 1, to: &message)
                    withUnsafeBytes(of: number.bitPattern.littleEndian) { message += $0 }
                case .int(let number): VectorTile.field(6, varint: VectorTile.zigzag64(number), to: &message)
                case .bool(let flag): VectorTile.field(7, varint: flag ? 1 : 0, to: &message)
                }
                VectorTile.field(4, bytes: message, to: &out)
            }
            VectorTile.field(5, varint: UInt64(extent), to: &out)
            return out
        }
    }

    /// A tile of `layers` (empty layers left out): the Tile message.
    public static func encode(_ layers: [Layer]) -> [UInt8] {
        var out: [UInt8] = []
        for layer in layers where layer.count > 0 { field(3, bytes: layer.encoded(), to: &out) }
        return out
    }

    // MARK: Geometry commands

    /// The geometry type (1 point, 2 line, 3 polygon) and its command integers: MoveTo 1, LineTo 2, ClosePath 7,
    /// each `(id & 7) | (count << 3)`, parameters zigzag-encoded deltas from the cursor. Lines of fewer than two
    /// distinct points and rings of fewer than three are left out (the spec forbids them).
    static func commands(_ geometry: Geometry) -> (Int, [UInt32]) {
        var out: [UInt32] = []
        var cursor = TilePoint(x: 0, y: 0)
        func command(_ id: UInt32, _ count: Int) -> UInt32 { (id & 7) | (UInt32(count) << 3) }
        func move(to point: TilePoint) {
            out.append(zigzag32(point.x &- cursor.x))
            out.append(zigzag32(point.y &- cursor.y))
            cursor = point
        }
        /// The points without repeats (consecutive equal points would be zero-length LineTo segments).
        func distinct(_ points: [TilePoint]) -> [TilePoint] {
            var kept: [TilePoint] = []
            kept.reserveCapacity(points.count)
            for point in points where kept.last != point { kept.append(point) }
            return kept
        }
        switch geometry {
        case .points(let points):
            guard !points.isEmpty else { return (1, []) }
            out.append(command(1, points.count))
            for point in points { move(to: point) }
            return (1, out)
        case .lines(let lines):
            for line in lines {
                let points = distinct(line)
                guard points.count >= 2 else { continue }
                out.append(command(1, 1))
                move(to: points[0])
                out.append(command(2, points.count - 1))
                for point in points.dropFirst() { move(to: point) }
            }
            return (2, out)
        case .polygons(let polygons):
            for polygon in polygons {
                for (index, ring) in polygon.enumerated() {
                    var points = distinct(ring)
                    if points.count > 1, points.first == points.last { points.removeLast() }
                    let twiceArea = points.count >= 3 ? area(points) : 0
                    // A shell without area has no holes either.
                    guard twiceArea != 0 else {
                        if index == 0 { break }
                        continue
                    }
                    // Exterior rings positive, holes negative (the spec's winding order).
                    if (index == 0) != (twiceArea > 0) { points.reverse() }
                    out.append(command(1, 1))
                    move(to: points[0])
                    out.append(command(2, points.count - 1))
                    for point in points.dropFirst() { move(to: point) }
                    out.append(command(7, 1))
                }
            }
            return (3, out)
        }
    }

    /// Twice the ring's signed area by the surveyor's formula in tile coordinates (y down): positive for an exterior
    /// ring (clockwise on screen), negative for a hole.
    public static func area(_ ring: [TilePoint]) -> Int64 {
        var sum: Int64 = 0
        for index in ring.indices {
            let a = ring[index]
            let b = ring[(index + 1) % ring.count]
            sum += Int64(a.x) * Int64(b.y) - Int64(b.x) * Int64(a.y)
        }
        return sum
    }

    // MARK: Protobuf wire format

    static func zigzag32(_ value: Int32) -> UInt32 { UInt32(bitPattern: (value << 1) ^ (value >> 31)) }
    static func zigzag64(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    static func varint(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    static func tag(_ field: Int, wire: Int, to out: inout [UInt8]) { varint(UInt64(field << 3 | wire), to: &out) }

    static func field(_ number: Int, varint value: UInt64, to out: inout [UInt8]) {
        tag(number, wire: 0, to: &out)
        varint(value, to: &out)
    }

    static func field(_ number: Int, bytes: [UInt8], to out: inout [UInt8]) {
        tag(number, wire: 2, to: &out)
        varint(UInt64(bytes.count), to: &out)
        out += bytes
    }

    static func packed(_ number: Int, _ values: [UInt32], to out: inout [UInt8]) {
        var body: [UInt8] = []
        body.reserveCapacity(values.count * 2)
        for value in values { varint(UInt64(value), to: &body) }
        field(number, bytes: body, to: &out)
    }
}
