public import CivicGeo
public import Foundation
import GRDB

/// The embedded SQLite store (GRDB): datasets with their reports, records as features, and an R*Tree over the
/// features' points for bbox queries. A file store uses a `DatabasePool` (WAL: readers never wait for the writer);
/// `inMemory()` is for tests. Sendable: GRDB serialises access.
public final class Store: Sendable {
    let writer: any DatabaseWriter
    /// Where the validation reports are written: `<store>-reports/` beside a file store, a temporary folder for
    /// one in memory.
    public let reportsDirectory: URL
    /// The temporary reports folder of a store in memory, removed with the store.
    private let temporaryReportsDirectory: URL?

    /// Opens (or creates) the store at `path`.
    public init(path: String) throws {
        do {
            var configuration = Configuration()
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            writer = try DatabasePool(path: path, configuration: configuration)
            reportsDirectory = URL(fileURLWithPath: path + "-reports", isDirectory: true)
            temporaryReportsDirectory = nil
            try FileManager.default.createDirectory(at: reportsDirectory, withIntermediateDirectories: true)
            try Store.migrator.migrate(writer)
        } catch {
            throw StoreError(code: .open, message: "cannot open the store at \(path): \(error)", cause: error)
        }
    }

    private init(writer: any DatabaseWriter, temporaryReports reports: URL) throws {
        self.writer = writer
        reportsDirectory = reports
        temporaryReportsDirectory = reports
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        try Store.migrator.migrate(writer)
    }

    deinit {
        if let temporaryReportsDirectory { try? FileManager.default.removeItem(at: temporaryReportsDirectory) }
    }

    /// A store in memory; its reports go to a temporary folder that is removed with the store.
    public static func inMemory() throws -> Store {
        try Store(
            writer: DatabaseQueue(),
            temporaryReports: FileManager.default.temporaryDirectory.appendingPathComponent("civic-reports-\(UUID().uuidString)", isDirectory: true)
        )
    }

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE dataset (
                        id TEXT PRIMARY KEY NOT NULL,
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
                        record_count INTEGER NOT NULL,
                        feature_count INTEGER NOT NULL,
                        min_x REAL, min_y REAL, max_x REAL, max_y REAL,
                        valid INTEGER NOT NULL,
                        report TEXT NOT NULL,
                        file TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        loaded_at TEXT NOT NULL
                    );
                    CREATE TABLE feature (
                        key INTEGER PRIMARY KEY,
                        dataset_id TEXT NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
                        seq INTEGER NOT NULL,
                        feature_id TEXT NOT NULL,
                        line INTEGER NOT NULL,
                        lon REAL,
                        lat REAL,
                        vals TEXT NOT NULL
                    );
                    CREATE UNIQUE INDEX feature_by_id ON feature(dataset_id, feature_id);
                    CREATE INDEX feature_by_seq ON feature(dataset_id, seq);
                    CREATE VIRTUAL TABLE feature_rtree USING rtree(key, min_x, max_x, min_y, max_y);
                    """
            )
        }
        // v2: reports live in files (report_file); the report column is left empty.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE dataset ADD COLUMN report_file TEXT NOT NULL DEFAULT ''")
        }
        return migrator
    }()

    // MARK: Reading

    /// Every dataset, by id.
    public func datasets() throws -> [StoredDataset] {
        try read { db in try Row.fetchAll(db, sql: "SELECT \(Store.datasetColumns) FROM dataset ORDER BY id").map(Store.dataset(from:)) }
    }

    public func dataset(id: String) throws -> StoredDataset? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Store.datasetColumns) FROM dataset WHERE id = ?", arguments: [id]).map(Store.dataset(from:))
        }
    }

    /// One page of features, in file order (dataset id, then record order), optionally inside `bbox` (or `other`:
    /// the two halves of a box across the antimeridian; lon/lat) and with column values equal to `filters`
    /// (column index → value), sorted by `sortBy` (column index, nil for the dataset) then file order.
    public func features(
        in selector: CollectionSelector,
        bbox: StoredDataset.Envelope? = nil,
        alsoIn other: StoredDataset.Envelope? = nil,
        filters: [Int: String] = [:],
        sortBy: [(column: Int?, descending: Bool)] = [],
        limit: Int,
        offset: Int
    ) throws -> FeaturePage {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        // With a box, `+f.dataset_id` keeps SQLite from walking the dataset's whole index: it starts from the R*Tree.
        let datasetColumn = bbox == nil ? "f.dataset_id" : "+f.dataset_id"
        switch selector {
        case .dataset(let id):
            conditions.append("\(datasetColumn) = ?")
            arguments.append(id)
        case .standard(let standard, let municipality):
            conditions.append(
                "\(datasetColumn) IN (SELECT id FROM dataset WHERE standard = ?\(municipality == nil ? "" : " AND municipality_code = ?"))"
            )
            arguments.append(standard)
            if let municipality { arguments.append(municipality) }
        }
        // One box, or two (a bbox across the antimeridian is split in two).
        let boxes = [bbox, other].compactMap { $0 }
        if !boxes.isEmpty {
            let test = "(min_x <= ? AND max_x >= ? AND min_y <= ? AND max_y >= ?)"
            conditions.append(
                "f.key IN (SELECT key FROM feature_rtree WHERE \(Array(repeating: test, count: boxes.count).joined(separator: " OR ")))"
            )
            for box in boxes { arguments += [box.maxX, box.minX, box.maxY, box.minY] }
            // The R*Tree holds 32-bit floats: re-check the exact coordinates so a point just outside is not matched.
            let exact = "(f.lon >= ? AND f.lon <= ? AND f.lat >= ? AND f.lat <= ?)"
            conditions.append("(" + Array(repeating: exact, count: boxes.count).joined(separator: " OR ") + ")")
            for box in boxes { arguments += [box.minX, box.maxX, box.minY, box.maxY] }
        }
        for (column, value) in filters.sorted(by: { $0.key < $1.key }) {
            conditions.append("json_extract(f.vals, '$[\(column)]') = ?")
            arguments.append(value)
        }
        let whereClause = conditions.joined(separator: " AND ")
        // Sort keys (a nil column is the dataset id), then file order, so paging stays stable.
        let order =
            sortBy.map { key in (key.column.map { "json_extract(f.vals, '$[\($0)]')" } ?? "f.dataset_id") + (key.descending ? " DESC" : " ASC") }
            + ["f.dataset_id", "f.seq"]
        return try read { db in
            // In file order without a box or a filter, an offset is a position in the datasets' records (seq runs
            // 0..<record_count in each): read from there by the index, however deep the page (no OFFSET scan).
            if boxes.isEmpty && filters.isEmpty && sortBy.isEmpty {
                return try Store.filePage(selector, limit: limit, offset: offset, db)
            }
            // Without a box or a filter the count is the datasets' record counts: no COUNT(*) over a million rows.
            let total: Int
            if boxes.isEmpty && filters.isEmpty {
                total = try Store.recordCounts(selector, db).reduce(0) { $0 + $1.count }
            } else {
                total =
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM feature f WHERE \(whereClause)", arguments: StatementArguments(arguments)) ?? 0
            }
            let rows = try Row.fetchAll(
                db,
                sql:
                    "SELECT dataset_id, feature_id, line, lon, lat, vals FROM feature f WHERE \(whereClause) ORDER BY \(order.joined(separator: ", ")) LIMIT ? OFFSET ?",
                arguments: StatementArguments(arguments + [limit, offset])
            )
            return FeaturePage(features: try rows.map(Store.feature(from:)), numberMatched: total)
        }
    }

    /// A page in file order: the datasets of `selector` by id, each from `seq` 0, found by position.
    static func filePage(_ selector: CollectionSelector, limit: Int, offset: Int, _ db: Database) throws -> FeaturePage {
        let counts = try recordCounts(selector, db)
        let total = counts.reduce(0) { $0 + $1.count }
        var features: [StoredFeature] = []
        var skip = offset
        let statement = try db.cachedStatement(
            sql: "SELECT dataset_id, feature_id, line, lon, lat, vals FROM feature WHERE dataset_id = ? AND seq >= ? ORDER BY seq LIMIT ?"
        )
        for (id, count) in counts where features.count < limit {
            if skip >= count {
                skip -= count
                continue
            }
            let rows = try Row.fetchCursor(statement, arguments: [id, skip, min(limit - features.count, count - skip)])
            while let row = try rows.next() { features.append(try feature(from: row)) }
            skip = 0
        }
        return FeaturePage(features: features, numberMatched: total)
    }

    /// The datasets a selector reads, by id, with their record counts.
    static func recordCounts(_ selector: CollectionSelector, _ db: Database) throws -> [(id: String, count: Int)] {
        let rows: [Row]
        switch selector {
        case .dataset(let id):
            rows = try Row.fetchAll(db, sql: "SELECT id, record_count FROM dataset WHERE id = ?", arguments: [id])
        case .standard(let standard, let municipality):
            let condition = municipality == nil ? "" : " AND municipality_code = ?"
            let values: [any DatabaseValueConvertible] = [standard] + (municipality.map { [$0] } ?? [])
            rows = try Row.fetchAll(
                db,
                sql: "SELECT id, record_count FROM dataset WHERE standard = ?\(condition) ORDER BY id",
                arguments: StatementArguments(values)
            )
        }
        return rows.map { ($0[0], $0[1]) }
    }

    /// One feature by its id.
    public func feature(in selector: CollectionSelector, id: String) throws -> StoredFeature? {
        try read { db in
            let row: Row?
            switch selector {
            case .dataset(let dataset):
                row = try Row.fetchOne(
                    db,
                    sql: "SELECT dataset_id, feature_id, line, lon, lat, vals FROM feature WHERE dataset_id = ? AND feature_id = ?",
                    arguments: [dataset, id]
                )
            case .standard:
                // In a merged collection a feature id is "<dataset id>/<feature id>".
                guard let slash = id.firstIndex(of: "/") else { return nil }
                row = try Row.fetchOne(
                    db,
                    sql: "SELECT dataset_id, feature_id, line, lon, lat, vals FROM feature WHERE dataset_id = ? AND feature_id = ?",
                    arguments: [String(id[..<slash]), String(id[id.index(after: slash)...])]
                )
            }
            return try row.map(Store.feature(from:))
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

    /// The bytes of a dataset's validation report, nil when there is no such dataset.
    public func report(id: String) throws -> [UInt8]? {
        guard let dataset = try dataset(id: id) else { return nil }
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: dataset.reportFile)))
        } catch {
            throw StoreError(code: .query, message: "the report of \(id) is missing (\(dataset.reportFile)): reload the store", cause: error)
        }
    }

    // MARK: Rows

    /// The dataset columns read (not the legacy `report` column).
    static let datasetColumns = """
        id, title, municipality_code, municipality, standard, standard_title, license, license_note, attribution, source,
        updated, columns, standard_column_count, numeric_columns, record_count, feature_count, min_x, min_y, max_x, max_y,
        valid, report_file, file, fingerprint, loaded_at
        """

    static func dataset(from row: Row) throws -> StoredDataset {
        let decoder = JSONDecoder()
        let minX: Double? = row["min_x"]
        let minY: Double? = row["min_y"]
        let maxX: Double? = row["max_x"]
        let maxY: Double? = row["max_y"]
        var extent: StoredDataset.Envelope?
        if let minX, let minY, let maxX, let maxY { extent = StoredDataset.Envelope(minX: minX, minY: minY, maxX: maxX, maxY: maxY) }
        return StoredDataset(
            id: row["id"],
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
            loadedAt: row["loaded_at"]
        )
    }

    static func feature(from row: Row) throws -> StoredFeature {
        let values = try StoredValues.decode(row["vals"] as String)
        return StoredFeature(
            datasetID: row["dataset_id"],
            featureID: row["feature_id"],
            line: row["line"],
            longitude: row["lon"],
            latitude: row["lat"],
            values: values
        )
    }
}
