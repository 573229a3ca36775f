/// A record's geometry as GeoJSON has it (RFC 7946): its type and coordinates. Positions are kept flat — every
/// x (east, longitude) and y (north, latitude) in order, heights when the file gives them — with the counts that
/// rebuild the nesting, so that a stage can reproject every vertex in one batch.
///
/// Coordinates are in the CRS of the stage that made them: as read by `GeoJSONRows`, then CRS84 after CivicGeo's
/// `GeometryProcessor`.
public struct RecordGeometry: Sendable, Equatable {
    /// The GeoJSON geometry types.
    public enum Kind: String, Sendable, CaseIterable {
        case point = "Point"
        case multiPoint = "MultiPoint"
        case lineString = "LineString"
        case multiLineString = "MultiLineString"
        case polygon = "Polygon"
        case multiPolygon = "MultiPolygon"
        case geometryCollection = "GeometryCollection"
    }

    public var kind: Kind
    /// Every position's x, in order.
    public var x: [Double]
    /// Every position's y, in order.
    public var y: [Double]
    /// Every position's height, when the positions have a third value (all or none; see `init(json:)`).
    public var z: [Double]?
    /// Positions per part: per line (MultiLineString), per ring (Polygon, MultiPolygon); empty otherwise.
    public var parts: [Int]
    /// Rings per polygon (MultiPolygon); empty otherwise.
    public var polygons: [Int]
    /// The members of a GeometryCollection.
    public var members: [RecordGeometry]

    public init(
        kind: Kind,
        x: [Double],
        y: [Double],
        z: [Double]? = nil,
        parts: [Int] = [],
        polygons: [Int] = [],
        members: [RecordGeometry] = []
    ) {
        self.kind = kind
        self.x = x
        self.y = y
        self.z = z
        self.parts = parts
        self.polygons = polygons
        self.members = members
    }

    /// A point.
    public init(x: Double, y: Double) {
        self.init(kind: .point, x: [x], y: [y])
    }

    /// The output column CSV and workbook writers add for the geometry, as Well-Known Text.
    public static let wktColumn = "geometry (WKT)"

    /// True when it has no position at all (`"coordinates": []`, an empty collection).
    public var isEmpty: Bool { x.isEmpty && members.allSatisfy(\.isEmpty) }

    /// Positions, members' included.
    public var positionCount: Int { x.count + members.reduce(0) { $0 + $1.positionCount } }

    /// The bounding box `[minX, minY, maxX, maxY]`; nil when empty.
    public var bounds: [Double]? {
        var box: [Double]?
        if let minX = x.min(), let maxX = x.max(), let minY = y.min(), let maxY = y.max() { box = [minX, minY, maxX, maxY] }
        for member in members {
            guard let other = member.bounds else { continue }
            box = box.map { [min($0[0], other[0]), min($0[1], other[1]), max($0[2], other[2]), max($0[3], other[3])] } ?? other
        }
        return box
    }

    /// Changes every position (members' too), in batches of one geometry's positions: `body` gets x and y.
    public mutating func transformPositions(_ body: (inout [Double], inout [Double]) throws -> Void) rethrows {
        if !x.isEmpty { try body(&x, &y) }
        for index in members.indices { try members[index].transformPositions(body) }
    }

    // MARK: Reading

    /// Why a GeoJSON geometry object cannot be read.
    public struct ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// Reads a GeoJSON geometry object; nil for `null`.
    public init?(json: JSONValue) throws(ReadError) {
        if json == .null { return nil }
        guard case .object = json else { throw ReadError(message: "the geometry is \(json.kindDescription), not a GeoJSON geometry object") }
        guard let typeName = json["type"]?.stringValue else { throw ReadError(message: "the geometry has no \"type\"") }
        guard let kind = Kind(rawValue: typeName) else {
            throw ReadError(message: "\"\(typeName)\" is not a GeoJSON geometry type (\(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.init(kind: kind, x: [], y: [])
        if kind == .geometryCollection {
            guard let geometries = json["geometries"]?.elements else { throw ReadError(message: "a GeometryCollection needs \"geometries\": […]") }
            for member in geometries {
                guard let read = try RecordGeometry(json: member) else { throw ReadError(message: "a GeometryCollection member is null") }
                members.append(read)
            }
            return
        }
        guard let coordinates = json["coordinates"] else { throw ReadError(message: "a \(typeName) needs \"coordinates\"") }
        var reader = PositionReader()
        switch kind {
        case .point:
            // `"coordinates": []` is an empty point.
            if coordinates.elements?.isEmpty == true { break }
            try reader.position(coordinates)
        case .multiPoint, .lineString:
            for position in try RecordGeometry.list(coordinates, "positions") { try reader.position(position) }
        case .multiLineString, .polygon:
            for part in try RecordGeometry.list(coordinates, kind == .polygon ? "rings" : "lines") {
                let positions = try RecordGeometry.list(part, "positions")
                for position in positions { try reader.position(position) }
                parts.append(positions.count)
            }
        case .multiPolygon:
            for polygon in try RecordGeometry.list(coordinates, "polygons") {
                let rings = try RecordGeometry.list(polygon, "rings")
                for ring in rings {
                    let positions = try RecordGeometry.list(ring, "positions")
                    for position in positions { try reader.position(position) }
                    parts.append(positions.count)
                }
                polygons.append(rings.count)
            }
        case .geometryCollection:
            break
        }
        guard reader.heights == 0 || reader.heights == reader.x.count else {
            throw ReadError(message: "some positions have a height and some do not")
        }
        x = reader.x
        y = reader.y
        z = reader.heights > 0 ? reader.z : nil
    }

    private static func list(_ value: JSONValue, _ what: String) throws(ReadError) -> [JSONValue] {
        guard let elements = value.elements else { throw ReadError(message: "expected an array of \(what), found \(value.kindDescription)") }
        return elements
    }

    private struct PositionReader {
        var x: [Double] = []
        var y: [Double] = []
        var z: [Double] = []
        var heights = 0

        mutating func position(_ value: JSONValue) throws(ReadError) {
            guard let numbers = value.elements else { throw ReadError(message: "expected a position [x, y], found \(value.kindDescription)") }
            guard (2...3).contains(numbers.count) else {
                throw ReadError(message: "a position has \(numbers.count) values; GeoJSON positions are [x, y] or [x, y, height]")
            }
            var read: [Double] = []
            for number in numbers {
                guard case .number(let text) = number, let double = Double(text), double.isFinite else {
                    throw ReadError(message: "a position holds \(number.kindDescription), not a number")
                }
                read.append(double)
            }
            x.append(read[0])
            y.append(read[1])
            z.append(read.count == 3 ? read[2] : 0)
            if read.count == 3 { heights += 1 }
        }
    }

    // MARK: Writing

    /// Appends the geometry as a GeoJSON geometry object, coordinates with `precision` decimals (heights with 3), or
    /// every digit (shortest round-trip form) when `precision` is nil.
    public func appendJSON(to out: inout [UInt8], precision: Int?) {
        func number(_ value: Double, _ decimals: Int?) {
            if let decimals {
                JSONBytes.appendFixed(value, precision: decimals, to: &out)
            } else {
                out.append(contentsOf: RecordGeometry.number(value).utf8)
            }
        }
        JSONBytes.appendASCII(#"{"type":"#, to: &out)
        JSONBytes.appendString(kind.rawValue, to: &out)
        if kind == .geometryCollection {
            JSONBytes.appendASCII(#","geometries":["#, to: &out)
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(0x2C) }
                member.appendJSON(to: &out, precision: precision)
            }
            JSONBytes.appendASCII("]}", to: &out)
            return
        }
        JSONBytes.appendASCII(#","coordinates":"#, to: &out)
        var next = 0
        func position() {
            out.append(0x5B)
            number(x[next], precision)
            out.append(0x2C)
            number(y[next], precision)
            if let z {
                out.append(0x2C)
                number(z[next], precision == nil ? nil : 3)
            }
            out.append(0x5D)
            next += 1
        }
        func positions(_ count: Int) {
            out.append(0x5B)
            for index in 0..<count {
                if index > 0 { out.append(0x2C) }
                position()
            }
            out.append(0x5D)
        }
        func rings(_ range: Range<Int>) {
            out.append(0x5B)
            for part in range {
                if part > range.lowerBound { out.append(0x2C) }
                positions(parts[part])
            }
            out.append(0x5D)
        }
        switch kind {
        case .point:
            if x.isEmpty { JSONBytes.appendASCII("[]", to: &out) } else { position() }
        case .multiPoint, .lineString:
            positions(x.count)
        case .multiLineString, .polygon:
            rings(0..<parts.count)
        case .multiPolygon:
            out.append(0x5B)
            var start = 0
            for (index, count) in polygons.enumerated() {
                if index > 0 { out.append(0x2C) }
                rings(start..<start + count)
                start += count
            }
            out.append(0x5D)
        case .geometryCollection:
            break
        }
        out.append(0x7D)
    }

    /// The geometry as a GeoJSON geometry object.
    public func json(precision: Int? = 7) -> String {
        var out: [UInt8] = []
        appendJSON(to: &out, precision: precision)
        return String(decoding: out, as: UTF8.self)
    }

    /// The geometry as Well-Known Text (`POLYGON ((135.5 34.7, …))`, `POLYGON Z (…)` with heights), the
    /// coordinates as read (shortest round-trip form), for CSV/workbook columns and GEOS.
    public var wkt: String {
        var out = ""
        appendWKT(to: &out)
        return out
    }

    private func appendWKT(to out: inout String) {
        let name = kind.rawValue.uppercased()
        out += name
        if isEmpty {
            out += " EMPTY"
            return
        }
        if kind == .geometryCollection {
            out += " ("
            for (index, member) in members.enumerated() {
                if index > 0 { out += ", " }
                member.appendWKT(to: &out)
            }
            out += ")"
            return
        }
        if z != nil { out += " Z" }
        out += " "
        var next = 0
        func position() {
            out += RecordGeometry.number(x[next]) + " " + RecordGeometry.number(y[next])
            if let z { out += " " + RecordGeometry.number(z[next]) }
            next += 1
        }
        func positions(_ count: Int, wrapEach: Bool = false) {
            out += "("
            for index in 0..<count {
                if index > 0 { out += ", " }
                if wrapEach { out += "(" }
                position()
                if wrapEach { out += ")" }
            }
            out += ")"
        }
        func rings(_ range: Range<Int>) {
            out += "("
            for part in range {
                if part > range.lowerBound { out += ", " }
                positions(parts[part])
            }
            out += ")"
        }
        switch kind {
        case .point: positions(1)
        case .multiPoint: positions(x.count, wrapEach: true)
        case .lineString: positions(x.count)
        case .multiLineString, .polygon: rings(0..<parts.count)
        case .multiPolygon:
            out += "("
            var start = 0
            for (index, count) in polygons.enumerated() {
                if index > 0 { out += ", " }
                rings(start..<start + count)
                start += count
            }
            out += ")"
        case .geometryCollection: break
        }
    }

    /// The shortest text that reads back as the same double, never in exponent form.
    static func number(_ value: Double) -> String {
        let text = "\(value)"
        guard text.contains("e") else { return text.hasSuffix(".0") ? String(text.dropLast(2)) : text }
        var out: [UInt8] = []
        JSONBytes.appendFixed(value, precision: 15, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
