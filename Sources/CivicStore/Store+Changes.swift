public import Foundation
import GRDB

/// The change log in SQLite (table `change`, migration v7) and record edits.
///
/// Each row is one record changed by one write: `create`, `update` or `delete`, its values before and after (the
/// version's JSON array of strings), its point and shape, who, when, the release it belongs to and the version it
/// touched. A release made live by switching versions (a published upload, a folder load, a rollback to kept
/// records) logs the records that differ between the two versions (`inplace` 0); an edit changes its version's rows
/// where they are and logs each (`inplace` 1) — one PATCH costs a few rows, not a copy of the dataset. `live` says
/// whether readers saw the change (edits of a draft are logged too, but the feed shows them when the draft is
/// published, as the switch's changes).
extension Store: RecordStore {
    // MARK: Reading

    public func record(_ dataset: String, id: String, in target: EditTarget) throws -> EditedRecord? {
        try read { db in
            guard let version = try Store.targetVersion(dataset, target, db) ?? Store.targetVersion(dataset, .live, db) else { return nil }
            let columns = try Store.columns(of: version, db)
            return try Store.recordRow(version: version, id: id, db).map { try $0.record(columns: columns) }
        }
    }

    public func editColumns(_ dataset: String, in target: EditTarget) throws -> [String] {
        try read { db in
            guard let version = try Store.targetVersion(dataset, target, db) ?? Store.targetVersion(dataset, .live, db) else {
                throw StoreError(code: .notFound, message: "no dataset \(dataset)")
            }
            return try Store.columns(of: version, db)
        }
    }

    /// The sequence number of the last change logged (0 for none): a feed's cursor for "from now on".
    public func latestChange() throws -> Int64 {
        try read { db in try Store.latestChange(db) }
    }

    /// The last change's sequence number in this snapshot (0 for none).
    static func latestChange(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM change") ?? 0
    }

    public func changes(of datasets: [String], since: Int64, limit: Int) throws -> ChangePage {
        guard !datasets.isEmpty, limit > 0 else { return ChangePage(changes: [], next: since, more: false) }
        return try read { db in
            var changes: [Change] = []
            // Read until one change more than the page holds.
            try Store.visitChanges(of: datasets, since: since, limit: limit + 1, db) { changes.append($0) }
            let page = Array(changes.prefix(limit))
            return ChangePage(changes: page, next: page.last?.seq ?? since, more: changes.count > limit)
        }
    }

    /// Hands `body` the live changes of `datasets` after `since` (up to `until`'s time, a `timestamp`, when given),
    /// oldest first, spans read as the changes they stand for; at most `limit`.
    static func visitChanges(
        of datasets: [String],
        since: Int64,
        until: String? = nil,
        limit: Int,
        _ db: Database,
        _ body: (Change) throws -> Void
    ) throws {
        let placeholders = Array(repeating: "?", count: datasets.count).joined(separator: ", ")
        // One dataset: its index range. Several (a merged collection): the log in order, filtered (`+` keeps
        // SQLite from sorting every member's changes first).
        var filter = datasets.count == 1 ? "c.dataset_id = ?" : "+c.dataset_id IN (\(placeholders))"
        var arguments = StatementArguments(datasets)
        if let until {
            filter += " AND c.at <= ?"
            arguments += [until]
        }
        arguments += [since]
        let rows = try changeRows(where: "\(filter) AND c.live = 1 AND c.seq > ?", arguments, db)
        var columnsByVersion: [Int64: [String]?] = [:]
        var count = 0
        while count < limit, let row = try rows.next() {
            let (change, version) = try Store.change(row, &columnsByVersion, db)
            if let from: Int = row["span_from"], let to: Int = row["span_to"] {
                // A span: its records after the cursor, as many as are still wanted.
                var changes: [Change] = []
                try Store.spanChanges(change, version: version, from: from, to: to, after: since, limit: limit - count, db) {
                    changes.append($0)
                }
                for change in changes { try body(change) }
                count += changes.count
            } else {
                try body(change)
                count += 1
            }
        }
    }

    /// The log's rows matching `condition` (on `c`, the change), in sequence order, each with its values after: its
    /// own, or its record's in its version (by reference).
    static func changeRows(where condition: String, _ arguments: StatementArguments, _ db: Database) throws -> RowCursor {
        try Row.fetchCursor(
            db,
            sql: """
                SELECT c.seq, c.dataset_id, c.release, c.version, c.feature_id, c.kind, c.before,
                    CASE WHEN c.by_reference THEN f.vals ELSE c.after END AS after,
                    CASE WHEN c.by_reference THEN f.lon ELSE c.lon END AS lon,
                    CASE WHEN c.by_reference THEN f.lat ELSE c.lat END AS lat,
                    CASE WHEN c.by_reference THEN \(Store.shape(of: "f")) ELSE c.geometry END AS geometry,
                    c.actor, c.at, c.span_from, c.span_to
                FROM change c LEFT JOIN feature f ON c.by_reference = 1 AND f.version = c.version AND f.feature_id = c.feature_id
                WHERE \(condition) ORDER BY c.seq
                """,
            arguments: arguments
        )
    }

    /// One row of `changeRows` as a change (a span's: its release, actor, time, and the last record's number), and
    /// the version it touched. `columnsByVersion` keeps the versions' columns read so far (nil: no longer stored).
    static func change(_ row: Row, _ columnsByVersion: inout [Int64: [String]?], _ db: Database) throws -> (Change, Int64) {
        let version: Int64 = row["version"]
        if columnsByVersion[version] == nil {
            let columns = try Store.columns(of: version, db)
            columnsByVersion[version] = .some(columns.isEmpty ? nil : columns)
        }
        let change = Change(
            seq: row["seq"],
            dataset: row["dataset_id"],
            release: row["release"],
            featureID: row["feature_id"],
            kind: Change.Kind(rawValue: row["kind"]) ?? .update,
            at: Store.date(row["at"]) ?? Date(timeIntervalSince1970: 0),
            actor: row["actor"],
            columns: columnsByVersion[version] ?? nil,
            before: try (row["before"] as String?).map(StoredValues.decode),
            after: try (row["after"] as String?).map(StoredValues.decode),
            longitude: row["lon"],
            latitude: row["lat"],
            geometry: row["geometry"]
        )
        return (change, version)
    }

    /// The changes of a span row (`span`: its release, actor, time …; its `seq` the last record's): the created
    /// records of `version` at positions `from` … `to` whose sequence numbers follow `since`, in order, at most `limit`.
    static func spanChanges(
        _ span: Change,
        version: Int64,
        from: Int,
        to: Int,
        after since: Int64,
        limit: Int,
        _ db: Database,
        _ body: (Change) -> Void
    ) throws {
        // Record position p has sequence number seq − to + p.
        let base = span.seq - Int64(to)
        let first = max(Int64(from), since - base + 1)
        guard first <= Int64(to), limit > 0 else { return }
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT seq, feature_id, vals, lon, lat, \(shape(of: "feature")) FROM feature WHERE key BETWEEN ? AND ? ORDER BY key LIMIT ?",
            arguments: [featureKey(version: version, seq: Int(first)), featureKey(version: version, seq: to), limit]
        )
        while let row = try rows.next() {
            var change = span
            change.seq = base + (row[0] as Int64)
            change.featureID = row[1]
            change.after = try StoredValues.decode(row[2] as String)
            change.longitude = row[3]
            change.latitude = row[4]
            change.geometry = row[5]
            body(change)
        }
    }

    // MARK: Editing

    public func edit(_ dataset: String, _ edits: [RecordEdit], in target: EditTarget, by actor: Actor, note: String?) throws -> EditResult {
        guard !edits.isEmpty else { throw StoreError(code: .invalidRequest, message: "no records to write") }
        let reports = reportsDirectory
        return try write { db in
            guard let live = try Store.targetVersion(dataset, .live, db) else { throw StoreError(code: .notFound, message: "no dataset \(dataset)") }
            let now = Store.timestamp(Date())
            // The version written, and the release the edits belong to.
            let version: Int64
            let number: Int
            switch target {
            case .live:
                version = live
                number = try Store.nextReleaseNumber(dataset, db)
            case .draft:
                if let draft = try Row.fetchOne(
                    db,
                    sql: "SELECT number, version FROM release WHERE dataset_id = ? AND state = 'draft' ORDER BY number DESC LIMIT 1",
                    arguments: [dataset]
                ) {
                    number = draft["number"]
                    version = draft["version"]
                } else {
                    // No open draft: one is made, a copy of the live records.
                    version = try Store.copyVersion(live, state: "draft", reports: reports, db)
                    number = try Store.nextReleaseNumber(dataset, db)
                    try db.execute(
                        sql: """
                            INSERT INTO release (dataset_id, number, version, state, author, note, created, record_count, valid)
                            SELECT ?, ?, ?, 'draft', ?, ?, ?, record_count, valid FROM version WHERE key = ?
                            """,
                        arguments: [dataset, number, version, actor.name, note, now, version]
                    )
                }
            }
            var editor = try RecordEditor(dataset: dataset, version: version, release: number, live: target == .live, actor: actor, at: now, db)
            var records: [EditedRecord?] = []
            for edit in edits { records.append(try editor.apply(edit, db)) }
            try editor.finish(touchingDates: target == .live, db)
            if target == .live {
                try db.execute(sql: "UPDATE release SET state = 'superseded' WHERE dataset_id = ? AND state = 'live'", arguments: [dataset])
                try db.execute(
                    sql: """
                        INSERT INTO release (dataset_id, number, version, state, author, note, created, published, published_by,
                            record_count, valid)
                        SELECT ?, ?, ?, 'live', ?, ?, ?, ?, ?, record_count, valid FROM version WHERE key = ?
                        """,
                    arguments: [dataset, number, version, actor.name, note, now, now, actor.name, version]
                )
            } else {
                try db.execute(
                    sql: "UPDATE release SET record_count = (SELECT record_count FROM version WHERE key = ?) WHERE dataset_id = ? AND number = ?",
                    arguments: [version, dataset, number]
                )
            }
            try Store.append(AuditEntry(actor, action: "record.edit", target: "\(dataset)#\(number)", detail: editor.summary), db)
            return EditResult(release: try Store.existingRelease(dataset, number, db), records: records)
        }
    }

    // MARK: Helpers

    /// v7: the change log.
    static func migrateChanges(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE change (
                    seq INTEGER PRIMARY KEY,
                    dataset_id TEXT NOT NULL,
                    release INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    feature_id TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('create', 'update', 'delete')),
                    inplace INTEGER NOT NULL,
                    live INTEGER NOT NULL,
                    before TEXT, old_lon REAL, old_lat REAL, old_geometry TEXT,
                    after TEXT, lon REAL, lat REAL, geometry TEXT,
                    actor TEXT NOT NULL,
                    at TEXT NOT NULL
                );
                CREATE INDEX change_by_dataset ON change(dataset_id, live, seq);
                """
        )
    }

    /// v8: `by_reference` 1 marks a change whose values after (`after`, `lon`, `lat`, `geometry`, left null) are those
    /// of its record in its version — the record `feature_id` of `version`, which the switch made live. Copying them
    /// was most of a publish's time (a first publish of 1,000,000 records wrote 1,000,000 copies of the values the
    /// version holds). They are copied into the change (`materializeReferences`) before anything changes the record
    /// in place or deletes the version; the partial index finds them.
    static func migrateChangeReferences(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE change ADD COLUMN by_reference INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX change_by_reference ON change(version, feature_id) WHERE by_reference = 1;
                """
        )
    }

    /// v9: a switch's created records as spans — one row for a run of records of `version` at positions (`seq` in
    /// `feature`) `span_from` … `span_to`, the records that are there; its `seq` is the last position's sequence
    /// number and position p has seq − `span_to` + p (the sequence numbers between are the span's: no other row takes
    /// them). Logging each created record was most of a publish's time (a first publish of 1,000,000 records wrote
    /// 1,000,000 rows and their index entries). Like changes by reference, a span's records are copied into rows of
    /// their own before one is changed in place (the span split around it) or the version is deleted.
    static func migrateChangeSpans(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE change ADD COLUMN span_from INTEGER;
                ALTER TABLE change ADD COLUMN span_to INTEGER;
                CREATE INDEX change_by_span ON change(version, span_to) WHERE span_from IS NOT NULL;
                """
        )
    }

    /// Copies into the log the values its changes refer to in `version` (all of them, a window of `limit` records at a
    /// time, or record `featureID`'s): changes by reference get their values, spans give their records rows of their
    /// own. True when there may be more. Inside the caller's transaction.
    @discardableResult
    static func materializeReferences(version: Int64, featureID: String? = nil, limit: Int = Int.max, _ db: Database) throws -> Bool {
        if let featureID {
            try copyReferences(version: version, featureID: featureID, limit: limit, db)
            let position = try Int.fetchOne(
                db,
                sql: "SELECT seq FROM feature WHERE version = ? AND feature_id = ?",
                arguments: [version, featureID]
            )
            if let position { try splitSpans(version: version, at: position, db) }
            return false
        }
        return try copyReferences(version: version, featureID: nil, limit: limit, db) || copySpan(version: version, limit: limit, db)
    }

    /// Copies a window of `limit` changes by reference (all, or record `featureID`'s); true when there may be more.
    private static func copyReferences(version: Int64, featureID: String?, limit: Int, _ db: Database) throws -> Bool {
        var arguments: [any DatabaseValueConvertible] = [version]
        if let featureID { arguments.append(featureID) }
        arguments.append(limit == Int.max ? -1 : limit)
        let window = try Int64.fetchAll(
            db,
            sql: "SELECT seq FROM change WHERE by_reference = 1 AND version = ?\(featureID == nil ? "" : " AND feature_id = ?") LIMIT ?",
            arguments: StatementArguments(arguments)
        )
        guard !window.isEmpty else { return false }
        let seqs = "[" + window.map(String.init).joined(separator: ",") + "]"
        try db.execute(
            sql: """
                UPDATE change SET after = f.vals, lon = f.lon, lat = f.lat, geometry = \(shape(of: "f")), by_reference = 0
                FROM feature f
                WHERE change.seq IN (SELECT value FROM json_each(?)) AND f.version = change.version AND f.feature_id = change.feature_id
                """,
            arguments: [seqs]
        )
        // A change whose record is not in the version has nothing to copy; it no longer refers to it either (else it
        // would come back in every window and the windows would never end).
        try db.execute(
            sql: "UPDATE change SET by_reference = 0 WHERE seq IN (SELECT value FROM json_each(?)) AND by_reference = 1",
            arguments: [seqs]
        )
        return window.count == limit
    }

    /// The columns a span's rows copy from it, and the values each copies from its record (`f`).
    private static let spanCopy = (
        columns: "seq, dataset_id, release, version, feature_id, kind, inplace, live, actor, at, after, lon, lat, geometry",
        values: "c.dataset_id, c.release, c.version, f.feature_id, 'create', c.inplace, c.live, c.actor, c.at, f.vals, f.lon, f.lat"
    )

    /// Gives the record at `position` of `version` a row of its own in every span that holds it (a version made live
    /// more than once, by rollbacks, is in several): the positions before it stay a span (its sequence numbers end
    /// just before the record's), those after it keep the span's row, or the row becomes the record's when it was the
    /// last.
    private static func splitSpans(version: Int64, at position: Int, _ db: Database) throws {
        let spans = try Row.fetchAll(
            db,
            sql: "SELECT seq, span_from, span_to FROM change WHERE span_from IS NOT NULL AND version = ? AND span_to >= ? AND span_from <= ?",
            arguments: [version, position, position]
        )
        let key = featureKey(version: version, seq: position)
        for span in spans {
            let (seq, from, to): (Int64, Int, Int) = (span[0], span[1], span[2])
            let base = seq - Int64(to)
            if from < position {
                try db.execute(
                    sql: """
                        INSERT INTO change (seq, dataset_id, release, version, feature_id, kind, inplace, live, actor, at, span_from, span_to)
                        SELECT ?, dataset_id, release, version, '', 'create', inplace, live, actor, at, span_from, ? FROM change WHERE seq = ?
                        """,
                    arguments: [base + Int64(position) - 1, position - 1, seq]
                )
            }
            try copySpanRecords(seq, through: key, from: key, position == to, db)
            if position < to {
                try db.execute(sql: "UPDATE change SET span_from = ? WHERE seq = ?", arguments: [position + 1, seq])
            }
        }
    }

    /// Gives the first `limit` records of one of `version`'s spans rows of their own (the span keeps the rest, or
    /// goes); false when the version has no span left.
    private static func copySpan(version: Int64, limit: Int, _ db: Database) throws -> Bool {
        guard
            let span = try Row.fetchOne(
                db,
                sql: "SELECT seq, span_from, span_to FROM change WHERE span_from IS NOT NULL AND version = ? LIMIT 1",
                arguments: [version]
            )
        else { return false }
        let (seq, from, to): (Int64, Int, Int) = (span[0], span[1], span[2])
        let last = try Int64.fetchOne(
            db,
            sql: "SELECT MAX(key) FROM (SELECT key FROM feature WHERE key BETWEEN ? AND ? ORDER BY key LIMIT ?)",
            arguments: [featureKey(version: version, seq: from), featureKey(version: version, seq: to), limit == Int.max ? -1 : limit]
        )
        guard let last else {
            // None of its records is there (a span split around edits can hold none).
            try db.execute(sql: "DELETE FROM change WHERE seq = ?", arguments: [seq])
            return true
        }
        let ends = last == featureKey(version: version, seq: to)
        try copySpanRecords(seq, through: last, from: featureKey(version: version, seq: from), ends, db)
        if !ends {
            try db.execute(sql: "UPDATE change SET span_from = ? WHERE seq = ?", arguments: [Int(last & 0xFFFF_FFFF) + 1, seq])
        }
        return true
    }

    /// Rows of their own for span `seq`'s records with keys `first` … `last`, at their sequence numbers, with their
    /// values. When `last` is the span's last record (`ends`), the span's row becomes its row.
    private static func copySpanRecords(_ seq: Int64, through last: Int64, from first: Int64, _ ends: Bool, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO change (\(spanCopy.columns))
                SELECT c.seq - c.span_to + f.seq, \(spanCopy.values), \(shape(of: "f"))
                FROM change c JOIN feature f ON f.key BETWEEN ? AND ? WHERE c.seq = ?
                """,
            arguments: [first, ends ? last - 1 : last, seq]
        )
        guard ends else { return }
        try db.execute(
            sql: """
                UPDATE change SET feature_id = f.feature_id, after = f.vals, lon = f.lon, lat = f.lat, geometry = \(shape(of: "f")),
                    span_from = NULL, span_to = NULL
                FROM feature f WHERE change.seq = ? AND f.key = ?
                """,
            arguments: [seq, last]
        )
    }

    /// The version edits of `target` go to: the live one, or the newest open draft's (nil when there is none).
    static func targetVersion(_ dataset: String, _ target: EditTarget, _ db: Database) throws -> Int64? {
        switch target {
        case .live:
            try Int64.fetchOne(db, sql: "SELECT live_version FROM dataset WHERE id = ?", arguments: [dataset])
        case .draft:
            try Int64.fetchOne(
                db,
                sql: "SELECT version FROM release WHERE dataset_id = ? AND state = 'draft' ORDER BY number DESC LIMIT 1",
                arguments: [dataset]
            )
        }
    }

    /// Logs the records that differ between the dataset's versions `old` (nil: none, every record is created) and
    /// `new` as changes of release `number`, seen by readers: the switch a publish, a folder load or a rollback makes.
    /// Deletions and updates in file order, then creations in file order as spans (`logCreations`: neither the
    /// records nor their IDs are read for them — a first publish of 1,000,000 records writes one row).
    /// Inside the caller's transaction, before or after the switch (both versions are read by key).
    static func logSwitch(_ dataset: String, from old: Int64?, to new: Int64, release number: Int, actor: Actor, _ db: Database) throws {
        let now = timestamp(Date())
        let newRange: [Int64] = [featureKey(version: new, seq: 0), featureKey(version: new, seq: Int(UInt32.max))]
        let insert = """
            INSERT INTO change (dataset_id, release, version, feature_id, kind, inplace, live, before, old_lon, old_lat, old_geometry,
                after, lon, lat, geometry, actor, at, by_reference)
            """
        guard let old, old != new else {
            if old == nil { try logCreations(dataset, of: new, shared: [], release: number, actor: actor, at: now, db) }
            return
        }
        let oldRange: [Int64] = [featureKey(version: old, seq: 0), featureKey(version: old, seq: Int(UInt32.max))]
        let sameColumns = try columns(of: old, db) == columns(of: new, db)
        // Deleted, updated, created: each one pass over a version, the other looked up by ID (feature_by_id).
        try db.execute(
            sql: """
                \(insert) SELECT ?, ?, o.version, o.feature_id, 'delete', 0, 1, o.vals, o.lon, o.lat, \(shape(of: "o")), NULL, NULL, NULL, NULL, ?, ?, 0
                FROM feature o WHERE o.key BETWEEN ? AND ?
                    AND NOT EXISTS (SELECT 1 FROM feature n WHERE n.version = ? AND n.feature_id = o.feature_id)
                ORDER BY o.key
                """,
            arguments: StatementArguments([dataset, number, actor.name, now] as [any DatabaseValueConvertible]) + StatementArguments(oldRange + [new])
        )
        // Records in both: the smaller version is read, the other looked up by ID (a file of 1,000,000 records
        // published over one of 82 reads 82 records, not a million).
        let sizes = try Row.fetchAll(db, sql: "SELECT key, record_count FROM version WHERE key IN (?, ?)", arguments: [old, new])
        let count = { (version: Int64) in sizes.first { ($0[0] as Int64) == version }.map { $0[1] as Int } ?? 0 }
        let join =
            count(old) < count(new)
            ? "feature o CROSS JOIN feature n ON n.version = ? AND n.feature_id = o.feature_id WHERE o.key BETWEEN ? AND ?"
            : "feature n CROSS JOIN feature o ON o.version = ? AND o.feature_id = n.feature_id WHERE n.key BETWEEN ? AND ?"
        let joined = StatementArguments(count(old) < count(new) ? [new] + oldRange : [old] + newRange)
        try db.execute(
            sql: """
                \(insert) SELECT ?, ?, n.version, n.feature_id, 'update', 0, 1, o.vals, o.lon, o.lat, \(shape(of: "o")), NULL, NULL, NULL,
                    NULL, ?, ?, 1
                FROM \(join)
                    AND (? OR o.vals IS NOT n.vals OR o.lon IS NOT n.lon OR o.lat IS NOT n.lat OR \(shape(of: "o")) IS NOT \(shape(of: "n")))
                ORDER BY n.key
                """,
            arguments: StatementArguments([dataset, number, actor.name, now] as [any DatabaseValueConvertible]) + joined + [sameColumns ? 0 : 1]
        )
        // The positions of the new version's records that the old one has too (the same join: as many lookups as the
        // smaller has records): the created records are the runs between them.
        let shared = try Int.fetchAll(db, sql: "SELECT n.seq FROM \(join)", arguments: joined).sorted()
        try logCreations(dataset, of: new, shared: shared, release: number, actor: actor, at: now, db)
    }

    /// Logs the records of version `new` at positions other than `shared` (ascending) as created, in file order: a
    /// span row for each run of them, narrowed to the records it holds (a record deleted from a draft leaves a gap).
    static func logCreations(
        _ dataset: String,
        of new: Int64,
        shared: [Int],
        release number: Int,
        actor: Actor,
        at now: String,
        _ db: Database
    ) throws {
        let key = { (position: Int) in featureKey(version: new, seq: position) }
        let last = try Int64.fetchOne(db, sql: "SELECT MAX(key) FROM feature WHERE key BETWEEN ? AND ?", arguments: [key(0), key(Int(UInt32.max))])
        guard let last else { return }
        let first = try db.cachedStatement(sql: "SELECT seq FROM feature WHERE key BETWEEN ? AND ? ORDER BY key LIMIT 1")
        let final = try db.cachedStatement(sql: "SELECT seq FROM feature WHERE key BETWEEN ? AND ? ORDER BY key DESC LIMIT 1")
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO change (seq, dataset_id, release, version, feature_id, kind, inplace, live, actor, at, span_from, span_to)
                VALUES (?, ?, ?, ?, '', 'create', 0, 1, ?, ?, ?, ?)
                """
        )
        // The spans' sequence numbers follow the log's last.
        var seq = try latestChange(db)
        var start = 0
        for end in shared + [Int(last & 0xFFFF_FFFF) + 1] {
            defer { start = end + 1 }
            guard start < end, let from = try Int.fetchOne(first, arguments: [key(start), key(end - 1)]),
                let to = try Int.fetchOne(final, arguments: [key(start), key(end - 1)])
            else { continue }
            seq += Int64(to - from + 1)
            try insert.execute(arguments: [seq, dataset, number, new, actor.name, now, from, to])
        }
    }

    /// A copy of a version's records, spatial index and shapes as a new version in `state` (its report file copied):
    /// the base of a draft made by edits, or of a rollback to records edited since. Inside the caller's transaction.
    static func copyVersion(_ source: Int64, state: String, reports: URL, _ db: Database) throws -> Int64 {
        guard let row = try Row.fetchOne(db, sql: "SELECT dataset_id, report_file FROM version WHERE key = ?", arguments: [source]) else {
            throw StoreError(code: .notFound, message: "version \(source) is no longer stored")
        }
        let report = reports.appendingPathComponent(reportFileName(row["dataset_id"]) + "-\(UUID().uuidString).report.json")
        if FileManager.default.fileExists(atPath: row["report_file"]) {
            try? FileManager.default.copyItem(atPath: row["report_file"], toPath: report.path)
        }
        try db.execute(
            sql: """
                INSERT INTO version (dataset_id, state, title, municipality_code, municipality, standard, standard_title, license,
                    license_note, attribution, source, updated, columns, standard_column_count, numeric_columns, schema, record_count,
                    feature_count, min_x, min_y, max_x, max_y, valid, report_file, file, fingerprint, origin, loaded_at, quality,
                    update_frequency)
                SELECT dataset_id, ?, title, municipality_code, municipality, standard, standard_title, license, license_note,
                    attribution, source, updated, columns, standard_column_count, numeric_columns, schema, record_count, feature_count,
                    min_x, min_y, max_x, max_y, valid, ?, file, fingerprint, origin, ?, quality, update_frequency
                FROM version WHERE key = ?
                """,
            arguments: [state, report.path, timestamp(Date()), source]
        )
        let copy = db.lastInsertedRowID
        let range: [Int64] = [featureKey(version: source, seq: 0), featureKey(version: source, seq: Int(UInt32.max))]
        let base = featureKey(version: copy, seq: 0)
        try db.execute(
            sql: """
                INSERT INTO feature (key, version, seq, feature_id, line, lon, lat, vals)
                SELECT ? | seq, ?, seq, feature_id, line, lon, lat, vals FROM feature WHERE key BETWEEN ? AND ? ORDER BY key
                """,
            arguments: StatementArguments([base, copy]) + StatementArguments(range)
        )
        try db.execute(
            sql:
                "INSERT INTO point (version, z, key, lon, lat) SELECT ?, z, ? | (key & 4294967295), lon, lat FROM point WHERE version = ? ORDER BY z, key",
            arguments: [copy, base, source]
        )
        try db.execute(
            sql: "INSERT INTO shape (key, geometry) SELECT ? | (key & 4294967295), geometry FROM shape WHERE key BETWEEN ? AND ?",
            arguments: StatementArguments([base]) + StatementArguments(range)
        )
        try db.execute(
            sql: """
                INSERT INTO shape_box (key, min_x, max_x, min_y, max_y)
                SELECT ? | (key & 4294967295), min_x, max_x, min_y, max_y FROM shape_box WHERE key BETWEEN ? AND ?
                """,
            arguments: StatementArguments([base]) + StatementArguments(range)
        )
        return copy
    }

    /// One stored record, by ID.
    struct RecordRow {
        var key: Int64
        var featureID: String
        var line: Int
        var longitude: Double?
        var latitude: Double?
        var vals: String
        var geometry: String?

        func record(columns: [String]) throws -> EditedRecord {
            EditedRecord(
                featureID: featureID,
                values: try StoredValues.decode(vals),
                longitude: longitude,
                latitude: latitude,
                geometry: geometry,
                columns: columns
            )
        }
    }

    static func recordRow(version: Int64, id: String, _ db: Database) throws -> RecordRow? {
        try Row.fetchOne(
            db,
            sql: "SELECT key, feature_id, line, lon, lat, vals, \(shapeColumn("feature")) FROM feature WHERE version = ? AND feature_id = ?",
            arguments: [version, id]
        ).map { row in
            RecordRow(
                key: row["key"],
                featureID: row["feature_id"],
                line: row["line"],
                longitude: row["lon"],
                latitude: row["lat"],
                vals: row["vals"],
                geometry: row["geometry"]
            )
        }
    }

    /// Brings the records `version` changed in place after release `number` back to what they were then, on `version`
    /// itself or on a copy of it (`copy`): the records of that release again. Each record touched is restored once,
    /// from the first change after that release (its state then) — not by replaying every change backwards, which
    /// would log and replay earlier rollbacks' own changes too. Only records that differ are written; logged as changes
    /// of release `into` when `log` (the live version), silently on a copy.
    static func undoEdits(
        _ dataset: String,
        version: Int64,
        on copy: Int64? = nil,
        after number: Int,
        into release: Int,
        log: Bool,
        actor: Actor,
        _ db: Database
    ) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT feature_id, kind, before, old_lon, old_lat, old_geometry FROM change
                WHERE dataset_id = ? AND version = ? AND inplace = 1 AND release > ? ORDER BY seq
                """,
            arguments: [dataset, version, number]
        )
        // Each record's first change after the release, in the order first touched.
        var order: [String] = []
        var first: [String: (kind: Change.Kind?, before: String?, longitude: Double?, latitude: Double?, geometry: String?)] = [:]
        while let row = try rows.next() {
            let id: String = row["feature_id"]
            guard first[id] == nil else { continue }
            order.append(id)
            first[id] = (Change.Kind(rawValue: row["kind"]), row["before"], row["old_lon"], row["old_lat"], row["old_geometry"])
        }
        let target = copy ?? version
        let columns = try Store.columns(of: target, db)
        var editor = try RecordEditor(dataset: dataset, version: target, release: release, live: log, actor: actor, at: timestamp(Date()), db)
        editor.logs = log
        for id in order.reversed() {
            guard let then = first[id] else { continue }
            let now = try Store.recordRow(version: target, id: id, db)
            switch then.kind {
            case .create:
                // Absent then.
                if now != nil { _ = try editor.apply(RecordEdit(.delete, featureID: id), db) }
            case .update, .delete:
                guard let text = then.before else { continue }
                let values = try StoredValues.decode(text)
                if let now,
                    try now.record(columns: columns)
                        == EditedRecord(
                            featureID: id,
                            values: values,
                            longitude: then.longitude,
                            latitude: then.latitude,
                            geometry: then.geometry,
                            columns: columns
                        )
                {
                    continue
                }
                try editor.restore(id: id, values: values, longitude: then.longitude, latitude: then.latitude, geometry: then.geometry, db)
            case nil:
                continue
            }
        }
        try editor.finish(touchingDates: log, db)
    }

    /// The diff between two releases of one version, from the edits logged between them: each record's state at
    /// `from` (before its first change after it) against its state at `to` (after its last change up to it).
    static func diffFromLog(_ dataset: String, version: Int64, from: Release, to: Release, _ db: Database) throws -> ReleaseDiff {
        let (low, high) = from.number < to.number ? (from.number, to.number) : (to.number, from.number)
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT feature_id, kind, before, after FROM change
                WHERE dataset_id = ? AND version = ? AND inplace = 1 AND release > ? AND release <= ? ORDER BY seq
                """,
            arguments: [dataset, version, low, high]
        )
        var order: [String] = []
        var states: [String: (then: String?, now: String?)] = [:]
        for row in rows {
            let id: String = row["feature_id"]
            let after: String? = Change.Kind(rawValue: row["kind"]) == .delete ? nil : row["after"]
            if let known = states[id] {
                states[id] = (known.then, after)
            } else {
                let before: String? = Change.Kind(rawValue: row["kind"]) == .create ? nil : row["before"]
                states[id] = (before, after)
                order.append(id)
            }
        }
        let columns = try Store.columns(of: version, db)
        var diff = ReleaseDiff(from: from.number, to: to.number)
        let forward = from.number < to.number
        for id in order.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard let state = states[id] else { continue }
            let (old, new) = forward ? (state.then, state.now) : (state.now, state.then)
            switch (old, new) {
            case (nil, nil):
                continue
            case (nil, .some):
                diff.noteAdded(id)
            case (.some, nil):
                diff.noteRemoved(id)
            case (.some(let a), .some(let b)):
                let before = try StoredValues.decode(a)
                let after = try StoredValues.decode(b)
                let fields = columns.indices.filter { (($0 < before.count ? before[$0] : "") != ($0 < after.count ? after[$0] : "")) }
                    .map { columns[$0] }
                if !fields.isEmpty { diff.noteChanged(id, fields: fields) }
            }
        }
        diff.unchanged = max(0, to.recordCount - diff.addedCount - diff.changedCount)
        return diff
    }

    /// True when the version was edited in place after release `number`.
    static func hasEdits(_ dataset: String, version: Int64, after number: Int, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM change WHERE dataset_id = ? AND version = ? AND inplace = 1 AND release > ?)",
            arguments: [dataset, version, number]
        ) ?? false
    }
}
