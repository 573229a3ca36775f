public import CivicData
public import Foundation

/// Polygons (or lines) read from a GeoJSON FeatureCollection or from a CSV with a WKT column, e.g.
/// 小中学校通学区域: each feature's validity checked (with where the problem is), repaired on request, rings
/// oriented as RFC 7946 asks, and indexed for the spatial join.
///
/// Not Sendable: owns GEOS geometries of one context.
public final class PolygonLayer {
    /// One feature.
    public struct Feature {
        /// The name given by `nameProperty`, else the feature's `id`, else its 1-based position.
        public var name: String
        public var geometry: Geometry
        /// The properties as read (GeoJSON) or the row's cells by header (CSV).
        public var properties: [String: String]
    }

    /// A feature GEOS finds invalid.
    public struct Problem: Sendable, Equatable {
        /// 1-based feature number (GeoJSON) or line (CSV).
        public var position: Int
        public var name: String
        /// GEOS's reason (`Self-intersection` …).
        public var reason: String
        public var x: Double?
        public var y: Double?
        /// True when make-valid repaired it.
        public var repaired: Bool

        /// `feature 5 (蝶): Self-intersection at 139.05, 35.05`.
        public var description: String {
            let place = x.flatMap { x in y.map { " at \(x), \($0)" } } ?? ""
            return "feature \(position) (\(name)): \(reason)\(place)"
        }
    }

    public let context: GEOSContext
    public let features: [Feature]
    public let problems: [Problem]
    /// Features GEOS could not read at all (position and message); they are left out.
    public let unreadable: [(position: Int, message: String)]
    private var index: PolygonIndex?

    /// Header names of a geometry column: WKT text, or a GeoJSON geometry object.
    static let wktNames: Set<HeaderKey> = Set(
        ["WKT", "geometry", "geom", "the_geom", "GeoJSON", "ジオメトリ", "形状", "図形"].map(HeaderKey.init)
    )

    /// Reads a file by its extension: `.csv` with a WKT column, anything else as GeoJSON.
    public convenience init(path: String, nameProperty: String? = nil, repair: Bool = false) throws {
        if path.lowercased().hasSuffix(".csv") {
            try self.init(csv: InputSource(path: path), nameColumn: nameProperty, repair: repair)
        } else {
            try self.init(geoJSON: Data(contentsOf: URL(fileURLWithPath: path)), nameProperty: nameProperty, repair: repair)
        }
    }

    /// Reads a GeoJSON FeatureCollection (CRS84 as RFC 7946 says).
    public convenience init(geoJSON data: Data, nameProperty: String? = nil, repair: Bool = false, context: GEOSContext? = nil) throws {
        let context = try context ?? GEOSContext()
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw GeometryError(code: .unreadable, message: "not a GeoJSON object")
        }
        let items: [[String: Any]]
        switch object["type"] as? String {
        case "FeatureCollection": items = object["features"] as? [[String: Any]] ?? []
        case "Feature": items = [object]
        default: throw GeometryError(code: .unreadable, message: "expected a GeoJSON FeatureCollection or Feature")
        }
        var raw: [(position: Int, name: String, text: String?, properties: [String: String])] = []
        for (offset, item) in items.enumerated() {
            let properties = (item["properties"] as? [String: Any] ?? [:]).mapValues { PolygonLayer.text($0) }
            let name = nameProperty.flatMap { properties[$0] } ?? (item["id"]).map { PolygonLayer.text($0) } ?? "\(offset + 1)"
            let geometry = item["geometry"].flatMap { try? JSONSerialization.data(withJSONObject: $0) }.map { String(decoding: $0, as: UTF8.self) }
            raw.append((offset + 1, name, geometry, properties))
        }
        try self.init(raw: raw, wkt: false, repair: repair, context: context)
    }

    /// Reads a CSV whose geometry is in a WKT or GeoJSON column (`WKT`, `geometry`, `GeoJSON`, `ジオメトリ` …), lon/lat.
    public convenience init(csv source: InputSource, nameColumn: String? = nil, repair: Bool = false, context: GEOSContext? = nil) throws {
        let context = try context ?? GEOSContext()
        let reader = try CSVReader(source: source.makeChunkReader(encoding: nil))
        guard let header = try reader.nextRow()?.cells else {
            throw GeometryError(code: .unreadable, message: "\(source.displayName): empty file")
        }
        guard let wkt = header.firstIndex(where: { PolygonLayer.wktNames.contains(HeaderKey($0)) }) else {
            throw GeometryError(code: .unreadable, message: "\(source.displayName): no WKT column (WKT, geometry, ジオメトリ …)")
        }
        let nameIndex = nameColumn.flatMap { header.firstIndex(of: $0) }
        var raw: [(position: Int, name: String, text: String?, properties: [String: String])] = []
        while let row = try reader.nextRow() {
            if row.isBlank { continue }
            var properties: [String: String] = [:]
            for (column, value) in zip(header, row.cells) where column != header[wkt] { properties[column] = value }
            let name = nameIndex.flatMap { $0 < row.cells.count ? row.cells[$0] : nil } ?? "\(row.line)"
            raw.append((row.line, name, wkt < row.cells.count ? row.cells[wkt] : nil, properties))
        }
        try self.init(raw: raw, wkt: true, repair: repair, context: context)
    }

    private init(raw: [(position: Int, name: String, text: String?, properties: [String: String])], wkt: Bool, repair: Bool, context: GEOSContext)
        throws
    {
        self.context = context
        var features: [Feature] = []
        var problems: [Problem] = []
        var unreadable: [(Int, String)] = []
        for item in raw {
            guard let text = item.text, !text.isEmpty else {
                unreadable.append((item.position, "no geometry"))
                continue
            }
            do {
                // A CSV cell may hold WKT or a GeoJSON geometry object.
                let isGeoJSON = !wkt || text.first == "{"
                var geometry = isGeoJSON ? try Geometry(geoJSON: text, context: context) : try Geometry(wkt: text, context: context)
                let validity = geometry.validity
                if !validity.isValid {
                    problems.append(
                        Problem(
                            position: item.position,
                            name: item.name,
                            reason: validity.reason ?? "invalid",
                            x: validity.x,
                            y: validity.y,
                            repaired: repair
                        )
                    )
                    if repair { geometry = try geometry.madeValid() }
                }
                features.append(Feature(name: item.name, geometry: try geometry.orientedForGeoJSON(), properties: item.properties))
            } catch {
                unreadable.append((item.position, "\(error)"))
            }
        }
        self.features = features
        self.problems = problems
        self.unreadable = unreadable
    }

    /// The name of the first feature containing the point (lon/lat), or nil. Builds the index on first use.
    public func name(containingLongitude longitude: Double, latitude: Double) throws -> String? {
        if index == nil { index = try PolygonIndex(polygons: features.map(\.geometry), context: context) }
        return index!.containing(x: longitude, y: latitude).map { features[$0].name }
    }

    /// The layer as an RFC 7946 FeatureCollection (rings oriented, repaired geometries when repair was asked).
    public func geoJSON() throws -> String {
        var parts: [String] = []
        for feature in features {
            let properties = try JSONSerialization.data(withJSONObject: feature.properties, options: [.sortedKeys, .withoutEscapingSlashes])
            parts.append(
                #"{"type":"Feature","geometry":"# + (try feature.geometry.geoJSON()) + #","properties":"#
                    + String(decoding: properties, as: UTF8.self) + "}"
            )
        }
        return #"{"type":"FeatureCollection","features":["# + parts.joined(separator: ",\n") + "]}\n"
    }

    static func text(_ value: Any) -> String {
        switch value {
        case let string as String: string
        case let number as NSNumber: number.stringValue
        case is NSNull: ""
        default: "\(value)"
        }
    }
}

@available(*, unavailable)
extension PolygonLayer: Sendable {}
