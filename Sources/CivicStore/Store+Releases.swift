public import Foundation
import GRDB

/// Releases in SQLite (table `release`, migration v6). A release points at a version; a version's state says what
/// the store does with its rows: `draft` (kept, read by no catalogue), `live` (the dataset's), `archived` (a
/// superseded release's, kept for rollback), `retired` (deleted by the next garbage collection). Each change of
/// states, with the release rows and the log entry, is one transaction.
extension Store: ReleaseStore {
    public func releases(of dataset: String) throws -> [Release] {
        try read { db in
            try Row.fetchAll(db, sql: "\(Store.releaseSelect) WHERE r.dataset_id = ? ORDER BY r.number DESC", arguments: [dataset])
                .map(Store.release(from:))
        }
    }

    public func release(of dataset: String, number: Int) throws -> Release? {
        try read { db in try Store.release(dataset, number, db) }
    }

    public func publish(_ dataset: String, number: Int, by actor: Actor, override: String?) throws -> Release {
        try write { db in
            let release = try Store.existingRelease(dataset, number, db)
            guard release.state == .draft else {
                throw StoreError(
                    code: .conflict,
                    message: "release \(number) of \(dataset) is \(release.state.rawValue), not a draft: nothing published"
                )
            }
            let reason = override.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
            guard release.valid || reason != nil else {
                throw StoreError(
                    code: .invalidRequest,
                    message: "release \(number) of \(dataset) has errors in its report: publishing it needs an override, with the reason (recorded)"
                )
            }
            try Store.makeLive(dataset, version: release.version, release: number, actor: actor, db)
            try db.execute(
                sql: "UPDATE release SET state = 'live', published = ?, published_by = ?, override = ? WHERE dataset_id = ? AND number = ?",
                arguments: [Store.timestamp(Date()), actor.name, release.valid ? nil : reason, dataset, number]
            )
            try Store.append(
                AuditEntry(
                    actor,
                    action: "release.publish",
                    target: "\(dataset)#\(number)",
                    detail: release.valid ? nil : "override: \(reason ?? "")"
                ),
                db
            )
            return try Store.existingRelease(dataset, number, db)
        }
    }

    public func rollback(_ dataset: String, to number: Int, by actor: Actor, note: String?) throws -> Release {
        let reports = reportsDirectory
        return try write { db in
            let earlier = try Store.existingRelease(dataset, number, db)
            guard earlier.state == .superseded else {
                throw StoreError(
                    code: .conflict,
                    message:
                        "release \(number) of \(dataset) is \(earlier.state.rawValue): only a release that was live and was replaced can be published again"
                )
            }
            let state = try String.fetchOne(db, sql: "SELECT state FROM version WHERE key = ?", arguments: [earlier.version])
            guard state == "archived" || state == "live" else {
                throw StoreError(code: .conflict, message: "the records of release \(number) of \(dataset) are no longer kept")
            }
            let next = try Store.nextReleaseNumber(dataset, db)
            // Its version may have been edited in place since (record edits): those edits are undone — where they are
            // when the version is the live one (logged as this release's changes), else on a copy made live.
            let edited = try Store.hasEdits(dataset, version: earlier.version, after: number, db)
            var version = earlier.version
            if state == "live" {
                guard edited else {
                    throw StoreError(
                        code: .conflict,
                        message: "the records of release \(number) of \(dataset) are the live ones: nothing to roll back"
                    )
                }
                try Store.undoEdits(dataset, version: version, after: number, into: next, log: true, actor: actor, db)
                try db.execute(sql: "UPDATE release SET state = 'superseded' WHERE dataset_id = ? AND state = 'live'", arguments: [dataset])
            } else {
                if edited {
                    version = try Store.copyVersion(earlier.version, state: "loading", reports: reports, db)
                    try Store.undoEdits(dataset, version: earlier.version, on: version, after: number, into: next, log: false, actor: actor, db)
                }
                try Store.makeLive(dataset, version: version, release: next, actor: actor, db)
            }
            let now = Store.timestamp(Date())
            try db.execute(
                sql: """
                    INSERT INTO release (dataset_id, number, version, state, author, note, created, published, published_by, rollback_of,
                        record_count, valid)
                    SELECT ?, ?, ?, 'live', ?, ?, ?, ?, ?, ?, record_count, ? FROM version WHERE key = ?
                    """,
                arguments: [dataset, next, version, actor.name, note, now, now, actor.name, number, earlier.valid, version]
            )
            try Store.append(
                AuditEntry(actor, action: "release.rollback", target: "\(dataset)#\(next)", detail: "the records of release \(number)"),
                db
            )
            return try Store.existingRelease(dataset, next, db)
        }
    }

    public func discard(_ dataset: String, number: Int, by actor: Actor) throws -> Release {
        try write { db in
            let release = try Store.existingRelease(dataset, number, db)
            guard release.state == .draft else {
                throw StoreError(code: .conflict, message: "release \(number) of \(dataset) is \(release.state.rawValue), not a draft")
            }
            try db.execute(sql: "UPDATE release SET state = 'discarded' WHERE dataset_id = ? AND number = ?", arguments: [dataset, number])
            try db.execute(sql: "UPDATE version SET state = 'retired' WHERE key = ? AND state = 'draft'", arguments: [release.version])
            try Store.append(AuditEntry(actor, action: "release.discard", target: "\(dataset)#\(number)"), db)
            return try Store.existingRelease(dataset, number, db)
        }
    }

    public func diff(_ dataset: String, from: Int, to: Int) throws -> ReleaseDiff {
        try read { db in
            let earlier = try Store.existingRelease(dataset, from, db)
            let later = try Store.existingRelease(dataset, to, db)
            for release in [earlier, later] {
                let state = try String.fetchOne(db, sql: "SELECT state FROM version WHERE key = ?", arguments: [release.version])
                guard state != nil && state != "retired" else {
                    throw StoreError(code: .conflict, message: "the records of release \(release.number) of \(dataset) are no longer kept")
                }
            }
            // Releases of one version (record edits change it where it is): what the log says changed between them.
            if earlier.version == later.version {
                return try Store.diffFromLog(dataset, version: later.version, from: earlier, to: later, db)
            }
            let oldColumns = try Store.columns(of: earlier.version, db)
            let newColumns = try Store.columns(of: later.version, db)
            let shared = newColumns.enumerated().compactMap { index, name in oldColumns.firstIndex(of: name).map { (name, $0, index) } }
            var result = ReleaseDiff(
                from: from,
                to: to,
                columnsAdded: newColumns.filter { !oldColumns.contains($0) },
                columnsRemoved: oldColumns.filter { !newColumns.contains($0) }
            )
            // Both versions in ID order, walked side by side on the feature_by_id index alone (IDs and keys); the
            // values are read only for IDs in both (an upload of a million new records read none of them before
            // this: it read them all).
            let sql = "SELECT feature_id, key FROM feature INDEXED BY feature_by_id WHERE version = ? ORDER BY feature_id"
            let old = try Row.fetchCursor(db, sql: sql, arguments: [earlier.version])
            let new = try Row.fetchCursor(db, sql: sql, arguments: [later.version])
            let values = try db.cachedStatement(sql: "SELECT vals FROM feature WHERE key = ?")
            func vals(_ key: Int64) throws -> String { try String.fetchOne(values, arguments: [key]) ?? "[]" }
            var a = try old.next().map { (id: $0[0] as String, key: $0[1] as Int64) }
            var b = try new.next().map { (id: $0[0] as String, key: $0[1] as Int64) }
            // SQLite orders text by its UTF-8 bytes: so does this walk (Swift's < and == on String follow Unicode
            // equivalence instead).
            func precedes(_ x: String, _ y: String) -> Bool { x.utf8.lexicographicallyPrecedes(y.utf8) }
            while a != nil || b != nil {
                if let left = a, b == nil || precedes(left.id, b!.id) {
                    result.noteRemoved(left.id)
                    a = try old.next().map { ($0[0], $0[1]) }
                } else if let right = b, a == nil || precedes(right.id, a!.id) {
                    result.noteAdded(right.id)
                    b = try new.next().map { ($0[0], $0[1]) }
                } else if let left = a, let right = b {
                    let (leftValues, rightValues) = (try vals(left.key), try vals(right.key))
                    if leftValues.utf8.elementsEqual(rightValues.utf8) && oldColumns == newColumns {
                        result.unchanged += 1
                    } else {
                        let before = try StoredValues.decode(leftValues)
                        let after = try StoredValues.decode(rightValues)
                        let fields = shared.filter { _, i, j in
                            !(i < before.count ? before[i] : "").utf8.elementsEqual((j < after.count ? after[j] : "").utf8)
                        }.map(\.0)
                        if fields.isEmpty {
                            result.unchanged += 1
                        } else {
                            result.noteChanged(left.id, fields: fields)
                        }
                    }
                    a = try old.next().map { ($0[0], $0[1]) }
                    b = try new.next().map { ($0[0], $0[1]) }
                }
            }
            return result
        }
    }

    public func updateMetadata(_ dataset: String, _ metadata: DatasetMetadata, by actor: Actor) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE version SET title = ?, license = ?, license_note = ?, attribution = ?, source = ?, update_frequency = ?,
                        loaded_at = ?
                    WHERE key = (SELECT live_version FROM dataset WHERE id = ?)
                    """,
                arguments: [
                    metadata.title, metadata.license, metadata.licenseNote, metadata.attribution, metadata.source, metadata.updateFrequency,
                    Store.timestamp(Date()), dataset,
                ]
            )
            guard db.changesCount == 1 else { throw StoreError(code: .notFound, message: "no dataset \(dataset)") }
            try Store.append(AuditEntry(actor, action: "dataset.update", target: dataset, detail: metadata.title), db)
        }
    }

    public func remove(_ dataset: String, by actor: Actor) throws -> Bool {
        try write { db in
            guard try Int64.fetchOne(db, sql: "SELECT live_version FROM dataset WHERE id = ?", arguments: [dataset]) != nil else { return false }
            try Store.retireLive(dataset, db)
            try db.execute(sql: "DELETE FROM dataset WHERE id = ?", arguments: [dataset])
            try Store.append(AuditEntry(actor, action: "dataset.remove", target: dataset), db)
            return true
        }
    }

    /// The validation report file of a release's version; nil when its records (and report) are no longer kept.
    public func reportFile(of dataset: String, number: Int) throws -> String? {
        try read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT v.report_file FROM release r JOIN version v ON v.key = r.version
                    WHERE r.dataset_id = ? AND r.number = ? AND v.state != 'retired'
                    """,
                arguments: [dataset, number]
            )
        }
    }

    // MARK: Helpers

    /// v6: the `draft` and `archived` version states (the table rebuilt: SQLite cannot change a CHECK), and releases.
    static func migrateReleases(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE version_v6 (
                    key INTEGER PRIMARY KEY,
                    dataset_id TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('loading', 'draft', 'live', 'archived', 'retired')),
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
                INSERT INTO version_v6 SELECT * FROM version;
                DROP TABLE version;
                ALTER TABLE version_v6 RENAME TO version;
                CREATE INDEX version_by_state ON version(state);
                CREATE TABLE release (
                    dataset_id TEXT NOT NULL,
                    number INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('draft', 'live', 'superseded', 'discarded')),
                    author TEXT NOT NULL,
                    note TEXT,
                    created TEXT NOT NULL,
                    published TEXT,
                    published_by TEXT,
                    override TEXT,
                    rollback_of INTEGER,
                    fingerprint TEXT,
                    record_count INTEGER NOT NULL,
                    valid INTEGER NOT NULL,
                    PRIMARY KEY (dataset_id, number)
                ) WITHOUT ROWID;
                """
        )
    }

    /// Points the dataset at `version` (a draft, or an archived release's): the records that differ are logged as
    /// changes of `release`, the live version leaves as `retireLive` says (archived when a release is made of it), the
    /// live release is superseded. Inside the caller's transaction.
    static func makeLive(_ dataset: String, version: Int64, release: Int, actor: Actor, _ db: Database) throws {
        // `version` is a draft's or an archived one's, never the live one (publish and rollback check it).
        let old = try Int64.fetchOne(db, sql: "SELECT live_version FROM dataset WHERE id = ?", arguments: [dataset])
        try logSwitch(dataset, from: old, to: version, release: release, actor: actor, db)
        try retireLive(dataset, db)
        try db.execute(sql: "UPDATE version SET state = 'live' WHERE key = ?", arguments: [version])
        try db.execute(
            sql: """
                INSERT INTO dataset (id, live_version, origin) SELECT ?, key, origin FROM version WHERE key = ?
                ON CONFLICT(id) DO UPDATE SET live_version = excluded.live_version
                """,
            arguments: [dataset, version]
        )
    }

    static func nextReleaseNumber(_ dataset: String, _ db: Database) throws -> Int {
        (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM release WHERE dataset_id = ?", arguments: [dataset]) ?? 0) + 1
    }

    static let releaseSelect = """
        SELECT r.dataset_id, r.number, r.state, r.version, r.author, r.note, r.created, r.published, r.published_by, r.override,
            r.rollback_of, r.record_count, r.valid
        FROM release r
        """

    static func release(_ dataset: String, _ number: Int, _ db: Database) throws -> Release? {
        try Row.fetchOne(db, sql: "\(releaseSelect) WHERE r.dataset_id = ? AND r.number = ?", arguments: [dataset, number]).map(release(from:))
    }

    static func existingRelease(_ dataset: String, _ number: Int, _ db: Database) throws -> Release {
        guard let release = try release(dataset, number, db) else {
            throw StoreError(code: .notFound, message: "\(dataset) has no release \(number)")
        }
        return release
    }

    static func release(from row: Row) -> Release {
        Release(
            dataset: row["dataset_id"],
            number: row["number"],
            state: Release.State(rawValue: row["state"]) ?? .discarded,
            version: row["version"],
            recordCount: row["record_count"],
            valid: row["valid"],
            author: row["author"],
            note: row["note"],
            created: date(row["created"]) ?? Date(timeIntervalSince1970: 0),
            published: date(row["published"]),
            publishedBy: row["published_by"],
            override: row["override"],
            rollbackOf: row["rollback_of"]
        )
    }

    static func columns(of version: Int64, _ db: Database) throws -> [String] {
        let text = try String.fetchOne(db, sql: "SELECT columns FROM version WHERE key = ?", arguments: [version]) ?? "[]"
        return try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
