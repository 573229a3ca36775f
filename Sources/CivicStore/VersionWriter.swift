public import CivicData
import CivicGeo
public import Foundation
import GRDB
import Synchronization

/// Writes one new version of a dataset: the pipeline's records go in as they come (on a thread of their own, so that
/// reading and validating the file runs beside the inserts), in transactions of a few thousand records, into a
/// version no reader sees. `commit` makes it live in one short transaction; `abandon` (or a crash) leaves it
/// retired, and the live version untouched. Not Sendable: one pipeline drives it.
public final class VersionWriter: RecordSink {
    /// Where the pipeline's JSON report for this version goes.
    public let reportURL: URL
    public let metadata: VersionMetadata
    private let store: Store
    private var inserter: Inserter?
    private var committed = false

    init(store: Store, metadata: VersionMetadata, reportURL: URL) throws {
        self.store = store
        self.metadata = metadata
        self.reportURL = reportURL
    }

    /// The version's key, once `begin` has created it.
    public var key: Int64? { inserter?.key }

    public func begin(_ layout: RecordLayout) throws {
        let encoder = JSONEncoder()
        let schemaJSON = String(decoding: try encoder.encode(layout.schema), as: UTF8.self)
        let numeric = layout.columns.indices.map(layout.isNumeric)
        let metadata = self.metadata
        let key = try store.write { db -> Int64 in
            try db.execute(
                sql: """
                    INSERT INTO version (dataset_id, state, title, municipality_code, municipality, standard, standard_title, license,
                        license_note, attribution, source, updated, columns, standard_column_count, numeric_columns, schema,
                        report_file, file, fingerprint, origin, loaded_at, update_frequency)
                    VALUES (?, 'loading', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    metadata.datasetID, metadata.title, metadata.municipalityCode, metadata.municipality, layout.schema.id, layout.schema.title,
                    metadata.license, metadata.licenseNote, metadata.attribution, metadata.source, metadata.updated,
                    String(decoding: try encoder.encode(layout.columns), as: UTF8.self), layout.schema.fields.count,
                    String(decoding: try encoder.encode(numeric), as: UTF8.self), schemaJSON, reportURL.path, metadata.file,
                    metadata.fingerprint, metadata.origin, ISO8601DateFormatter().string(from: Date()), metadata.updateFrequency,
                ]
            )
            return db.lastInsertedRowID
        }
        let idColumn = layout.schema.civic.idField.flatMap(layout.index(of:))
        let inserter = Inserter(store: store, key: key, idColumn: idColumn)
        inserter.start()
        self.inserter = inserter
    }

    public func write(_ records: [NormalizedRecord], report: ReportBuilder) throws {
        guard let inserter, !records.isEmpty else { return }
        try inserter.put(records)
    }

    /// Waits for the last records to be written; the feature count goes into the report.
    public func finish(report: ReportBuilder) throws {
        guard let inserter else { return }
        let totals = try inserter.finish()
        report.noteFeatures(totals.features)
    }

    /// Makes the version live (once the pipeline, report included, has finished): one transaction records its
    /// counts, extent and validity, points the dataset at it, archives the version it replaces and records the
    /// release in the release history, the change log and the log of writes — made by the data folder, or by
    /// `author` (a dataset made through the API).
    public func commit(_ report: Report, by author: Actor? = nil, note: String? = nil) throws {
        let (key, totals) = try finishedInserter()
        let metadata = self.metadata
        try store.write { db in
            try VersionWriter.record(totals, report, key: key, as: "live", datasetID: metadata.datasetID, db)
            // A release made by the data folder: the history says when the file changed, the change log which records
            // changed, and the version it replaces is kept for rollback as long as `collectGarbage` keeps releases.
            let actor = author ?? Actor.folder(metadata.origin)
            let number = try Store.nextReleaseNumber(metadata.datasetID, db)
            let old = try Int64.fetchOne(db, sql: "SELECT live_version FROM dataset WHERE id = ?", arguments: [metadata.datasetID])
            try Store.logSwitch(metadata.datasetID, from: old, to: key, release: number, actor: actor, db)
            try Store.retireLive(metadata.datasetID, db)
            let now = Store.timestamp(Date())
            try db.execute(
                sql: """
                    INSERT INTO release (dataset_id, number, version, state, author, note, created, published, published_by, fingerprint,
                        record_count, valid)
                    VALUES (?, ?, ?, 'live', ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    metadata.datasetID, number, key, actor.name, note, now, now, actor.name, author == nil ? metadata.fingerprint : nil,
                    totals.records, report.isValid,
                ]
            )
            try Store.append(
                AuditEntry(
                    actor,
                    action: author == nil ? "release.load" : "dataset.create",
                    target: "\(metadata.datasetID)#\(number)",
                    detail: "\(totals.records) records"
                ),
                db
            )
            try db.execute(
                sql: """
                    INSERT INTO dataset (id, live_version, origin) VALUES (?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET live_version = excluded.live_version, origin = excluded.origin
                    """,
                arguments: [metadata.datasetID, key, metadata.origin]
            )
        }
        committed = true
    }

    /// Keeps the version as a draft release of its dataset (an upload to review): readers do not see it until it is
    /// published (`ReleaseStore.publish`). One transaction records its counts, the release and the log entry.
    public func commitDraft(_ report: Report, by actor: Actor, note: String?) throws -> Release {
        let (key, totals) = try finishedInserter()
        let datasetID = metadata.datasetID
        let release = try store.write { db -> Release in
            try VersionWriter.record(totals, report, key: key, as: "draft", datasetID: datasetID, db)
            let number = try Store.nextReleaseNumber(datasetID, db)
            try db.execute(
                sql: """
                    INSERT INTO release (dataset_id, number, version, state, author, note, created, record_count, valid)
                    VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?)
                    """,
                arguments: [datasetID, number, key, actor.name, note, Store.timestamp(Date()), totals.records, report.isValid]
            )
            try Store.append(
                AuditEntry(
                    actor,
                    action: "release.draft",
                    target: "\(datasetID)#\(number)",
                    detail: "\(totals.records) records\(report.isValid ? "" : ", with errors")"
                ),
                db
            )
            return try Store.existingRelease(datasetID, number, db)
        }
        committed = true
        return release
    }

    private func finishedInserter() throws -> (key: Int64, totals: Inserter.Totals) {
        guard let inserter else { throw StoreError(code: .load, message: "\(metadata.datasetID): commit before any record layout") }
        return (inserter.key, try inserter.finish())
    }

    /// The version's counts, extent and validity, and its new state (from `loading`).
    private static func record(_ totals: Inserter.Totals, _ report: Report, key: Int64, as state: String, datasetID: String, _ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE version SET state = ?, record_count = ?, feature_count = ?, min_x = ?, min_y = ?, max_x = ?, max_y = ?,
                    valid = ?, quality = ? WHERE key = ? AND state = 'loading'
                """,
            arguments: [
                state, totals.records, totals.features, totals.extent?.minX, totals.extent?.minY, totals.extent?.maxX, totals.extent?.maxY,
                report.isValid, String(decoding: try JSONEncoder().encode(VersionQuality(report)), as: UTF8.self), key,
            ]
        )
        guard db.changesCount == 1 else {
            throw StoreError(code: .load, message: "\(datasetID): version \(key) is no longer loading (the store was recovered)")
        }
    }

    /// Gives the version up (the load failed): it is retired, for garbage collection; the live version stays.
    public func abandon() {
        guard let inserter, !committed else { return }
        _ = try? inserter.finish(indexingPoints: false)
        let key = inserter.key
        _ = try? store.write { db in try db.execute(sql: "UPDATE version SET state = 'retired' WHERE key = ? AND state = 'loading'", arguments: [key])
        }
    }
}

@available(*, unavailable)
extension VersionWriter: Sendable {}

/// The insert thread of a `VersionWriter`: takes batches from a bounded queue and writes them, several per
/// transaction. Its running totals are behind a mutex (written by its thread, read once it is done).
final class Inserter: Sendable {
    struct Totals: Sendable {
        var records = 0
        var features = 0
        var extent: StoredDataset.Envelope?
    }

    private struct State: Sendable {
        var queue: [[NormalizedRecord]] = []
        var closed = false
        /// False when the version is given up: its points are not worth indexing.
        var indexesPoints = true
        var error: StoreError?
        var totals = Totals()
    }

    let key: Int64
    private let store: Store
    private let idColumn: Int?
    private let state = Mutex(State())
    /// Free places in the queue (bounded: memory stays flat when the inserts are the slower side).
    private let slots = DispatchSemaphore(value: 8)
    private let items = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// Batches written per transaction (at most): 64 × 1,024 records (fewer commits: an index page changed by many
    /// transactions is written to the WAL once per transaction).
    private static let batchesPerTransaction = 64

    init(store: Store, key: Int64, idColumn: Int?) {
        self.store = store
        self.key = key
        self.idColumn = idColumn
    }

    func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "civic-store-insert"
        thread.start()
    }

    func put(_ records: [NormalizedRecord]) throws {
        if let error = state.withLock({ $0.error }) { throw error }
        slots.wait()
        state.withLock { $0.queue.append(records) }
        items.signal()
    }

    /// Closes the queue and waits for the thread; the totals, or the error that stopped it. Without
    /// `indexingPoints` (a version given up) the thread ends without writing the spatial index.
    func finish(indexingPoints: Bool = true) throws -> Totals {
        let first = state.withLock { state -> Bool in
            defer { state.closed = true }
            if !state.closed { state.indexesPoints = indexingPoints }
            return !state.closed
        }
        if first {
            items.signal()
            finished.wait()
        }
        return try state.withLock { state in
            if let error = state.error { throw error }
            return state.totals
        }
    }

    /// One batch off the queue; nil when it is empty (then the signal taken was the close signal: the producer
    /// appends before it signals, and closes after its last put).
    private func pop() -> [NormalizedRecord]? {
        state.withLock { state in state.queue.isEmpty ? nil : state.queue.removeFirst() }
    }

    private func run() {
        var writer = RecordInserter(key: key, idColumn: idColumn)
        var failed = false
        var sawClose = false
        while !sawClose {
            items.wait()
            guard let first = pop() else {
                sawClose = true
                break
            }
            slots.signal()
            // After an error the rest is taken and dropped, so that the producer never blocks on a full queue.
            if failed { continue }
            do {
                // One transaction for this batch and those that follow within a moment, up to a limit: few commits
                // (each rewrites the index pages it changed), and one batch in memory at a time.
                try store.write { db in
                    try writer.insert(first, db)
                    var count = 1
                    while count < Inserter.batchesPerTransaction, items.wait(timeout: .now() + .milliseconds(50)) == .success {
                        guard let batch = pop() else {
                            sawClose = true
                            break
                        }
                        slots.signal()
                        try writer.insert(batch, db)
                        count += 1
                    }
                }
            } catch {
                failed = true
                let failure = error as? StoreError ?? StoreError(code: .load, message: "\(error)", cause: error)
                state.withLock { $0.error = failure }
            }
        }
        if !failed, state.withLock({ $0.indexesPoints }) {
            do {
                try writer.writePoints(store)
            } catch {
                let failure = error as? StoreError ?? StoreError(code: .load, message: "\(error)", cause: error)
                state.withLock { $0.error = failure }
            }
        }
        let totals = writer.totals
        state.withLock { $0.totals = totals }
        finished.signal()
    }
}

/// The inserts of one version's records (on the insert thread).
struct RecordInserter {
    let key: Int64
    let idColumn: Int?
    var totals = Inserter.Totals()
    /// The IDs so far, as hashes (a hash seen before is looked up in the table: equal hashes need not be equal IDs).
    private var seenIDs = Set<Int>()
    private var idsUsable: Bool
    private var json: [UInt8] = []
    /// Each point's Z-order code, feature key and coordinates (32 bytes a point), for `writePoints`.
    private var points: [(code: Int64, key: Int64, longitude: Double, latitude: Double)] = []

    init(key: Int64, idColumn: Int?) {
        self.key = key
        self.idColumn = idColumn
        idsUsable = idColumn != nil
    }

    /// True when a record of this version already has `id`.
    private func isStored(_ id: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM feature WHERE version = ? AND feature_id = ?)", arguments: [key, id]) ?? false
    }

    /// The spatial index of the version's points, sorted by code, a chunk per transaction.
    mutating func writePoints(_ store: Store) throws {
        // Keys are unique, so (code, key) orders the points exactly as the index does.
        points.sort { ($0.code, $0.key) < ($1.code, $1.key) }
        var start = 0
        while start < points.count {
            let end = min(points.count, start + 65_536)
            try store.write { db in
                let insert = try PointInsert(db)
                for index in start..<end {
                    let point = points[index]
                    try insert.insert(version: key, code: point.code, key: point.key, longitude: point.longitude, latitude: point.latitude)
                }
            }
            start = end
        }
        points = []
    }

    mutating func insert(_ batch: [NormalizedRecord], _ db: Database) throws {
        let insertFeature = try FeatureInsert(db)
        for record in batch { try insert(record, insertFeature, db) }
    }

    private mutating func insert(_ record: NormalizedRecord, _ insertFeature: FeatureInsert, _ db: Database) throws {
        // Feature ids: the ID column's values when every record has a distinct one, else line numbers.
        var featureID = String(record.line)
        if let idColumn, idsUsable {
            let value = record.values[idColumn]
            let repeated = try value.isEmpty || (!seenIDs.insert(value.hashValue).inserted && isStored(value, db))
            if repeated {
                // Not usable after all: every feature so far (and from now on) is named by its line.
                idsUsable = false
                seenIDs = []
                try db.execute(sql: "UPDATE feature SET feature_id = CAST(line AS TEXT) WHERE version = ?", arguments: [key])
            } else {
                featureID = value
            }
        }
        json.removeAll(keepingCapacity: true)
        StoredValues.append(record.values, to: &json)
        let featureKey = Store.featureKey(version: key, seq: totals.records)
        try insertFeature.insert(
            key: featureKey,
            version: key,
            seq: totals.records,
            featureID: featureID,
            line: record.line,
            longitude: record.longitude,
            latitude: record.latitude,
            values: json
        )
        totals.records += 1
        if let geometry = record.geometry, geometry.kind != .point, let bounds = geometry.bounds {
            // A line, polygon …: its GeoJSON and its envelope (the R*Tree); not in the point index even when the
            // record has coordinates too.
            try db.execute(sql: "INSERT INTO shape (key, geometry) VALUES (?, ?)", arguments: [featureKey, geometry.json(precision: nil)])
            try db.execute(
                sql: "INSERT INTO shape_box (key, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)",
                arguments: [featureKey, bounds[0], bounds[2], bounds[1], bounds[3]]
            )
            totals.features += 1
            let box = StoredDataset.Envelope(minX: bounds[0], minY: bounds[1], maxX: bounds[2], maxY: bounds[3])
            totals.extent = totals.extent.map { $0.union(box) } ?? box
        } else if let x = record.longitude, let y = record.latitude {
            // Indexed at the end, in code order (appends to the index instead of inserts all over it).
            points.append((ZOrder.code(x: x, y: y), featureKey, x, y))
            totals.features += 1
            if var box = totals.extent {
                box.minX = min(box.minX, x)
                box.minY = min(box.minY, y)
                box.maxX = max(box.maxX, x)
                box.maxY = max(box.maxY, y)
                totals.extent = box
            } else {
                totals.extent = StoredDataset.Envelope(minX: x, minY: y, maxX: x, maxY: y)
            }
        }
    }
}
