import CivicData
import CivicGeo
import Foundation
import Testing

@testable import CivicStore

/// Boxes answered from the versions' point indexes read into memory give exactly what SQL gives — the same features
/// in the same order, the same count — for one dataset and merged ones, at any offset, after edits, and while a
/// large version's grid is still being read.
@Suite struct PointGridTests {
    /// Boxes around the datasets' features, of several sizes, from a fixed pseudo-random sequence.
    static func boxes(around features: [StoredFeature], count: Int) -> [StoredDataset.Envelope] {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed >> 33
        }
        let points = features.compactMap { feature in feature.longitude.flatMap { x in feature.latitude.map { (x, $0) } } }
        return (0..<count).map { index in
            let (x, y) = points[Int(next() % UInt64(points.count))]
            let half = [0.0, 0.001, 0.01, 0.05, 0.3, 2][index % 6]
            return StoredDataset.Envelope(minX: x - half, minY: y - half * 0.7, maxX: x + half * 1.3, maxY: y + half)
        }
    }

    /// The page with grids and the page by SQL alone (no grids), for the same query.
    static func bothWays(
        _ store: Store,
        _ selector: CollectionSelector,
        _ box: StoredDataset.Envelope,
        alsoIn other: StoredDataset.Envelope? = nil,
        limit: Int,
        offset: Int
    ) throws -> (grid: FeaturePage, sql: FeaturePage) {
        let limits = store.grids.limits
        let grid = try store.features(in: selector, bbox: box, alsoIn: other, limit: limit, offset: offset, valuesAsJSON: true)
        store.grids.limits = PointGrids.Limits(budget: 0, readAtOnce: 0)
        defer { store.grids.limits = limits }
        let sql = try store.features(in: selector, bbox: box, alsoIn: other, limit: limit, offset: offset, valuesAsJSON: true)
        return (grid, sql)
    }

    @Test func gridPagesAreTheSQLPages() throws {
        let store = try Store.inMemory()
        try Loading.load(["yaizu-aed", "ichikawa-aed", "takamatsu-aed"], into: store)
        let merged = CollectionSelector.merged(try store.datasets().filter { $0.standard == "aed" })
        let takamatsu = CollectionSelector.dataset(try #require(try store.dataset(id: "takamatsu-aed")))
        let all = try store.features(in: merged, limit: 10_000, offset: 0).features
        var nonEmpty = 0
        for selector in [merged, takamatsu] {
            for box in Self.boxes(around: all, count: 24) {
                for (limit, offset) in [(100, 0), (10, 0), (7, 3), (5, 40), (1000, 0), (10, 10_000)] {
                    let (grid, sql) = try Self.bothWays(store, selector, box, limit: limit, offset: offset)
                    #expect(grid.features == sql.features && grid.numberMatched == sql.numberMatched, "\(box) \(limit) \(offset)")
                    if !grid.features.isEmpty { nonEmpty += 1 }
                }
            }
        }
        #expect(nonEmpty > 50)
        // Two boxes (a box across the antimeridian is asked as two): each feature once.
        let boxes = Self.boxes(around: all, count: 6)
        let (grid, sql) = try Self.bothWays(store, merged, boxes[4], alsoIn: boxes[5], limit: 500, offset: 0)
        #expect(grid.features == sql.features && grid.numberMatched == sql.numberMatched && grid.numberMatched > 0)
        #expect(Set(grid.features.map { "\($0.datasetID)/\($0.featureID)" }).count == grid.features.count)
    }

    @Test func gridsFollowEdits() throws {
        let store = try ChangeLogTests.loaded()
        let id = ChangeLogTests.id
        let box = StoredDataset.Envelope(minX: 138.29, minY: 34.89, maxX: 138.31, maxY: 34.91)
        let selector = CollectionSelector.dataset(try #require(try store.dataset(id: id)))
        #expect(try store.features(in: selector, bbox: box, limit: 10, offset: 0).numberMatched == 0)
        let member = try #require(selector.members.first)
        #expect(store.grids.grid(version: member.version, state: try store.read { try Store.versionState(of: member, $0) }) != nil)
        // A record moved into the box, in place (the version stays): the grid of before is not used.
        let record = try #require(try store.record(id, id: "0000000005", in: .live))
        _ = try store.edit(
            id,
            [RecordEdit(.replace, featureID: "0000000005", values: record.values, longitude: 138.3, latitude: 34.9, expectedTag: record.tag)],
            in: .live,
            by: ChangeLogTests.publisher,
            note: nil
        )
        let moved = try store.features(in: selector, bbox: box, limit: 10, offset: 0)
        #expect(moved.numberMatched == 1 && moved.features.map(\.featureID) == ["0000000005"])
        _ = try store.edit(id, [RecordEdit(.delete, featureID: "0000000005")], in: .live, by: ChangeLogTests.publisher, note: nil)
        #expect(try store.features(in: selector, bbox: box, limit: 10, offset: 0).numberMatched == 0)
        let everywhere = StoredDataset.Envelope(minX: 120, minY: 20, maxX: 150, maxY: 46)
        let (grid, sql) = try Self.bothWays(store, selector, everywhere, limit: 100, offset: 0)
        #expect(grid.numberMatched == 81 && grid.features == sql.features)
    }

    @Test func largeVersionsAreReadInTheBackgroundWhileSQLAnswers() throws {
        let store = try Store.inMemory()
        try Loading.load(["ichikawa-aed"], into: store)
        store.grids.limits = PointGrids.Limits(budget: 1_000, readAtOnce: 0)
        let selector = CollectionSelector.dataset(try #require(try store.dataset(id: "ichikawa-aed")))
        let member = try #require(selector.members.first)
        let version = member.version
        let state = try store.read { try Store.versionState(of: member, $0) }
        let box = StoredDataset.Envelope(minX: 139.9, minY: 35.7, maxX: 140.0, maxY: 35.8)
        let first = try store.features(in: selector, bbox: box, limit: 20, offset: 5)
        store.grids.waitForBuilds()
        #expect(store.grids.grid(version: version, state: state) != nil)
        let second = try store.features(in: selector, bbox: box, limit: 20, offset: 5)
        #expect(first.features == second.features && first.numberMatched == second.numberMatched && first.numberMatched > 25)
        // Over the budget: no grid is kept, SQL answers.
        store.grids.limits = PointGrids.Limits(budget: 100, readAtOnce: 0)
        #expect(try store.features(in: selector, bbox: box, limit: 20, offset: 5).features == first.features)
        store.grids.waitForBuilds()
        #expect(store.grids.grid(version: version, state: state) == nil)
    }

    @Test func smallestIsTheSortedPrefix() {
        var seed: UInt64 = 42
        for size in [0, 1, 5, 100, 1_000, 5_000] {
            let values = (0..<size).map { _ -> UInt32 in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1
                return UInt32(truncatingIfNeeded: seed >> 40)
            }
            for count in [0, 1, 10, 100, 600, 6_000] {
                #expect(PointGrid.smallest(count, of: values) == Array(values.sorted().prefix(count)), "\(size) \(count)")
            }
        }
    }
}
