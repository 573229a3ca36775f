public import Foundation
import GRDB

/// What a harvest source last gave for one of its files: where it is, how the source named that state of it (ETag,
/// Last-Modified) for the next conditional request, a digest of its bytes (for sources that answer no conditional
/// request), the local dataset it feeds, and since when the source no longer lists it (deleted after a grace period).
public struct HarvestItem: Sendable, Equatable, Codable {
    /// The harvest source's name.
    public var source: String
    /// The file's identity at the source (a CKAN resource, a DCAT distribution, a URL of a list).
    public var remoteID: String
    /// The local dataset it feeds.
    public var datasetID: String
    public var url: String
    public var etag: String?
    public var lastModified: String?
    /// SHA-256 (hex) of the bytes last ingested.
    public var sha256: String?
    /// When the source first and last listed it (ISO 8601).
    public var firstSeen: String
    public var lastSeen: String
    /// When the source first stopped listing it; nil while it is listed.
    public var missingSince: String?
    /// A digest of the catalogue's description of it (title, licence, publisher, page) when last harvested: a file
    /// that did not change needs its dataset's metadata compared only when this did.
    public var metadata: String?

    public init(
        source: String,
        remoteID: String,
        datasetID: String,
        url: String,
        etag: String? = nil,
        lastModified: String? = nil,
        sha256: String? = nil,
        firstSeen: String,
        lastSeen: String,
        missingSince: String? = nil,
        metadata: String? = nil
    ) {
        self.source = source
        self.remoteID = remoteID
        self.datasetID = datasetID
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.sha256 = sha256
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.missingSince = missingSince
        self.metadata = metadata
    }
}

/// One harvest of a source: when, and its report (JSON, as `civic harvest --json` prints it).
public struct HarvestRunRecord: Sendable, Equatable {
    public var id: Int64
    public var source: String
    public var started: String
    public var finished: String
    public var report: String
}

/// What the harvester keeps between runs. The SQLite `Store` implements it (migration v12).
public protocol HarvestStateStore: Sendable {
    /// A source's items, by remote ID.
    func harvestItems(source: String) throws -> [String: HarvestItem]
    /// Keeps `items` (replacing those with their source and remote IDs), in one transaction.
    func saveHarvestItems(_ items: [HarvestItem]) throws
    /// Forgets an item (its dataset was removed after the grace period).
    func forgetHarvestItem(source: String, remoteID: String) throws
    /// Keeps a run's report; returns its id.
    @discardableResult
    func recordHarvestRun(source: String, started: Date, finished: Date, report: String) throws -> Int64
    /// The latest runs (of one source, or of all), newest first.
    func harvestRuns(source: String?, limit: Int) throws -> [HarvestRunRecord]
}

extension Store: HarvestStateStore {
    static func migrateHarvest(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE harvest_item (
                    source TEXT NOT NULL,
                    remote_id TEXT NOT NULL,
                    dataset_id TEXT NOT NULL,
                    url TEXT NOT NULL,
                    etag TEXT,
                    last_modified TEXT,
                    sha256 TEXT,
                    first_seen TEXT NOT NULL,
                    last_seen TEXT NOT NULL,
                    missing_since TEXT,
                    metadata TEXT,
                    PRIMARY KEY (source, remote_id)
                );
                CREATE TABLE harvest_run (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    started TEXT NOT NULL,
                    finished TEXT NOT NULL,
                    report TEXT NOT NULL
                );
                CREATE INDEX harvest_run_by_source ON harvest_run(source, id);
                """
        )
    }

    public func harvestItems(source: String) throws -> [String: HarvestItem] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT remote_id, dataset_id, url, etag, last_modified, sha256, first_seen, last_seen, missing_since, metadata
                    FROM harvest_item WHERE source = ?
                    """,
                arguments: [source]
            )
            var items: [String: HarvestItem] = [:]
            for row in rows {
                let item = HarvestItem(
                    source: source,
                    remoteID: row[0],
                    datasetID: row[1],
                    url: row[2],
                    etag: row[3],
                    lastModified: row[4],
                    sha256: row[5],
                    firstSeen: row[6],
                    lastSeen: row[7],
                    missingSince: row[8],
                    metadata: row[9]
                )
                items[item.remoteID] = item
            }
            return items
        }
    }

    public func saveHarvestItems(_ items: [HarvestItem]) throws {
        guard !items.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO harvest_item
                        (source, remote_id, dataset_id, url, etag, last_modified, sha256, first_seen, last_seen, missing_since, metadata)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for item in items {
                try statement.execute(arguments: [
                    item.source, item.remoteID, item.datasetID, item.url, item.etag, item.lastModified, item.sha256, item.firstSeen,
                    item.lastSeen, item.missingSince, item.metadata,
                ])
            }
        }
    }

    public func forgetHarvestItem(source: String, remoteID: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM harvest_item WHERE source = ? AND remote_id = ?", arguments: [source, remoteID])
        }
    }

    @discardableResult
    public func recordHarvestRun(source: String, started: Date, finished: Date, report: String) throws -> Int64 {
        try write { db in
            try db.execute(
                sql: "INSERT INTO harvest_run (source, started, finished, report) VALUES (?, ?, ?, ?)",
                arguments: [source, Store.timestamp(started), Store.timestamp(finished), report]
            )
            return db.lastInsertedRowID
        }
    }

    public func harvestRuns(source: String?, limit: Int) throws -> [HarvestRunRecord] {
        try read { db in
            let rows =
                if let source {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT id, source, started, finished, report FROM harvest_run WHERE source = ? ORDER BY id DESC LIMIT ?",
                        arguments: [source, limit]
                    )
                } else {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT id, source, started, finished, report FROM harvest_run ORDER BY id DESC LIMIT ?",
                        arguments: [limit]
                    )
                }
            return rows.map { HarvestRunRecord(id: $0[0], source: $0[1], started: $0[2], finished: $0[3], report: $0[4]) }
        }
    }
}
