public import CivicData
public import CivicGeo
public import Foundation

/// Makes a collection's Mapbox Vector Tiles (docs/tiles.md) — for the server's tiles and `civic tiles`' PMTiles
/// alike: one layer named after the collection; points from the in-memory point grids, lines and polygons from the
/// shape index, clipped to the tile and a buffer and snapped to its grid with GEOS; attributes typed (numbers as
/// numbers). A tile of more than `clusterAbove` points below the highest zoom (`maximumZoom`) shows them as clusters
/// on a grid of `clusterCell` units, each with its `point_count` (a cell of one point is that point with its
/// attributes): nothing is dropped, and a tile of fewer points — at the latest the highest zoom — has every point.
/// The clusters of a dense tile come from the grid's cells of its zoom, gathered once per version and zoom.
public struct TileMaker: Sendable {
    let store: Store
    /// The layer's name (the collection's id).
    let layer: String
    let selector: CollectionSelector
    let datasets: [String: StoredDataset]
    /// True for a merged collection: record IDs are `<dataset>/<id>` and each feature says its dataset.
    let merged: Bool
    /// Records the reader may not see (a status table's 情報公開可否 否, for the public); never clustered with them.
    let hides: @Sendable (String, [String]) -> Bool
    let hasHidden: Bool

    public init(
        store: Store,
        layer: String,
        selector: CollectionSelector,
        datasets: [StoredDataset],
        merged: Bool,
        hidden: (@Sendable (String, [String]) -> Bool)? = nil
    ) {
        self.store = store
        self.layer = layer
        self.selector = selector
        self.datasets = Dictionary(datasets.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.merged = merged
        hides = hidden ?? { _, _ in false }
        hasHidden = hidden != nil
    }

    public static let extent = 4096
    /// Tile units kept around a tile (clipped shapes and points near an edge are drawn by both tiles).
    public static let buffer = 64
    public static let clusterAbove = 2000
    public static let clusterCell = 64
    public static let maximumZoom = 22

    /// The tile's bytes (an empty tile is no bytes).
    public func tile(zoom: Int, x: Int, y: Int) throws -> [UInt8] {
        let projection = TileProjection(zoom: zoom, x: x, y: y, extent: Double(Self.extent))
        let outer = projection.bounds(buffer: Double(Self.buffer))
        let box = StoredDataset.Envelope(minX: outer.west, minY: outer.south, maxX: outer.east, maxY: outer.north)
        var layer = VectorTile.Layer(name: self.layer, extent: UInt32(Self.extent))
        if try store.hasShapes(selector) {
            let context = try GEOSContext()
            for feature in try store.features(meeting: box, in: selector) {
                guard let dataset = datasets[feature.datasetID], !hides(dataset.id, feature.values) else { continue }
                let geometry: VectorTile.Geometry?
                if let shape = feature.geometry {
                    geometry = try Geometry(geoJSON: shape, context: context)
                        .tileGeometry(zoom: zoom, x: x, y: y, extent: Self.extent, buffer: Self.buffer)
                } else if let longitude = feature.longitude, let latitude = feature.latitude {
                    geometry = .points([Self.point(projection, longitude, latitude)])
                } else {
                    geometry = nil
                }
                if let geometry { add(feature, dataset, geometry, to: &layer) }
            }
            return VectorTile.encode([layer])
        }
        // A dense tile below the highest zoom: its clusters from the grids' per-zoom cells (no pass over its points).
        if zoom < Self.maximumZoom, !hasHidden,
            let (total, cells) = try store.tileCells(in: selector, zoom: zoom, x: x, y: y, extent: Double(Self.extent)),
            total > Self.clusterAbove
        {
            try clusters(cells, projection: projection, into: &layer)
            return VectorTile.encode([layer])
        }
        let points = try store.points(in: selector, box: box)
        if zoom < Self.maximumZoom, points.count > Self.clusterAbove, !hasHidden {
            try cluster(points, projection: projection, into: &layer)
        } else {
            for feature in try store.features(keys: points.map(\.key), in: selector) {
                guard let dataset = datasets[feature.datasetID], !hides(dataset.id, feature.values),
                    let longitude = feature.longitude, let latitude = feature.latitude
                else { continue }
                add(feature, dataset, .points([Self.point(projection, longitude, latitude)]), to: &layer)
            }
        }
        return VectorTile.encode([layer])
    }

    /// Points on a grid of cells, gathered from the tile's points (while its version's cells are not in memory):
    /// the same clusters as `clusters`. Only the tile's own points are counted (not its buffer), so that the counts
    /// of a zoom's tiles add up to the collection's points.
    private func cluster(_ points: [Store.LocatedPoint], projection: TileProjection, into layer: inout VectorTile.Layer) throws {
        let side = Self.extent / Self.clusterCell
        var cells: [Int: Store.TileCell] = [:]
        for point in points {
            let (x, y) = projection.project(longitude: point.longitude, latitude: point.latitude)
            guard x >= 0, x < Double(Self.extent), y >= 0, y < Double(Self.extent) else { continue }
            let cell = Int(y) / Self.clusterCell * side + Int(x) / Self.clusterCell
            var entry = cells[cell] ?? Store.TileCell(cell: cell, count: 0, x: 0, y: 0, key: point.key)
            entry.count += 1
            entry.x += x
            entry.y += y
            entry.key = min(entry.key, point.key)
            cells[cell] = entry
        }
        try clusters(Store.TileCell.averaged(cells.values), projection: projection, into: &layer)
    }

    /// A record as a feature: `id` its record ID (`<dataset>/<id>` in a merged collection, as the items), its MVT id
    /// a 64-bit hash of that (the same in every tile, for a map's feature state), its non-empty values typed as the
    /// columns are.
    private func add(_ feature: StoredFeature, _ dataset: StoredDataset, _ geometry: VectorTile.Geometry, to layer: inout VectorTile.Layer) {
        let id = merged ? dataset.id + "/" + feature.featureID : feature.featureID
        var properties: [(String, VectorTile.Value)] = [("id", .string(id))]
        if merged { properties.append(("dataset", .string(dataset.id))) }
        for (index, column) in dataset.columns.enumerated() where index < feature.values.count {
            let value = feature.values[index]
            guard !value.isEmpty else { continue }
            properties.append((column, Self.typed(value, numeric: index < dataset.numericColumns.count && dataset.numericColumns[index])))
        }
        var hash = FNV1a()
        hash.add(id)
        layer.add(id: hash.value, properties: properties, geometry: geometry)
    }

    static func typed(_ value: String, numeric: Bool) -> VectorTile.Value {
        guard numeric else { return .string(value) }
        if let whole = Int64(value) { return .int(whole) }
        if let number = Double(value), number.isFinite { return .double(number) }
        return .string(value)
    }

    static func point(_ projection: TileProjection, _ longitude: Double, _ latitude: Double) -> VectorTile.TilePoint {
        let (x, y) = projection.project(longitude: longitude, latitude: latitude)
        return VectorTile.TilePoint(x: Int32(x.rounded()), y: Int32(y.rounded()))
    }

    static func abbreviated(_ count: Int) -> String {
        count >= 10_000 ? "\(count / 1000)k" : count >= 1000 ? String(format: "%.1fk", Double(count) / 1000) : String(count)
    }

    /// One feature per cell at the mean of its points, with `point_count` (and `point_count_abbreviated` for labels);
    /// a cell of one point is that point with its attributes.
    private func clusters(_ cells: [Store.TileCell], projection: TileProjection, into layer: inout VectorTile.Layer) throws {
        for feature in try store.features(keys: cells.filter { $0.count == 1 }.map(\.key), in: selector) {
            guard let dataset = datasets[feature.datasetID], let longitude = feature.longitude, let latitude = feature.latitude else { continue }
            add(feature, dataset, .points([Self.point(projection, longitude, latitude)]), to: &layer)
        }
        for cell in cells where cell.count > 1 {
            layer.add(
                id: nil,
                properties: [
                    ("cluster", .bool(true)), ("point_count", .int(Int64(cell.count))),
                    ("point_count_abbreviated", .string(Self.abbreviated(cell.count))), ("cell", .int(Int64(cell.cell))),
                ],
                geometry: .points([VectorTile.TilePoint(x: Int32(cell.x.rounded()), y: Int32(cell.y.rounded()))])
            )
        }
    }

    /// Where a record is, for the tiles an edit touches: its point, or its shape's box.
    public static func place(_ record: EditedRecord) -> StoredDataset.Envelope? {
        place(geometry: record.geometry, longitude: record.longitude, latitude: record.latitude)
    }

    /// Where a shape (GeoJSON) or a point is: the shape's box, else the point.
    public static func place(geometry: String?, longitude: Double?, latitude: Double?) -> StoredDataset.Envelope? {
        if let shape = geometry, let data = shape.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            var box: StoredDataset.Envelope?
            func visit(_ value: Any?) {
                guard let array = value as? [Any] else { return }
                if array.count >= 2, let x = (array[0] as? NSNumber)?.doubleValue, let y = (array[1] as? NSNumber)?.doubleValue {
                    let point = StoredDataset.Envelope(minX: x, minY: y, maxX: x, maxY: y)
                    box = box.map { $0.union(point) } ?? point
                } else {
                    for item in array { visit(item) }
                }
            }
            visit(object["coordinates"])
            for part in object["geometries"] as? [[String: Any]] ?? [] { visit(part["coordinates"]) }
            if let box { return box }
        }
        guard let x = longitude, let y = latitude else { return nil }
        return StoredDataset.Envelope(minX: x, minY: y, maxX: x, maxY: y)
    }
}
