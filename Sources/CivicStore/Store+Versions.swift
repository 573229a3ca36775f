public import CivicData
public import Foundation
import GRDB

extension Store {
    /// Starts a new version of a dataset: a sink for the pipeline's records, invisible to readers until
    /// `VersionWriter.commit`. The report file is for the pipeline's `JSONReportWriter`; it belongs to the version.
    public func beginVersion(_ metadata: VersionMetadata) throws -> VersionWriter {
        let reportURL = reportsDirectory.appendingPathComponent(Store.reportFileName(metadata.datasetID) + "-\(UUID().uuidString).report.json")
        return try VersionWriter(store: self, metadata: metadata, reportURL: reportURL)
    }

    /// Writes a new version with `body` (which runs the pipeline into it and commits it, live or as a draft): when
    /// `body` throws, the version is given up and its report file removed — the live version stays as it was.
    public func writeVersion<T>(_ metadata: VersionMetadata, _ body: (VersionWriter) throws -> T) throws -> T {
        let version = try beginVersion(metadata)
        do {
            return try body(version)
        } catch {
            version.abandon()
            try? FileManager.default.removeItem(at: version.reportURL)
            throw error
        }
    }

    /// The fingerprint of the dataset's file as the data folder last loaded it (what decides a reload): its newest
    /// release made from the folder — so that a release published through the API is not undone by the unchanged
    /// file — else its live version's. Nil when there is neither.
    public func fingerprint(of id: String) throws -> String? {
        try read { db in
            try String.fetchOne(
                db,
                sql: "SELECT fingerprint FROM release WHERE dataset_id = ? AND fingerprint IS NOT NULL ORDER BY number DESC LIMIT 1",
                arguments: [id]
            ) ?? String.fetchOne(db, sql: "SELECT v.fingerprint \(Store.liveJoin) WHERE d.id = ?", arguments: [id])
        }
    }

    /// How many replaced releases of each dataset keep their records (for rollback) through garbage collection.
    public static let keptReleases = 3

    /// Every dataset's id and origin (its folder relative to the data folder).
    public func origins() throws -> [(id: String, origin: String)] {
        try read { db in try Row.fetchAll(db, sql: "SELECT id, origin FROM dataset ORDER BY id").map { ($0[0], $0[1]) } }
    }

    /// Removes a dataset from the catalogue (its live version is retired: its rows go with the next garbage
    /// collection). Returns false when there was no such dataset.
    @discardableResult
    public func remove(_ id: String) throws -> Bool {
        try write { db in
            guard try Int64.fetchOne(db, sql: "SELECT live_version FROM dataset WHERE id = ?", arguments: [id]) != nil else { return false }
            try Store.retireLive(id, db)
            try db.execute(sql: "DELETE FROM dataset WHERE id = ?", arguments: [id])
            return true
        }
    }

    /// The dataset's live version leaves: retired (its rows deleted by the next garbage collection), or archived when
    /// a release is made of it (kept for rollback); its live release is superseded. Inside the caller's transaction.
    static func retireLive(_ dataset: String, _ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE version SET state = CASE WHEN EXISTS (SELECT 1 FROM release r WHERE r.version = version.key) THEN 'archived' ELSE 'retired' END
                WHERE key = (SELECT live_version FROM dataset WHERE id = ?)
                """,
            arguments: [dataset]
        )
        try db.execute(sql: "UPDATE release SET state = 'superseded' WHERE dataset_id = ? AND state = 'live'", arguments: [dataset])
    }

    /// Deletes the rows and report files of retired versions (replaced beyond the releases kept, removed, or left by a
    /// load that failed or died), a chunk per transaction so that other writes interleave. Returns how many versions
    /// were deleted.
    @discardableResult
    public func collectGarbage(chunk: Int = 20_000, keepingReleases keep: Int = Store.keptReleases) throws -> Int {
        // The records of all but the newest `keep` replaced versions of each dataset go (their releases stay listed;
        // rolling back to one says its records are no longer kept), as do archived versions no release names. Record
        // edits make releases that share their version: versions are counted, not releases.
        try write { db in
            try db.execute(
                sql: """
                    UPDATE version SET state = 'retired' WHERE state = 'archived' AND key NOT IN (
                        SELECT version FROM release WHERE state IN ('live', 'draft')
                        UNION
                        SELECT version FROM (
                            SELECT version, ROW_NUMBER() OVER (PARTITION BY dataset_id ORDER BY MAX(number) DESC) AS newest
                            FROM release WHERE state = 'superseded' GROUP BY dataset_id, version
                        ) WHERE newest <= ?
                    )
                    """,
                arguments: [max(0, keep)]
            )
        }
        let dead = try read { db in
            try Row.fetchAll(db, sql: "SELECT key, report_file FROM version WHERE state = 'retired'").map {
                (key: $0[0] as Int64, report: $0[1] as String)
            }
        }
        for version in dead {
            // Changes that refer to the version's records keep their values first, a window at a time.
            while try write({ db in try Store.materializeReferences(version: version.key, limit: chunk, db) }) {}
            // The version's records are the keys version × 2³² + 0 … (its size): deleted a window at a time.
            let last = try read { db in
                try Int64.fetchOne(
                    db,
                    sql: "SELECT MAX(key) FROM feature WHERE key BETWEEN ? AND ?",
                    arguments: [Store.featureKey(version: version.key, seq: 0), Store.featureKey(version: version.key, seq: Int(UInt32.max))]
                )
            }
            var start = Store.featureKey(version: version.key, seq: 0)
            while let last, start <= last {
                let end = start + Int64(chunk)
                try write { db in try db.execute(sql: "DELETE FROM feature WHERE key >= ? AND key < ?", arguments: [start, end]) }
                start = end
            }
            // Shapes (GeoJSON geometries other than points) and their boxes: keyed like the records.
            try write { db in
                let range: [Int64] = [Store.featureKey(version: version.key, seq: 0), Store.featureKey(version: version.key, seq: Int(UInt32.max))]
                try db.execute(sql: "DELETE FROM shape_box WHERE key BETWEEN ? AND ?", arguments: StatementArguments(range))
                try db.execute(sql: "DELETE FROM shape WHERE key BETWEEN ? AND ?", arguments: StatementArguments(range))
            }
            while try write({ db -> Bool in
                try db.execute(
                    sql: "DELETE FROM point WHERE version = ? AND z IN (SELECT z FROM point WHERE version = ? LIMIT ?)",
                    arguments: [version.key, version.key, chunk]
                )
                return db.changesCount > 0
            }) {}
            try write { db in try db.execute(sql: "DELETE FROM version WHERE key = ?", arguments: [version.key]) }
            try? FileManager.default.removeItem(atPath: version.report)
        }
        return dead.count
    }

    /// After a crash: versions still loading belong to a load that died with the process; they are marked retired
    /// so that garbage collection deletes them. (Run when the store is opened, before any load.)
    func recover() throws {
        try write { db in try db.execute(sql: "UPDATE version SET state = 'retired' WHERE state = 'loading'") }
    }

    /// Versions by state (`loading`, `live`, `retired`): for checks after a crash.
    public func versionCounts() throws -> [String: Int] {
        try read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT state, COUNT(*) FROM version GROUP BY state").map { ($0[0], $0[1]) })
        }
    }

    /// A dataset's report file name stem in `reportsDirectory`.
    static func reportFileName(_ id: String) -> String {
        id.map { $0 == "/" || $0 == "\\" ? "_" : String($0) }.joined()
    }
}
