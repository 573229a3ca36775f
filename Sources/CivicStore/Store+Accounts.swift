import Crypto
public import Foundation
import GRDB

/// Tokens and the write log in SQLite (tables `api_token` and `audit_log`, migration v5).
///
/// A token is `civic_<id>_<secret>`: 8 random bytes of id in hex (public: listed, revoked by it) and 32 random bytes
/// of secret in base64url. The store keeps the SHA-256 of the secret only (a secret of 256 random bits needs no slow
/// hash: it cannot be guessed, only stolen, and a stolen database gives no usable token); the comparison takes the
/// same time whatever the bytes. Making or revoking a token and the log entry that says so are one transaction.
extension Store: AccountStore {
    static let tokenPrefix = "civic_"

    public func createToken(_ request: TokenRequest, by actor: Actor) throws -> IssuedToken {
        guard request.role != .admin || request.organisation == .portal else {
            throw StoreError(code: .invalidRequest, message: "an admin token belongs to the portal (--municipality portal), not to a municipality")
        }
        guard request.role == .admin || request.organisation != .portal else {
            throw StoreError(code: .invalidRequest, message: "the portal's tokens are admin tokens; an editor or publisher belongs to a municipality")
        }
        let id = Store.hex(Store.randomBytes(8))
        let secret = Store.base64URL(Store.randomBytes(32))
        let created = Date()
        let info = TokenInfo(
            id: id,
            organisation: request.organisation,
            role: request.role,
            name: request.name,
            created: created,
            expires: request.expires,
            revoked: nil
        )
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO api_token (id, secret_hash, organisation, role, name, created, expires)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, Data(Store.hash(secret)), request.organisation.description, request.role.rawValue, request.name,
                    Store.timestamp(created), request.expires.map(Store.timestamp),
                ]
            )
            let expires = request.expires.map { ", expires \(Store.timestamp($0))" } ?? ""
            try Store.append(
                AuditEntry(actor, action: "token.create", target: id, detail: "\(request.role.rawValue) for \(request.organisation)\(expires)"),
                db
            )
        }
        return IssuedToken(info: info, token: "\(Store.tokenPrefix)\(id)_\(secret)")
    }

    public func tokens() throws -> [TokenInfo] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT id, organisation, role, name, created, expires, revoked FROM api_token ORDER BY created DESC, id"
            )
            .compactMap(Store.tokenInfo(from:))
        }
    }

    public func revokeToken(id: String, by actor: Actor) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE api_token SET revoked = ? WHERE id = ? AND revoked IS NULL",
                arguments: [Store.timestamp(Date()), id]
            )
            guard db.changesCount > 0 else {
                // Unknown, or revoked before: true only for a token that exists.
                return try Bool.fetchOne(db, sql: "SELECT 1 FROM api_token WHERE id = ?", arguments: [id]) ?? false
            }
            try Store.append(AuditEntry(actor, action: "token.revoke", target: id), db)
            return true
        }
    }

    public func authenticate(_ presented: String, at date: Date) throws -> Principal? {
        // civic_<16 hex>_<43 base64url>
        guard presented.hasPrefix(Store.tokenPrefix) else { return nil }
        let rest = presented.dropFirst(Store.tokenPrefix.count)
        guard let separator = rest.firstIndex(of: "_") else { return nil }
        let id = String(rest[..<separator])
        let secret = String(rest[rest.index(after: separator)...])
        guard id.utf8.count == 16, id.utf8.allSatisfy(Store.isHexDigit), secret.utf8.count == 43 else { return nil }
        let row = try read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT id, secret_hash, organisation, role, name, created, expires, revoked FROM api_token WHERE id = ?",
                arguments: [id]
            )
        }
        guard let row, let stored: Data = row["secret_hash"], let info = Store.tokenInfo(from: row) else { return nil }
        guard Store.constantTimeEqual(Array(stored), Store.hash(secret)), info.isActive(at: date) else { return nil }
        return Principal(tokenID: info.id, organisation: info.organisation, role: info.role, name: info.name)
    }

    public func log(_ entry: AuditEntry) throws {
        try write { db in try Store.append(entry, db) }
    }

    public func auditLog(limit: Int, before: Int64?) throws -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, at, actor, organisation, action, target, origin, detail FROM audit_log
                    WHERE seq < ? ORDER BY seq DESC LIMIT ?
                    """,
                arguments: [before ?? Int64.max, max(0, limit)]
            )
            .map { row in
                AuditEntry(
                    sequence: row["seq"],
                    at: Store.date(row["at"]) ?? Date(timeIntervalSince1970: 0),
                    actor: row["actor"],
                    organisation: row["organisation"],
                    action: row["action"],
                    target: row["target"],
                    origin: row["origin"],
                    detail: row["detail"]
                )
            }
        }
    }

    // MARK: Helpers

    /// v5: tokens and the write log.
    static func migrateAccounts(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_token (
                    id TEXT PRIMARY KEY NOT NULL,
                    secret_hash BLOB NOT NULL,
                    organisation TEXT NOT NULL,
                    role TEXT NOT NULL,
                    name TEXT NOT NULL,
                    created TEXT NOT NULL,
                    expires TEXT,
                    revoked TEXT
                );
                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    organisation TEXT,
                    action TEXT NOT NULL,
                    target TEXT,
                    origin TEXT NOT NULL,
                    detail TEXT
                );
                """
        )
    }

    static func append(_ entry: AuditEntry, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO audit_log (at, actor, organisation, action, target, origin, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [timestamp(entry.at), entry.actor, entry.organisation, entry.action, entry.target, entry.origin, entry.detail]
        )
    }

    private static func tokenInfo(from row: Row) -> TokenInfo? {
        guard let organisation = Organisation(row["organisation"] as String), let role = Role(rawValue: row["role"]),
            let created = date(row["created"])
        else { return nil }
        return TokenInfo(
            id: row["id"],
            organisation: organisation,
            role: role,
            name: row["name"],
            created: created,
            expires: (row["expires"] as String?).flatMap(date),
            revoked: (row["revoked"] as String?).flatMap(date)
        )
    }

    static func hash(_ secret: String) -> [UInt8] { Array(SHA256.hash(data: Data(secret.utf8))) }

    static func randomBytes(_ count: Int) -> [UInt8] {
        // SystemRandomNumberGenerator reads the kernel's CSPRNG (getrandom on Linux).
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func isHexDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// How the store writes a time: UTC, to the millisecond (RFC 3339, `2026-12-06T01:23:45.678Z`); sorts as text.
    /// Written by hand: a new ISO8601DateFormatter per call was 12 % of a PATCH (perf), and one formatter is not safe
    /// to share between threads.
    public static func timestamp(_ date: Date) -> String {
        // To the nearest millisecond, as ISO8601DateFormatter writes it.
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(total >= 0 ? total / 1000 : (total - 999) / 1000)
        let milliseconds = Int(total - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int, _ count: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, count - text.count)) + text
        }
        return "\(digits(Int(parts.tm_year) + 1900, 4))-\(digits(Int(parts.tm_mon) + 1, 2))-\(digits(Int(parts.tm_mday), 2))T"
            + "\(digits(Int(parts.tm_hour), 2)):\(digits(Int(parts.tm_min), 2)):\(digits(Int(parts.tm_sec), 2)).\(digits(milliseconds, 3))Z"
    }

    /// A time the store wrote (`timestamp`, or RFC 3339 to the second as older versions wrote `loaded_at`).
    public static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                guard bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A, bytes[16] == 0x3A,
            bytes.last == 0x5A, let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19)
        else { return ISO8601DateFormatter().date(from: text) }
        var fraction = 0.0
        if bytes.count > 20 {
            guard bytes[19] == 0x2E, let digits = number(20..<(bytes.count - 1)) else { return ISO8601DateFormatter().date(from: text) }
            fraction = Double(digits) / pow(10, Double(bytes.count - 21))
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Date(timeIntervalSince1970: Double(timegm(&parts)) + fraction)
    }
}
