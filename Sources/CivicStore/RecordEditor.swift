import CivicData
import CivicGeo
import Foundation
import GRDB
import Synchronization

/// Writes records of one version where they are — the record row, its point in the spatial index, its shape — and logs
/// each change (values before and after) in the caller's transaction. `finish` brings the version's counts and extent
/// up to date. Used by `Store.edit` and by a rollback undoing edits.
struct RecordEditor {
    let dataset: String
    let version: Int64
    let release: Int
    /// Readers see this version (the change is in the feed).
    let live: Bool
    let actor: Actor
    let at: String
    let columns: [String]
    /// The ID column, when the version's records are named by it (else by their line numbers).
    let idColumn: Int?
    /// False: changes are made, not logged (a copy being brought back to a release's records).
    var logs = true
    private var nextSeq: Int
    private var records = 0
    private var features = 0
    private var extent: StoredDataset.Envelope?
    private var done: [String] = []

    init(dataset: String, version: Int64, release: Int, live: Bool, actor: Actor, at: String, _ db: Database) throws {
        self.dataset = dataset
        self.version = version
        self.release = release
        self.live = live
        self.actor = actor
        self.at = at
        columns = try Store.columns(of: version, db)
        let schemaText = try String.fetchOne(db, sql: "SELECT schema FROM version WHERE key = ?", arguments: [version]) ?? "{}"
        let idField = RecordEditor.idField(schemaText)
        let names = columns
        var idColumn = idField.flatMap { names.firstIndex(of: $0) }
        if let column = idColumn,
            let sample = try Row.fetchOne(
                db,
                sql: "SELECT feature_id, vals FROM feature WHERE key BETWEEN ? AND ? LIMIT 1",
                arguments: [Store.featureKey(version: version, seq: 0), Store.featureKey(version: version, seq: Int(UInt32.max))]
            )
        {
            // A file whose IDs were missing or repeated named its records by line: so do its edits.
            let values = try StoredValues.decode(sample["vals"] as String)
            if column >= values.count || values[column] != (sample["feature_id"] as String) { idColumn = nil }
        }
        self.idColumn = idColumn
        let last = try Int64.fetchOne(
            db,
            sql: "SELECT MAX(key) FROM feature WHERE key BETWEEN ? AND ?",
            arguments: [Store.featureKey(version: version, seq: 0), Store.featureKey(version: version, seq: Int(UInt32.max))]
        )
        nextSeq = last.map { Int($0 & 0xFFFF_FFFF) + 1 } ?? 0
    }

    /// The ID field of a version's schema (its JSON text), decoded once per schema: decoding it for every edit
    /// was 11 % of a PATCH (perf).
    private static let idFields = Mutex<[String: String?]>([:])

    static func idField(_ schemaJSON: String) -> String? {
        if let known = idFields.withLock({ $0[schemaJSON] }) { return known }
        let field = (try? Schema.decode(json: Data(schemaJSON.utf8)))?.civic.idField
        idFields.withLock { cache in
            if cache.count > 256 { cache.removeAll() }
            cache[schemaJSON] = .some(field)
        }
        return field
    }

    /// What was done, for the log of writes.
    var summary: String {
        let listed = done.prefix(10).joined(separator: ", ")
        return done.count > 10 ? "\(listed) … (\(done.count) records)" : listed
    }

    /// Applies one edit; the record after it (nil for a delete).
    mutating func apply(_ edit: RecordEdit, _ db: Database) throws -> EditedRecord? {
        var values = edit.values
        if let given = values, given.count != columns.count {
            throw StoreError(code: .invalidRequest, message: "a record of \(dataset) has \(columns.count) values, not \(given.count)")
        }
        // The record's ID: the URL's, the ID column's, or (a new record of a dataset without IDs) the next number.
        var id = edit.featureID
        if let idColumn, var record = values {
            let value = record[idColumn]
            if let id, value != id {
                guard value.isEmpty else {
                    throw StoreError(code: .invalidRequest, message: "the ID cannot change: \(columns[idColumn]) is \(id), not \(value)")
                }
                record[idColumn] = id
                values = record
            }
            if id == nil { id = value.isEmpty ? nil : value }
            guard id != nil else {
                throw StoreError(code: .invalidRequest, message: "a new record of \(dataset) needs its ID (\(columns[idColumn]))")
            }
        }
        if id == nil, edit.operation == .create {
            let last = try Int.fetchOne(db, sql: "SELECT MAX(line) FROM feature WHERE version = ?", arguments: [version]) ?? 0
            var next = max(last, nextSeq) + 1
            while try Store.recordRow(version: version, id: String(next), db) != nil { next += 1 }
            id = String(next)
        }
        guard let id, !id.isEmpty else { throw StoreError(code: .invalidRequest, message: "an edit of \(dataset) names no record") }
        let existing = try Store.recordRow(version: version, id: id, db)
        if let expected = edit.expectedTag {
            let current = try existing?.record(columns: columns).tag
            guard let existing, expected == "*" || expected == current else {
                throw StoreError(
                    code: .preconditionFailed,
                    message: existing == nil
                        ? "record \(id) of \(dataset) does not exist (If-Match)"
                        : "record \(id) of \(dataset) has changed: its tag is no longer \(expected) (If-Match)"
                )
            }
        }
        switch edit.operation {
        case .delete:
            guard let existing else { throw StoreError(code: .notFound, message: "\(dataset) has no record \(id)") }
            try remove(existing, db)
            return nil
        case .create:
            if existing != nil { throw StoreError(code: .conflict, message: "\(dataset) already has a record \(id)") }
        case .replace:
            if existing == nil { throw StoreError(code: .notFound, message: "\(dataset) has no record \(id)") }
        case .upsert:
            break
        }
        guard let values else { throw StoreError(code: .invalidRequest, message: "an edit of record \(id) of \(dataset) has no values") }
        return try put(id: id, values: values, longitude: edit.longitude, latitude: edit.latitude, geometry: existing?.geometry, over: existing, db)
    }

    /// Puts a record back as it was (a rollback): its values, point and shape.
    mutating func restore(id: String, values: [String], longitude: Double?, latitude: Double?, geometry: String?, _ db: Database) throws {
        let existing = try Store.recordRow(version: version, id: id, db)
        _ = try put(id: id, values: values, longitude: longitude, latitude: latitude, geometry: geometry, over: existing, db)
    }

    /// Brings the version's counts, extent (grown, never shrunk: it still covers every record) and — for edits
    /// readers see — its dates up to date.
    func finish(touchingDates: Bool, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE version SET record_count = record_count + ?, feature_count = feature_count + ? WHERE key = ?",
            arguments: [records, features, version]
        )
        if let extent {
            try db.execute(
                sql: """
                    UPDATE version SET min_x = min(coalesce(min_x, ?), ?), min_y = min(coalesce(min_y, ?), ?),
                        max_x = max(coalesce(max_x, ?), ?), max_y = max(coalesce(max_y, ?), ?) WHERE key = ?
                    """,
                arguments: [
                    extent.minX, extent.minX, extent.minY, extent.minY, extent.maxX, extent.maxX, extent.maxY, extent.maxY, version,
                ]
            )
        }
        if touchingDates {
            let now = Date()
            try db.execute(
                sql: "UPDATE version SET updated = ?, loaded_at = ? WHERE key = ?",
                // Milliseconds: ETags and CKAN's metadata_modified derive from it, and two edits may share a second.
                arguments: [String(Store.timestamp(now).prefix(10)), Store.timestamp(now), version]
            )
        }
    }

    // MARK: Rows

    private mutating func put(
        id: String,
        values: [String],
        longitude: Double?,
        latitude: Double?,
        geometry: String?,
        over existing: Store.RecordRow?,
        _ db: Database
    ) throws -> EditedRecord {
        var json: [UInt8] = []
        StoredValues.append(values, to: &json)
        let text = String(decoding: json, as: UTF8.self)
        let point: (Double, Double)? = if let longitude, let latitude { (longitude, latitude) } else { nil }
        let key: Int64
        if let existing {
            key = existing.key
            // Switch changes that refer to this record's values keep them before they change.
            try Store.materializeReferences(version: version, featureID: id, db)
            try db.execute(sql: "UPDATE feature SET vals = ?, lon = ?, lat = ? WHERE key = ?", arguments: [text, longitude, latitude, key])
            try unindex(existing, db)
            if existing.longitude != nil && existing.latitude != nil || existing.geometry != nil { features -= 1 }
        } else {
            key = Store.featureKey(version: version, seq: nextSeq)
            try db.execute(
                sql: "INSERT INTO feature (key, version, seq, feature_id, line, lon, lat, vals) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                arguments: [key, version, nextSeq, id, longitude, latitude, text]
            )
            nextSeq += 1
            records += 1
        }
        if let geometry {
            let shape = try Geometry(geoJSON: geometry, context: try GEOSContext())
            let box = shape.envelope
            try db.execute(sql: "INSERT INTO shape (key, geometry) VALUES (?, ?)", arguments: [key, geometry])
            try db.execute(
                sql: "INSERT INTO shape_box (key, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)",
                arguments: [key, box.minX, box.maxX, box.minY, box.maxY]
            )
            grow(box)
            features += 1
        } else if let (x, y) = point {
            try db.execute(
                sql: "INSERT INTO point (version, z, key, lon, lat) VALUES (?, ?, ?, ?, ?)",
                arguments: [version, ZOrder.code(x: x, y: y), key, x, y]
            )
            grow(StoredDataset.Envelope(minX: x, minY: y, maxX: x, maxY: y))
            features += 1
        }
        try log(existing == nil ? .create : .update, id: id, before: existing, after: (text, longitude, latitude, geometry), db)
        return EditedRecord(featureID: id, values: values, longitude: longitude, latitude: latitude, geometry: geometry, columns: columns)
    }

    private mutating func remove(_ existing: Store.RecordRow, _ db: Database) throws {
        try Store.materializeReferences(version: version, featureID: existing.featureID, db)
        try unindex(existing, db)
        try db.execute(sql: "DELETE FROM feature WHERE key = ?", arguments: [existing.key])
        records -= 1
        if existing.longitude != nil && existing.latitude != nil || existing.geometry != nil { features -= 1 }
        try log(.delete, id: existing.featureID, before: existing, after: nil, db)
    }

    /// Takes a record out of the spatial index and the shapes.
    private func unindex(_ existing: Store.RecordRow, _ db: Database) throws {
        if let x = existing.longitude, let y = existing.latitude {
            try db.execute(
                sql: "DELETE FROM point WHERE version = ? AND z = ? AND key = ?",
                arguments: [version, ZOrder.code(x: x, y: y), existing.key]
            )
        }
        if existing.geometry != nil {
            try db.execute(sql: "DELETE FROM shape WHERE key = ?", arguments: [existing.key])
            try db.execute(sql: "DELETE FROM shape_box WHERE key = ?", arguments: [existing.key])
        }
    }

    private mutating func grow(_ box: StoredDataset.Envelope) {
        extent = extent.map { $0.union(box) } ?? box
    }

    private mutating func log(
        _ kind: Change.Kind,
        id: String,
        before: Store.RecordRow?,
        after: (vals: String, longitude: Double?, latitude: Double?, geometry: String?)?,
        _ db: Database
    ) throws {
        done.append("\(kind.rawValue) \(id)")
        guard logs else { return }
        try db.execute(
            sql: """
                INSERT INTO change (dataset_id, release, version, feature_id, kind, inplace, live, before, old_lon, old_lat, old_geometry,
                    after, lon, lat, geometry, actor, at)
                VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                dataset, release, version, id, kind.rawValue, live, before?.vals, before?.longitude, before?.latitude, before?.geometry,
                after?.vals, after?.longitude, after?.latitude, after?.geometry, actor.name, at,
            ]
        )
    }
}
