import GRDB
internal import GRDBSQLite

/// The load's hot path: one prepared `INSERT INTO feature`, its values bound with SQLite's C calls — integers,
/// doubles, and text straight from UTF-8 bytes — instead of through an array of boxed values (which cost more than
/// the insert itself, `bench/load`). Borrows its statement from GRDB (which owns and finalises it); valid for one
/// transaction.
struct FeatureInsert {
    private let statement: Statement
    private let db: Database

    init(_ db: Database) throws {
        self.db = db
        statement = try db.cachedStatement(
            sql: "INSERT INTO feature (key, version, seq, feature_id, line, lon, lat, vals) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        )
    }

    /// SQLite copies the text before `insert` returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func insert(key: Int64, version: Int64, seq: Int, featureID: String, line: Int, longitude: Double?, latitude: Double?, values: [UInt8]) throws {
        let handle = statement.sqliteStatement
        sqlite3_bind_int64(handle, 1, key)
        sqlite3_bind_int64(handle, 2, version)
        sqlite3_bind_int64(handle, 3, Int64(seq))
        var id = featureID
        id.withUTF8 { bytes in _ = sqlite3_bind_text(handle, 4, bytes.baseAddress, Int32(bytes.count), FeatureInsert.transient) }
        sqlite3_bind_int64(handle, 5, Int64(line))
        if let longitude { sqlite3_bind_double(handle, 6, longitude) } else { sqlite3_bind_null(handle, 6) }
        if let latitude { sqlite3_bind_double(handle, 7, latitude) } else { sqlite3_bind_null(handle, 7) }
        values.withUnsafeBufferPointer { bytes in
            _ = sqlite3_bind_text(
                handle,
                8,
                bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                Int32(bytes.count),
                FeatureInsert.transient
            )
        }
        let status = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard status == SQLITE_DONE else {
            throw StoreError(
                code: .load,
                message: "cannot insert the record of line \(line): \(String(cString: sqlite3_errmsg(db.sqliteConnection)))"
            )
        }
    }
}

/// The spatial index's insert (`point`), bound the same way: a million of them follow a million-record load.
struct PointInsert {
    private let statement: Statement
    private let db: Database

    init(_ db: Database) throws {
        self.db = db
        statement = try db.cachedStatement(sql: "INSERT INTO point (version, z, key, lon, lat) VALUES (?, ?, ?, ?, ?)")
    }

    func insert(version: Int64, code: Int64, key: Int64, longitude: Double, latitude: Double) throws {
        let handle = statement.sqliteStatement
        sqlite3_bind_int64(handle, 1, version)
        sqlite3_bind_int64(handle, 2, code)
        sqlite3_bind_int64(handle, 3, key)
        sqlite3_bind_double(handle, 4, longitude)
        sqlite3_bind_double(handle, 5, latitude)
        let status = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard status == SQLITE_DONE else {
            throw StoreError(code: .load, message: "cannot index a point: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
        }
    }
}
