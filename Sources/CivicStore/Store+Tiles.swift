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
}
