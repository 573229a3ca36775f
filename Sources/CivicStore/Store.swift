public import CivicData
public import CivicGeo
public import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The embedded SQLite store (GRDB): datasets in versions, their records as features with an R*Tree over the points
/// for bbox queries, and the validation reports as files beside it.
///
/// A dataset is served from its *live* version. A load writes a new version (state `loading`, invisible to
/// readers) in many small transactions, then one short transaction makes it live and retires the old one, whose
/// rows are deleted later, a chunk at a time. So a reader sees the old or the new version, never a mix; a failed
/// load leaves the live version as it was; and after `kill -9` at any moment, opening the store rolls back the
/// last open transaction (SQLite) and drops any version that was still loading: every dataset is at a complete
/// version. A file store uses a `DatabasePool` (WAL: readers never wait for the writer); `inMemory()` is for tests.
/// Sendable: GRDB serialises access.
public final class Store: Sendable {
    let writer: any DatabaseWriter
    /// Where the validation reports are written: `<store>-reports/` beside a file store, a temporary folder for
    /// one in memory (removed with the store).
    public let reportsDirectory: URL
    private let ownsReportsDirectory: Bool
    /// Decoded schemas by version key.
    private let schemas = Mutex<[Int64: Schema]>([:])
    /// Counts of matching records (a box, filters) by query and by the state of the versions counted (`count`):
    /// paging through a box recounted every feature in it for each page.
    private let counts = Mutex<[String: Int]>([:])
    /// Point indexes of versions read into memory, for boxes (`boxPage`).
    let grids = PointGrids()

    /// Opens (or creates) the store at `path`, and recovers it: versions left loading by a crash are dropped.
    public init(path: String) throws {
        do {
            var configuration = Configuration()
            // Another process (a `civic load` beside `civic serve`), or connections of a store being closed, may hold
            // a lock for a moment: wait for it rather than fail with "database is locked".
            configuration.busyMode = .timeout(Store.busyTimeout)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                if !db.configuration.readonly {
                    // The writer: loads insert into big B-trees and an R*Tree, whose pages must stay in memory (the
                    // default 2 MiB cache made every insert a read from disk); checkpoints in larger steps.
                    try db.execute(sql: "PRAGMA cache_size = -\(Store.writerCacheKiB)")
                    try db.execute(sql: "PRAGMA wal_autocheckpoint = 32768")
                }
            }
            writer = try DatabasePool(path: path, configuration: configuration)
            reportsDirectory = URL(fileURLWithPath: path + "-reports", isDirectory: true)
            ownsReportsDirectory = false
            try FileManager.default.createDirectory(at: reportsDirectory, withIntermediateDirectories: true)
            try Store.migrator.migrate(writer)
            try recover()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .open, message: "cannot open the store at \(path): \(error)", cause: error)
        }
    }

    private init(writer: any DatabaseWriter, reports: URL) throws {
        self.writer = writer
        reportsDirectory = reports
        ownsReportsDirectory = true
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        try Store.migrator.migrate(writer)
    }

    deinit {
        if ownsReportsDirectory { try? FileManager.default.removeItem(at: reportsDirectory) }
    }

    /// How long a connection waits for a lock another holds, in seconds.
    static let busyTimeout: TimeInterval = 10

    /// The writer connection's page cache.
    static let writerCacheKiB = 16 << 10

    /// A store in memory.
    public static func inMemory() throws -> Store {
        try Store(
            writer: DatabaseQueue(),
            reports: FileManager.default.temporaryDirectory.appendingPathComponent("civic-reports-\(UUID().uuidString)", isDirectory: true)
        )
    }

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        // v1/v2 (one copy of each dataset, replaced in place) are superseded by v3: the store is rebuilt from the
        // data folder on the next load.
        migrator.registerMigration("v1") { _ in }
        migrator.registerMigration("v2") { _ in }
        // v3: versions. A feature's key is its version's key × 2³² + its position (`seq`): a version's records are one
        // range of the table, in file order, without another index. Points are found by their Z-order code in
        // `point` (version, code, key), written in code order when a version's records are all in.
        migrator.registerMigration("v3") { db in
            for table in ["feature_rtree", "feature", "dataset"] { try db.execute(sql: "DROP TABLE IF EXISTS \(table)") }
            try db.execute(
                sql: """
                    CREATE TABLE dataset (
                        id TEXT PRIMARY KEY NOT NULL,
                        live_version INTEGER NOT NULL,
                        origin TEXT NOT NULL
                    );
                    CREATE TABLE version (
                        key INTEGER PRIMARY KEY,
                        dataset_id TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('loading', 'live', 'retired')),
                        title TEXT NOT NULL,
                        municipality_code TEXT,
                        municipality TEXT,
                        standard TEXT NOT NULL,
                        standard_title TEXT NOT NULL,
                        license TEXT,
                        license_note TEXT,
                        attribution TEXT,
                        source TEXT,
                        updated TEXT NOT NULL,
                        columns TEXT NOT NULL,
                        standard_column_count INTEGER NOT NULL,
                        numeric_columns TEXT NOT NULL,
                        schema TEXT NOT NULL,
                        record_count INTEGER NOT NULL DEFAULT 0,
                        feature_count INTEGER NOT NULL DEFAULT 0,
                        min_x REAL, min_y REAL, max_x REAL, max_y REAL,
                        valid INTEGER NOT NULL DEFAULT 0,
                        report_file TEXT NOT NULL,
                        file TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        origin TEXT NOT NULL,
                        loaded_at TEXT NOT NULL
                    );
                    CREATE INDEX version_by_state ON version(state);
                    CREATE TABLE feature (
                        key INTEGER PRIMARY KEY,
                        version INTEGER NOT NULL,
                        seq INTEGER NOT NULL,
                        feature_id TEXT NOT NULL,
                        line INTEGER NOT NULL,
                        lon REAL,
                        lat REAL,
                        vals TEXT NOT NULL
                    );
                    CREATE UNIQUE INDEX feature_by_id ON feature(version, feature_id);
                    CREATE TABLE point (
                        version INTEGER NOT NULL,
                        z INTEGER NOT NULL,
                        key INTEGER NOT NULL,
                        lon REAL NOT NULL,
                        lat REAL NOT NULL,
                        PRIMARY KEY (version, z, key)
                    ) WITHOUT ROWID;
                    """
            )
        }
        // v4: geometries other than points (GeoJSON lines, polygons …), as GeoJSON text keyed like their record, with
        // their envelopes in an R*Tree; points stay in `point` alone.
        migrator.registerMigration("v4") { db in
            try db.execute(
                sql: """
                    CREATE TABLE shape (
                        key INTEGER PRIMARY KEY,
                        geometry TEXT NOT NULL
                    );
                    CREATE VIRTUAL TABLE shape_box USING rtree(key, min_x, max_x, min_y, max_y);
                    """
            )
        }
        // v5: API tokens (hashed) and the log of writes (Store+Accounts).
        migrator.registerMigration("v5", migrate: Store.migrateAccounts)
        // v6: drafts, archived versions and releases (Store+Releases).
        migrator.registerMigration("v6", migrate: Store.migrateReleases)
        // v7: the record-level change log (Store+Changes).
        migrator.registerMigration("v7", migrate: Store.migrateChanges)
        // v8: a switch's created and updated records logged by reference to the version they are in (Store+Changes).
        migrator.registerMigration("v8", migrate: Store.migrateChangeReferences)
        // v9: a switch's created records logged as spans of the version's records, one row a run (Store+Changes).
        migrator.registerMigration("v9", migrate: Store.migrateChangeSpans)
        // A record's history: the log by record.
        migrator.registerMigration("v10", migrate: Store.migrateChangeHistory)
        // v11: the catalogue's change feed, deleted datasets kept as tombstones (Store+Catalog).
        migrator.registerMigration("v11", migrate: Store.migrateCatalogState)
        // v12: what each harvest source gave, for conditional requests and deletions after a grace period.
        migrator.registerMigration("v12", migrate: Store.migrateHarvest)
        // v13: each version's quality counts (from its report) and its declared update frequency, the record edits by
        // time, and usage counts by day, for the KPI (PortalKPI, Store+Catalog).
        migrator.registerMigration("v13", migrate: Store.migrateKPI)
        return migrator
    }()

    // MARK: Reading

    /// Every dataset's live version, by id: one consistent snapshot.
    public func datasets() throws -> [StoredDataset] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Store.datasetColumns) \(Store.liveJoin) ORDER BY d.id").map(dataset(from:))
        }
    }

    public func dataset(id: String) throws -> StoredDataset? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Store.datasetColumns) \(Store.liveJoin) WHERE d.id = ?", arguments: [id]).map(dataset(from:))
        }
    }

    /// One page of features, in file order (dataset id, then record order), optionally inside `bbox` (or `other`:
    /// the two halves of a box across the antimeridian; lon/lat) and with column values equal to `filters`
    /// (column index → value), sorted by `sortBy` (column index, nil for the dataset) then file order; without the
    /// records `hidden` names.
    public func features(
        in selector: CollectionSelector,
        bbox: StoredDataset.Envelope? = nil,
        alsoIn other: StoredDataset.Envelope? = nil,
        filters: [Int: String] = [:],
        hidden: HiddenRecords? = nil,
        sortBy: [(column: Int?, descending: Bool)] = [],
        limit: Int,
        offset: Int,
        valuesAsJSON: Bool = false
    ) throws -> FeaturePage {
        let json = valuesAsJSON
        let boxes = [bbox, other].compactMap { $0 }
        // In file order without a box or a filter, an offset is a position in the versions' records (seq runs
        // 0..<record_count in each): read from there by the index, however deep the page (no OFFSET scan).
        let hidden = hidden.flatMap { $0.versions.isEmpty ? nil : $0 }
        if boxes.isEmpty && filters.isEmpty && sortBy.isEmpty && hidden == nil {
            return try read { db in try Store.filePage(selector, limit: limit, offset: offset, json: json, db) }
        }
        guard !selector.members.isEmpty else { return FeaturePage(features: [], numberMatched: 0) }
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        // With a box: for each version, the Z-order ranges that cover it, one index range scan each (`r`).
        var prefix = ""
        var from = "feature f"
        if boxes.isEmpty {
            conditions.append("f.version IN (\(Array(repeating: "?", count: selector.members.count).joined(separator: ", ")))")
            arguments += selector.members.map(\.version)
        } else if try read({ db in try Store.hasShapes(selector, db) }) {
            // Lines and polygons: the records whose point or shape meets a box, then filtered, sorted and paged by key.
            let keys = try matchingKeys(selector, boxes: boxes)
            guard !keys.isEmpty else { return FeaturePage(features: [], numberMatched: 0) }
            conditions.append("f.key IN (SELECT value FROM json_each(?))")
            arguments.append("[" + keys.map(String.init).joined(separator: ",") + "]")
        } else {
            let ranges = Store.zRanges(boxes)
            guard !ranges.isEmpty else { return FeaturePage(features: [], numberMatched: 0) }
            var rows: [String] = []
            for member in selector.members {
                for range in ranges {
                    rows.append("(?, ?, ?)")
                    arguments += [member.version, range.lowerBound, range.upperBound]
                }
            }
            prefix = "WITH r(v, lo, hi) AS (VALUES \(rows.joined(separator: ", "))) "
            from = "r JOIN point p ON p.version = r.v AND p.z BETWEEN r.lo AND r.hi JOIN feature f ON f.key = p.key"
            // The cells are coarser than the coordinates: check the exact ones (kept with the index entry).
            let exact = "(p.lon >= ? AND p.lon <= ? AND p.lat >= ? AND p.lat <= ?)"
            conditions.append("(" + Array(repeating: exact, count: boxes.count).joined(separator: " OR ") + ")")
            for box in boxes { arguments += [box.minX, box.maxX, box.minY, box.maxY] }
            // Only a box: count and page on the index alone, then read the page's records by key.
            if filters.isEmpty && sortBy.isEmpty && hidden == nil {
                return try boxPage(
                    selector,
                    boxes: boxes,
                    prefix: prefix,
                    where: conditions.joined(separator: " AND "),
                    arguments,
                    limit: limit,
                    offset: offset,
                    json: json
                )
            }
        }
        for (column, value) in filters.sorted(by: { $0.key < $1.key }) {
            conditions.append("json_extract(f.vals, '$[\(column)]') = ?")
            arguments.append(value)
        }
        if let hidden {
            let versions = Array(repeating: "?", count: hidden.versions.count).joined(separator: ", ")
            conditions.append("NOT (f.version IN (\(versions)) AND json_extract(f.vals, '$[\(hidden.column)]') IS ?)")
            arguments += hidden.versions + [hidden.value]
        }
        let whereClause = conditions.joined(separator: " AND ")
        // Members in dataset id order: the version keys in that order give "dataset" sorting; keys give file order.
        let rank = Store.rank(selector, column: "f.version")
        let order =
            sortBy.map { key in (key.column.map { "json_extract(f.vals, '$[\($0)]')" } ?? rank) + (key.descending ? " DESC" : " ASC") }
            + [rank, "f.key"]
        let versions = selector.datasetsByVersion
        return try read { db in
            // Without a box or a filter the count is the versions' record counts: no COUNT(*) over a million rows.
            let total: Int
            if boxes.isEmpty && filters.isEmpty && hidden == nil {
                total = selector.members.reduce(0) { $0 + $1.recordCount }
            } else {
                total = try count("\(prefix)SELECT COUNT(*) FROM \(from) WHERE \(whereClause)", arguments, of: selector, db)
            }
            let statement = try db.makeStatement(
                sql:
                    "\(prefix)SELECT f.version, f.feature_id, f.line, f.lon, f.lat, f.vals, \(Store.shapeColumn("f")), f.key FROM \(from) WHERE \(whereClause) ORDER BY \(order.joined(separator: ", ")) LIMIT ? OFFSET ?"
            )
            var features: [StoredFeature] = []
            try Store.readFeatures(statement, StatementArguments(arguments + [limit, offset]), versions: versions, json: json) {
                features.append($0)
            }
            return FeaturePage(features: features, numberMatched: total)
        }
    }

    /// True when a version of the selection has shapes (GeoJSON lines, polygons …): one index probe per version.
    static func hasShapes(_ selector: CollectionSelector, _ db: Database) throws -> Bool {
        for member in selector.members {
            let found = try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM shape WHERE key BETWEEN ? AND ?)",
                arguments: [featureKey(version: member.version, seq: 0), featureKey(version: member.version, seq: Int(UInt32.max))]
            )
            if found == true { return true }
        }
        return false
    }

    /// The keys of the selection's records that meet one of the boxes: points by the Z-order index, shapes by their
    /// envelope in the R*Tree, then exactly (GEOS intersects), in key order.
    func matchingKeys(_ selector: CollectionSelector, boxes: [StoredDataset.Envelope]) throws -> [Int64] {
        let context = try GEOSContext()
        let boxGeometries = try boxes.map { box in
            try Geometry(
                wkt:
                    "POLYGON ((\(box.minX) \(box.minY), \(box.maxX) \(box.minY), \(box.maxX) \(box.maxY), \(box.minX) \(box.maxY), \(box.minX) \(box.minY)))",
                context: context
            )
        }
        let ranges = Store.zRanges(boxes)
        let candidates = try read { db -> [(key: Int64, geometry: String?)] in
            var found: [(key: Int64, geometry: String?)] = []
            for member in selector.members {
                let first = Store.featureKey(version: member.version, seq: 0)
                let last = Store.featureKey(version: member.version, seq: Int(UInt32.max))
                for box in boxes {
                    let rows = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT b.key, s.geometry FROM shape_box b JOIN shape s ON s.key = b.key
                            WHERE b.max_x >= ? AND b.min_x <= ? AND b.max_y >= ? AND b.min_y <= ? AND b.key BETWEEN ? AND ?
                            """,
                        arguments: [box.minX, box.maxX, box.minY, box.maxY, first, last]
                    )
                    found += rows.map { (key: $0[0] as Int64, geometry: $0[1] as String?) }
                }
                // Points: the same Z-order ranges and exact test as a point dataset's.
                let exact = Array(repeating: "(lon >= ? AND lon <= ? AND lat >= ? AND lat <= ?)", count: boxes.count).joined(separator: " OR ")
                for range in ranges {
                    var arguments: [any DatabaseValueConvertible] = [member.version, range.lowerBound, range.upperBound]
                    for box in boxes { arguments += [box.minX, box.maxX, box.minY, box.maxY] }
                    let keys = try Int64.fetchAll(
                        db,
                        sql: "SELECT key FROM point WHERE version = ? AND z BETWEEN ? AND ? AND (\(exact))",
                        arguments: StatementArguments(arguments)
                    )
                    found += keys.map { (key: $0, geometry: nil) }
                }
            }
            return found
        }
        var keys = Set<Int64>()
        for candidate in candidates where !keys.contains(candidate.key) {
            guard let geometry = candidate.geometry else {
                keys.insert(candidate.key)
                continue
            }
            let shape = try Geometry(geoJSON: geometry, context: context)
            if boxGeometries.contains(where: { $0.intersects(shape) }) { keys.insert(candidate.key) }
        }
        return keys.sorted()
    }

    /// A page of the features in a box, in file order: counted and paged on the point index (which holds the exact
    /// coordinates), then only the page's records are read.
    private func boxPage(
        _ selector: CollectionSelector,
        boxes: [StoredDataset.Envelope],
        prefix: String,
        where condition: String,
        _ arguments: [any DatabaseValueConvertible],
        limit: Int,
        offset: Int,
        json: Bool
    ) throws -> FeaturePage {
        let from = "r JOIN point p ON p.version = r.v AND p.z BETWEEN r.lo AND r.hi"
        let rank = Store.rank(selector, column: "p.version")
        let versions = selector.datasetsByVersion
        return try read { db in
            if let page = try gridPage(selector, boxes: boxes, limit: limit, offset: offset, json: json, db) { return page }
            let total = try count("\(prefix)SELECT COUNT(*) FROM \(from) WHERE \(condition)", arguments, of: selector, db)
            let keys = try Int64.fetchAll(
                db,
                sql: "\(prefix)SELECT p.key FROM \(from) WHERE \(condition) ORDER BY \(rank), p.key LIMIT ? OFFSET ?",
                arguments: StatementArguments(arguments + [limit, offset])
            )
            return FeaturePage(features: try Store.features(keys: keys, versions: versions, json: json, db), numberMatched: total)
        }
    }

    /// A page of the features in the boxes from the members' point grids, or nil when one of them has no grid at
    /// this snapshot's state (then one is read — at once when it is small, else in the background — and SQL answers
    /// meanwhile). The same features, count and order as the SQL query: the grids hold the same index entries.
    /// The point grids of the selection's versions, one per member; nil when one is not in memory yet (it is read in
    /// the background, or at once when small) or would not fit the budget: readers use SQL meanwhile.
    func pointGrids(_ selector: CollectionSelector, _ db: Database) throws -> [PointGrid]? {
        let limits = grids.limits
        guard limits.budget > 0 else { return nil }
        var found: [PointGrid] = []
        for member in selector.members {
            let state = try Store.versionState(of: member, db)
            if let grid = grids.grid(version: member.version, state: state) {
                found.append(grid)
                continue
            }
            let points = try Int.fetchOne(db, sql: "SELECT feature_count FROM version WHERE key = ?", arguments: [member.version]) ?? 0
            guard points <= limits.budget else { return nil }
            if points <= limits.readAtOnce {
                let grid = try PointGrid.read(version: member.version, state: state, expected: points, db)
                grids.store(grid, version: member.version)
                found.append(grid)
            } else {
                grids.build(version: member.version) { [writer] in
                    try writer.read { db in
                        try PointGrid.read(version: member.version, state: try Store.versionState(of: member, db), expected: points, db)
                    }
                }
            }
        }
        return found.count == selector.members.count ? found : nil
    }

    private func gridPage(
        _ selector: CollectionSelector,
        boxes: [StoredDataset.Envelope],
        limit: Int,
        offset: Int,
        json: Bool,
        _ db: Database
    ) throws -> FeaturePage? {
        guard let found = try pointGrids(selector, db) else { return nil }
        let ranges = Store.zRanges(boxes)
        var total = 0
        var keys: [Int64] = []
        var skip = offset
        for (member, grid) in zip(selector.members, found) {
            let positions = grid.positions(in: ranges, boxes: boxes)
            total += positions.count
            guard keys.count < limit else { continue }
            if skip >= positions.count {
                skip -= positions.count
                continue
            }
            let page = PointGrid.smallest(skip + limit - keys.count, of: positions).dropFirst(skip)
            keys += page.map { Store.featureKey(version: member.version, seq: Int($0)) }
            skip = 0
        }
        return FeaturePage(features: try Store.features(keys: keys, versions: selector.datasetsByVersion, json: json, db), numberMatched: total)
    }

    /// The records of `keys`, in that order (a page of a box, its keys found on the index or a grid).
    static func features(keys: [Int64], versions: [Int64: String], json: Bool, _ db: Database) throws -> [StoredFeature] {
        guard !keys.isEmpty else { return [] }
        let statement = try db.makeStatement(
            sql:
                "SELECT version, feature_id, line, lon, lat, vals, \(shapeColumn("feature")), key FROM feature WHERE key IN (\(Array(repeating: "?", count: keys.count).joined(separator: ", ")))"
        )
        var byKey: [Int64: StoredFeature] = [:]
        try readFeatures(statement, StatementArguments(keys), versions: versions, json: json) { byKey[$0.key] = $0 }
        return keys.compactMap { byKey[$0] }
    }

    /// The state a member's version is read at (`VersionState`): its dataset's last logged change (live or draft; 0 for
    /// none) and the version's `loaded_at` (when it was made, or last edited).
    static func versionState(of member: CollectionSelector.Member, _ db: Database) throws -> VersionState {
        let statement = try db.cachedStatement(
            sql: """
                SELECT MAX(COALESCE((SELECT MAX(seq) FROM change WHERE dataset_id = ?1 AND live = 0), 0),
                           COALESCE((SELECT MAX(seq) FROM change WHERE dataset_id = ?1 AND live = 1), 0)),
                       (SELECT loaded_at FROM version WHERE key = ?2)
                """
        )
        let row = try Row.fetchOne(statement, arguments: [member.datasetID, member.version])
        return VersionState(change: row?[0] ?? 0, madeAt: row?[1] ?? "")
    }

    /// The position of a row's version among the selector's members (dataset id order), as SQL on `column`: sorting by
    /// it, then by key, is file order across datasets.
    static func rank(_ selector: CollectionSelector, column: String) -> String {
        "CASE \(column) " + selector.members.enumerated().map { "WHEN \($0.element.version) THEN \($0.offset)" }.joined(separator: " ") + " END"
    }

    /// The Z-order ranges covering one or two boxes (two: a box across the antimeridian), merged so that no code is
    /// in two ranges (a feature is found once).
    static func zRanges(_ boxes: [StoredDataset.Envelope]) -> [ClosedRange<Int64>] {
        let all = boxes.flatMap { ZOrder.ranges(minX: $0.minX, minY: $0.minY, maxX: $0.maxX, maxY: $0.maxY) }.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<Int64>] = []
        for range in all {
            if let last = merged.last, range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// The key of a version's record at a position: the version's records are one range of keys, in file order.
    static func featureKey(version: Int64, seq: Int) -> Int64 { version << 32 | Int64(seq) }

    /// A page in file order: the members in order, each from position 0, found by key. A version whose records were
    /// deleted one by one (edits) has gaps in its positions: it is paged by OFFSET within its keys instead. The counts
    /// are read in the same snapshot as the records, so a page is consistent even when an edit has just committed.
    static func filePage(_ selector: CollectionSelector, limit: Int, offset: Int, json: Bool = false, _ db: Database) throws -> FeaturePage {
        var features: [StoredFeature] = []
        // With the shape looked up for each record, or (a version without shapes, seen in this snapshot) not.
        func statements(shapes: Bool) throws -> (Statement, Statement) {
            let geometry = shapes ? shapeColumn("feature") : "NULL AS geometry"
            return (
                try db.cachedStatement(
                    sql:
                        "SELECT version, feature_id, line, lon, lat, vals, \(geometry), key FROM feature WHERE key >= ? AND key <= ? ORDER BY key LIMIT ?"
                ),
                try db.cachedStatement(
                    sql:
                        "SELECT version, feature_id, line, lon, lat, vals, \(geometry), key FROM feature WHERE key >= ? AND key <= ? ORDER BY key LIMIT ? OFFSET ?"
                )
            )
        }
        // The version's count, its last record's key and whether it has shapes, in one lookup.
        let counting = try db.cachedStatement(
            sql: """
                SELECT record_count, (SELECT MAX(key) FROM feature WHERE key BETWEEN ?1 AND ?2),
                    EXISTS (SELECT 1 FROM shape WHERE key BETWEEN ?1 AND ?2) FROM version WHERE key = ?3
                """
        )
        // Every member's state first (the count is of them all), then the page's records, member by member.
        let states = try selector.members.map { member -> (count: Int, gapless: Bool, shapes: Bool) in
            let first = featureKey(version: member.version, seq: 0)
            let last = featureKey(version: member.version, seq: Int(UInt32.max))
            guard let state = try Row.fetchOne(counting, arguments: [first, last, member.version]) else {
                // Replaced and collected under a reader of an old snapshot (a very long download): fail rather than
                // answer short.
                throw StoreError(
                    code: .versionGone,
                    message: "dataset \(member.datasetID) changed while it was being read (version \(member.version) is gone); ask again"
                )
            }
            let count: Int = state[0]
            let lastKey: Int64? = state[1]
            let gapless = CollectionSelector.Member.isGapless(lastPosition: lastKey.map { Int($0 & 0xFFFF_FFFF) }, recordCount: count)
            return (count, gapless, state[2])
        }
        for span in CollectionSelector.spans(counts: states.map(\.count), limit: limit, offset: offset) {
            let member = selector.members[span.member]
            let state = states[span.member]
            let first = featureKey(version: member.version, seq: 0)
            let last = featureKey(version: member.version, seq: Int(UInt32.max))
            let (statement, skipping) = try statements(shapes: state.shapes)
            try readFeatures(
                state.gapless ? statement : skipping,
                state.gapless ? [featureKey(version: member.version, seq: span.skip), last, span.count] : [first, last, span.count, span.skip],
                versions: [member.version: member.datasetID],
                json: json
            ) { features.append($0) }
        }
        return FeaturePage(features: features, numberMatched: states.reduce(0) { $0 + $1.count })
    }

    /// One feature by its id ("<dataset id>/<feature id>" in a merged collection).
    public func feature(in selector: CollectionSelector, id: String) throws -> StoredFeature? {
        let member: CollectionSelector.Member?
        var featureID = id
        if selector.isMerged {
            guard let slash = id.firstIndex(of: "/") else { return nil }
            let dataset = String(id[..<slash])
            featureID = String(id[id.index(after: slash)...])
            member = selector.members.first { $0.datasetID == dataset }
        } else {
            member = selector.members.first
        }
        guard let member else { return nil }
        return try read { db in
            var found: StoredFeature?
            try Store.readFeatures(
                try db.cachedStatement(
                    sql:
                        "SELECT version, feature_id, line, lon, lat, vals, \(Store.shapeColumn("feature")), key FROM feature WHERE version = ? AND feature_id = ?"
                ),
                [member.version, featureID],
                versions: [member.version: member.datasetID],
                json: false
            ) { found = $0 }
            return found
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .query, message: "\(error)", cause: error)
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .load, message: "\(error)", cause: error)
        }
    }

    /// The bytes of a dataset's validation report (its live version's), nil when there is no such dataset.
    public func report(id: String) throws -> [UInt8]? {
        guard let dataset = try dataset(id: id) else { return nil }
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: dataset.reportFile)))
        } catch {
            throw StoreError(code: .query, message: "the report of \(id) is missing (\(dataset.reportFile))", cause: error)
        }
    }

    /// `COUNT(*)` of a query over the selection's versions, from the cache when none of their records has changed
    /// since it was counted: each version's state (`versionState`, as the point grids are kept), read in this snapshot.
    func count(_ sql: String, _ arguments: [any DatabaseValueConvertible], of selector: CollectionSelector, _ db: Database) throws -> Int {
        let state = try selector.members.map { member -> String in
            let version = try Store.versionState(of: member, db)
            return "\(member.version):\(version.change):\(version.madeAt)"
        }.joined(separator: ",")
        let key = state + "\u{1}" + sql + "\u{1}" + arguments.map { "\($0.databaseValue)" }.joined(separator: "\u{1}")
        if let known = counts.withLock({ $0[key] }) { return known }
        let value = try Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0
        counts.withLock { cache in
            if cache.count >= 4096 { cache.removeAll() }
            cache[key] = value
        }
        return value
    }

    /// `PRAGMA integrity_check`: "ok" when the database file is sound.
    public func integrityCheck() throws -> String {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    // MARK: Rows

    static let liveJoin = "FROM dataset d JOIN version v ON v.key = d.live_version"

    /// The columns a dataset is read from: its row and its live version's.
    static let datasetColumns = """
        d.id, v.key, v.schema, d.origin, v.title, v.municipality_code, v.municipality, v.standard, v.standard_title, v.license,
        v.license_note, v.attribution, v.source, v.updated, v.columns, v.standard_column_count, v.numeric_columns, v.record_count,
        v.feature_count, v.min_x, v.min_y, v.max_x, v.max_y, v.valid, v.report_file, v.file, v.fingerprint, v.loaded_at, v.quality,
        v.update_frequency,
        EXISTS (SELECT 1 FROM shape WHERE shape.key BETWEEN v.key * 4294967296 AND v.key * 4294967296 + 4294967295) AS has_shapes,
        (SELECT MAX(number) FROM release r WHERE r.dataset_id = d.id AND r.state = 'live') AS live_release,
        (SELECT MAX(key) FROM feature WHERE feature.key BETWEEN v.key * 4294967296 AND v.key * 4294967296 + 4294967295) AS last_key
        """

    /// A version's schema, decoded once: versions never change, and the catalogue is read again at every commit.
    private func schema(of version: Int64, json: String) throws -> Schema {
        if let known = schemas.withLock({ $0[version] }) { return known }
        let schema = try Schema.decode(json: Data(json.utf8))
        schemas.withLock { cache in
            if cache.count > 4096 { cache.removeAll() }
            cache[version] = schema
        }
        return schema
    }

    func dataset(from row: Row) throws -> StoredDataset {
        let decoder = JSONDecoder()
        let minX: Double? = row["min_x"]
        let minY: Double? = row["min_y"]
        let maxX: Double? = row["max_x"]
        let maxY: Double? = row["max_y"]
        var extent: StoredDataset.Envelope?
        if let minX, let minY, let maxX, let maxY { extent = StoredDataset.Envelope(minX: minX, minY: minY, maxX: maxX, maxY: maxY) }
        return StoredDataset(
            id: row["id"],
            version: row["key"],
            schema: try schema(of: row["key"], json: row["schema"]),
            origin: row["origin"],
            title: row["title"],
            municipalityCode: row["municipality_code"],
            municipality: row["municipality"],
            standard: row["standard"],
            standardTitle: row["standard_title"],
            license: row["license"],
            licenseNote: row["license_note"],
            attribution: row["attribution"],
            source: row["source"],
            updated: row["updated"],
            columns: try decoder.decode([String].self, from: Data((row["columns"] as String).utf8)),
            standardColumnCount: row["standard_column_count"],
            numericColumns: try decoder.decode([Bool].self, from: Data((row["numeric_columns"] as String).utf8)),
            recordCount: row["record_count"],
            featureCount: row["feature_count"],
            extent: extent,
            valid: row["valid"],
            reportFile: row["report_file"],
            file: row["file"],
            fingerprint: row["fingerprint"],
            loadedAt: row["loaded_at"],
            hasShapes: row["has_shapes"],
            liveRelease: row["live_release"],
            quality: (row["quality"] as String?).flatMap { try? decoder.decode(VersionQuality.self, from: Data($0.utf8)) },
            updateFrequency: (row["update_frequency"] as String?).flatMap(UpdateFrequency.init(rawValue:)),
            lastPosition: (row["last_key"] as Int64?).map { Int($0 & 0xFFFF_FFFF) }
        )
    }

    /// Runs a query of features — the columns version, feature_id, line, lon, lat, vals, geometry and, optionally, key
    /// — and hands each to `body`, its `key` set when the column is there (0 without). Stepped and read through SQLite's own calls
    /// (GRDB's row cursor and typed subscripts were a third of reading a page); with `json` the values stay the
    /// stored JSON array (`valuesJSON`), copied from SQLite's buffer, undecoded.
    static func readFeatures(
        _ statement: Statement,
        _ arguments: StatementArguments,
        versions: [Int64: String],
        json: Bool,
        _ body: (StoredFeature) throws -> Void
    ) throws {
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        let hasKey = sqlite3_column_count(handle) > 7
        func text(_ column: Int32) -> String? {
            // The text first, then its length (SQLite's order: the length is of the text as converted).
            guard let bytes = sqlite3_column_text(handle, column) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
        }
        func real(_ column: Int32) -> Double? {
            sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(handle, column)
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw StoreError(code: .query, message: "reading features: \(String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))))")
            }
            var feature = StoredFeature(
                datasetID: versions[sqlite3_column_int64(handle, 0)] ?? "",
                featureID: text(1) ?? "",
                line: Int(sqlite3_column_int64(handle, 2)),
                longitude: real(3),
                latitude: real(4),
                values: [],
                geometry: text(6)
            )
            if json {
                let bytes = sqlite3_column_text(handle, 5)
                let count = Int(sqlite3_column_bytes(handle, 5))
                feature.valuesJSON = if let bytes, count > 0 { [UInt8](UnsafeBufferPointer(start: bytes, count: count)) } else { [] }
            } else {
                feature.values = try StoredValues.decode(text(5) ?? "[]")
            }
            if hasKey { feature.key = sqlite3_column_int64(handle, 7) }
            try body(feature)
        }
    }

    /// The record's shape (GeoJSON geometry text) as a column `geometry`, null for points and records without one.
    static func shapeColumn(_ table: String) -> String { shape(of: table) + " AS geometry" }

    /// The shape of the record `table` names (a row of `feature`), as an SQL expression.
    static func shape(of table: String) -> String { "(SELECT geometry FROM shape WHERE shape.key = \(table).key)" }
}
