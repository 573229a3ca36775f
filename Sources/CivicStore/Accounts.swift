import CivicData
public import Foundation

/// Who may write: API tokens, each for one organisation (a municipality, or the portal) with one role, and the log of
/// every write. The SQLite `Store` implements it; a PostgreSQL store would implement the same protocol, and the
/// server and the command line know only the protocol.
public protocol AccountStore: Sendable {
    /// Makes a token; its secret is in the result only, the store keeps a hash of it.
    func createToken(_ request: TokenRequest, by actor: Actor) throws -> IssuedToken
    /// Every token, newest first (never their secrets).
    func tokens() throws -> [TokenInfo]
    /// Revokes a token; false when there is no token with that id. A revoked token stays listed.
    func revokeToken(id: String, by actor: Actor) throws -> Bool
    /// The account a presented token stands for at `date`; nil for an unknown, malformed, revoked or expired one.
    func authenticate(_ presented: String, at date: Date) throws -> Principal?
    /// Adds a write to the log.
    func log(_ entry: AuditEntry) throws
    /// The log, newest first: up to `limit` entries before sequence number `before` (nil: from the newest).
    func auditLog(limit: Int, before: Int64?) throws -> [AuditEntry]
}

/// An organisation that owns datasets and accounts: a municipality by its 全国地方公共団体コード, or the portal itself.
public enum Organisation: Hashable, Sendable, CustomStringConvertible, Codable {
    case municipality(String)
    case portal

    /// `portal`, or a 6-digit 全国地方公共団体コード (check digit verified); nil otherwise.
    public init?(_ text: String) {
        if text == "portal" {
            self = .portal
        } else if text.utf8.count == 6, MunicipalityCode.isValid(text) {
            self = .municipality(text)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .municipality(let code): code
        case .portal: "portal"
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let organisation = Organisation(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an organisation: \(text)"))
        }
        self = organisation
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// What a token may do. Editors upload and edit drafts of their municipality's datasets; publishers also publish and
/// roll back; admins (the portal's) manage accounts and every dataset.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case editor, publisher, admin

    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
    private var rank: Int {
        switch self {
        case .editor: 0
        case .publisher: 1
        case .admin: 2
        }
    }
}

/// A token to make.
public struct TokenRequest: Sendable {
    public var organisation: Organisation
    public var role: Role
    public var name: String
    /// When it stops working; nil: never.
    public var expires: Date?

    public init(organisation: Organisation, role: Role, name: String, expires: Date? = nil) {
        self.organisation = organisation
        self.role = role
        self.name = name
        self.expires = expires
    }
}

/// A token as listed: everything but its secret.
public struct TokenInfo: Sendable, Equatable, Codable {
    /// The public part of the token (`civic_<id>_…`), for listing and revoking.
    public var id: String
    public var organisation: Organisation
    public var role: Role
    public var name: String
    public var created: Date
    public var expires: Date?
    public var revoked: Date?

    public init(id: String, organisation: Organisation, role: Role, name: String, created: Date, expires: Date?, revoked: Date?) {
        self.id = id
        self.organisation = organisation
        self.role = role
        self.name = name
        self.created = created
        self.expires = expires
        self.revoked = revoked
    }

    /// True when the token works at `date`.
    public func isActive(at date: Date) -> Bool { revoked == nil && (expires.map { date < $0 } ?? true) }
}

/// A token just made: the one time its whole text is known.
public struct IssuedToken: Sendable {
    public var info: TokenInfo
    /// `civic_<id>_<secret>`: what a client sends (`Authorization: Bearer …`).
    public var token: String
}

/// The account behind an authenticated request.
public struct Principal: Sendable, Equatable {
    public var tokenID: String
    public var organisation: Organisation
    public var role: Role
    public var name: String

    public init(tokenID: String, organisation: Organisation, role: Role, name: String) {
        self.tokenID = tokenID
        self.organisation = organisation
        self.role = role
        self.name = name
    }

    /// True when this account may write the datasets of `owner` with at least `role`: its own municipality's, or
    /// any as the portal's admin.
    public func may(_ role: Role, for owner: Organisation) -> Bool {
        if self.role == .admin && organisation == .portal { return true }
        return organisation == owner && self.role >= role
    }
}

/// Who did a write: a token's account, the command line (an operator on the machine), or the data folder (a file
/// that changed there).
public enum Actor: Sendable, Equatable {
    case token(Principal, origin: String)
    case commandLine(user: String)
    /// A dataset's folder (relative to the data folder).
    case folder(String)
    /// A shelter list (its dataset id) keeping its status table in step: the table made, shelters new to the list
    /// added, names and points following the list (docs/shelter-status.md).
    case shelterList(String)
    /// A harvest source (its name) writing what it gathered from another catalogue (docs/harvesting.md).
    case harvester(String)

    public var name: String {
        switch self {
        case .token(let principal, _): "token:\(principal.tokenID)"
        case .commandLine(let user): "cli:\(user)"
        case .folder(let origin): "folder:\(origin)"
        case .shelterList(let dataset): "list:\(dataset)"
        case .harvester(let source): "harvest:\(source)"
        }
    }

    var origin: String {
        switch self {
        case .token(_, let origin): origin
        case .commandLine: "command line"
        case .folder: "data folder"
        case .shelterList: "shelter list"
        case .harvester: "harvester"
        }
    }

    var organisation: Organisation? {
        switch self {
        case .token(let principal, _): principal.organisation
        case .commandLine, .folder, .shelterList, .harvester: nil
        }
    }
}

/// One write in the log: who, what, when, from where.
public struct AuditEntry: Sendable, Equatable, Codable {
    /// Its place in the log (assigned by the store).
    public var sequence: Int64
    public var at: Date
    /// `token:<id>` or `cli:<user>`.
    public var actor: String
    /// The actor's organisation, when a token's.
    public var organisation: String?
    /// `token.create`, `token.revoke`, …
    public var action: String
    /// What was written (a token id, a dataset id …).
    public var target: String?
    /// Where from: the client's address, or `command line`.
    public var origin: String
    public var detail: String?

    public init(
        sequence: Int64 = 0,
        at: Date,
        actor: String,
        organisation: String?,
        action: String,
        target: String?,
        origin: String,
        detail: String? = nil
    ) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.organisation = organisation
        self.action = action
        self.target = target
        self.origin = origin
        self.detail = detail
    }

    init(_ actor: Actor, action: String, target: String?, detail: String? = nil, at: Date = Date()) {
        self.init(
            at: at,
            actor: actor.name,
            organisation: actor.organisation?.description,
            action: action,
            target: target,
            origin: actor.origin,
            detail: detail
        )
    }
}
