public import CivicGeo
public import Foundation
import GRDB

/// What a vector tile is made of: the points in a box, read from the in-memory point grids (the SQLite point index
/// while a grid is being read), and the records whose point or shape meets a box, with their shapes.
extension Store {
    /// One point of a tile: its record's key and dataset, where it is.
    public struct LocatedPoint: Sendable {
        public var key: Int64
        public var datasetID: String
        public var longitude: Double
        public var latitude: Double
    }

    /// The points of `selector` inside `box` (lon/lat, edges included), in no particular order.
    public func points(in selector: CollectionSelector, box: StoredDataset.Envelope) throws -> [LocatedPoint] {
        let ranges = Store.zRanges([box])
        guard !ranges.isEmpty else { return [] }
        return try read { db in
            var found: [LocatedPoint] = []
            if let grids = try pointGrids(selector, db) {
                for (member, grid) in zip(selector.members, grids) {
                    grid.points(in: ranges, boxes: [box]) { position, x, y in
                        found.append(
                            LocatedPoint(
                                key: Store.featureKey(version: member.version, seq: Int(position)),
                                datasetID: member.datasetID,
                                longitude: x,
                                latitude: y
                            )
                        )
                    }
                }
                return found
            }
            let statement = try db.cachedStatement(
                sql: "SELECT key, lon, lat FROM point WHERE version = ? AND z BETWEEN ? AND ? AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?"
            )
            for member in selector.members {
                for range in ranges {
                    let rows = try Row.fetchCursor(
                        statement,
                        arguments: [member.version, range.lowerBound, range.upperBound, box.minX, box.maxX, box.minY, box.maxY]
                    )
                    while let row = try rows.next() {
                        found.append(LocatedPoint(key: row[0], datasetID: member.datasetID, longitude: row[1], latitude: row[2]))
                    }
                }
            }
            return found
        }
    }

    /// Hands `body` the position of every point of `selector`, streamed from the point index in one read
    /// transaction (nothing kept: `civic tiles`' memory does not grow with the records).
    public func eachPoint(in selector: CollectionSelector, _ body: (Double, Double) throws -> Void) throws {
        try read { db in
            let statement = try db.makeStatement(sql: "SELECT lon, lat FROM point WHERE version = ?")
            for member in selector.members {
                let rows = try Row.fetchCursor(statement, arguments: [member.version])
                while let row = try rows.next() { try body(row[0], row[1]) }
            }
        }
    }

    /// The records with these keys (values decoded), in key order.
    public func features(keys: [Int64], in selector: CollectionSelector) throws -> [StoredFeature] {
        guard !keys.isEmpty else { return [] }
        return try read { db in try Store.features(keys: keys.sorted(), versions: selector.datasetsByVersion, json: false, db) }
    }

    /// True when a version of the selection has lines or polygons.
    public func hasShapes(_ selector: CollectionSelector) throws -> Bool {
        try read { db in try Store.hasShapes(selector, db) }
    }

    /// Every record of `selector` whose point or shape meets `box`, with its shape (GeoJSON), in key order.
    public func features(meeting box: StoredDataset.Envelope, in selector: CollectionSelector) throws -> [StoredFeature] {
        try features(keys: try matchingKeys(selector, boxes: [box]), in: selector)
    }

    /// A tile's points gathered in cells (`PointGrid.cellsPerSide` a side): where each cell's points are on average
    /// (tile units), how many, and the key of one of them (the single point's, for a cell of one).
    public struct TileCell: Sendable {
        public var cell: Int
        public var count: Int
        public var x: Double
        public var y: Double
        public var key: Int64

        /// Cells whose `x` and `y` are sums of their points' positions, in cell order with the means instead.
        static func averaged(_ sums: some Collection<TileCell>) -> [TileCell] {
            sums.sorted { $0.cell < $1.cell }.map { cell in
                TileCell(cell: cell.cell, count: cell.count, x: cell.x / Double(cell.count), y: cell.y / Double(cell.count), key: cell.key)
            }
        }
    }

    /// The cells of tile `x`, `y` at `zoom` (`extent` units a side) and how many points they hold, from the point
    /// grids' per-zoom cells; nil while a grid is not in memory (the caller gathers the tile's points itself).
    public func tileCells(in selector: CollectionSelector, zoom: Int, x: Int, y: Int, extent: Double) throws -> (total: Int, cells: [TileCell])? {
        guard zoom <= 22 else { return nil }
        return try read { db in
            guard let grids = try pointGrids(selector, db) else { return nil }
            let low = (Int64(x) << 22 | Int64(y)) << 12
            let high = low | 4095
            var merged: [Int: TileCell] = [:]
            var total = 0
            for (member, grid) in zip(selector.members, grids) {
                let cells = grid.cells(zoom: zoom, extent: extent)
                var index = cells.keys.withUnsafeBufferPointer { PointGrid.firstIndex(in: $0, notBelow: low) }
                while index < cells.keys.count && cells.keys[index] <= high {
                    let cell = Int(cells.keys[index] & 4095)
                    let count = Int(cells.counts[index])
                    let key = Store.featureKey(version: member.version, seq: Int(cells.first[index]))
                    total += count
                    if var known = merged[cell] {
                        known.x += cells.sumX[index]
                        known.y += cells.sumY[index]
                        known.count += count
                        known.key = min(known.key, key)
                        merged[cell] = known
                    } else {
                        merged[cell] = TileCell(cell: cell, count: count, x: cells.sumX[index], y: cells.sumY[index], key: key)
                    }
                    index += 1
                }
            }
            return (total, TileCell.averaged(merged.values))
        }
    }
}
