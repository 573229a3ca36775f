import Crypto
public import Foundation

/// Record-level writes and the change log. Every write — a release made live (an upload published, a folder load, a
/// rollback) or records created, replaced or deleted one by one — appends its changed records to the log in the same
/// transaction: which record, created, updated or deleted, its values before and after, who, when and in which
/// release. The change feed reads the log in order. The SQLite `Store` implements it (migration v7); the server knows
/// the protocol.
public protocol RecordStore: Sendable {
    /// One record of the dataset's live version or of its open draft (the live one when there is no open draft: what
    /// an edit of the draft starts from); nil when there is none with that ID.
    func record(_ dataset: String, id: String, in target: EditTarget) throws -> EditedRecord?
    /// The columns edits are given in: the live version's, or the open draft's when `target` is `.draft` and there is
    /// one.
    func editColumns(_ dataset: String, in target: EditTarget) throws -> [String]
    /// Applies the edits in one transaction: all or none. `.live` makes them a live release of their own at once
    /// (readers see the records before or after, never a mix); `.draft` applies them to the open draft (a new draft,
    /// a copy of the live records, when there is none).
    func edit(_ dataset: String, _ edits: [RecordEdit], in target: EditTarget, by actor: Actor, note: String?) throws -> EditResult
    /// The changes readers saw (live releases' and live edits'), oldest first, after sequence number `since`.
    func changes(of datasets: [String], since: Int64, limit: Int) throws -> ChangePage
}

/// Where edits go: the live records (a publisher's), or the open draft (an editor's).
public enum EditTarget: Sendable, Equatable {
    case live
    case draft
}

/// One record as edits see it: its values in the version's column order, its point, its strong tag.
public struct EditedRecord: Sendable, Equatable {
    public var featureID: String
    public var values: [String]
    public var longitude: Double?
    public var latitude: Double?
    /// A line, polygon … (GeoJSON, CRS84), for records that are not points.
    public var geometry: String?
    /// The strong entity tag of the record's content (quoted, as HTTP sends it).
    public var tag: String

    public init(featureID: String, values: [String], longitude: Double?, latitude: Double?, geometry: String?, columns: [String]) {
        self.featureID = featureID
        self.values = values
        self.longitude = longitude
        self.latitude = latitude
        self.geometry = geometry
        tag = EditedRecord.tag(featureID: featureID, values: values, longitude: longitude, latitude: latitude, geometry: geometry, columns: columns)
    }

    /// A strong tag of everything a record's representation is made of (its ID, columns, values, point and shape):
    /// equal tags, equal content. The first 128 bits of a SHA-256, hex, quoted.
    public static func tag(featureID: String, values: [String], longitude: Double?, latitude: Double?, geometry: String?, columns: [String])
        -> String
    {
        var hasher = SHA256()
        func add(_ text: String) {
            hasher.update(data: Data(text.utf8))
            hasher.update(data: [0])
        }
        add(featureID)
        for column in columns { add(column) }
        add("|")
        for value in values { add(value) }
        add(longitude.map { "\($0)" } ?? "-")
        add(latitude.map { "\($0)" } ?? "-")
        add(geometry ?? "-")
        return "\"" + hasher.finalize().prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }
}

/// One record written: created, replaced (whole), created or replaced (`upsert`), or deleted.
public struct RecordEdit: Sendable, Equatable {
    public enum Operation: String, Sendable, Equatable {
        case create, replace, upsert, delete
    }

    public var operation: Operation
    /// The record's ID; nil to create a record of a dataset without an ID column (it is given the next number).
    public var featureID: String?
    /// The new values, in the columns `RecordStore.editColumns` names (nil for a delete).
    public var values: [String]?
    public var longitude: Double?
    public var latitude: Double?
    /// `If-Match`: the tag the record must have now (`*`: it must exist); nil when the client asks nothing.
    public var expectedTag: String?

    public init(
        _ operation: Operation,
        featureID: String?,
        values: [String]? = nil,
        longitude: Double? = nil,
        latitude: Double? = nil,
        expectedTag: String? = nil
    ) {
        self.operation = operation
        self.featureID = featureID
        self.values = values
        self.longitude = longitude
        self.latitude = latitude
        self.expectedTag = expectedTag
    }
}

/// What an edit made: the release it is in, and each record after it (nil for a delete), in the edits' order.
public struct EditResult: Sendable {
    public var release: Release
    public var records: [EditedRecord?]
}

/// One entry of the change log.
public struct Change: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case create, update, delete
    }

    /// Increases with every change, across datasets: the feed's cursor.
    public var seq: Int64
    public var dataset: String
    public var release: Int
    public var featureID: String
    public var kind: Kind
    public var at: Date
    public var actor: String
    /// The columns of the values (the version's), when that version is still stored.
    public var columns: [String]?
    public var before: [String]?
    public var after: [String]?
    public var longitude: Double?
    public var latitude: Double?
    public var geometry: String?
}

/// A page of the change feed.
public struct ChangePage: Sendable {
    public var changes: [Change]
    /// The cursor to ask from next (the last change's sequence number, or `since` when there was none).
    public var next: Int64
    /// True when more changes follow `next` already.
    public var more: Bool
}

/// The change log read as history: what a record was at each change, what a dataset was at a moment.
public protocol HistoryStore: Sendable {
    /// Every live change of one record, oldest first: its creation, updates, deletion (and creation again …). Empty
    /// when the log never held it.
    func history(_ dataset: String, featureID: String) throws -> [Change]
    /// The records of `datasets` as readers saw them at `moment`: each one's last change up to then, deletions left
    /// out, in the order the records first appeared. Reads the log up to then: throws (invalid request) when that is
    /// more than `limit` changes.
    func state(of datasets: [String], at moment: Date, limit: Int) throws -> DatasetState
}

/// The records at a moment (each one's last change), and the last change up to then (nil: none yet).
public struct DatasetState: Sendable {
    public var records: [Change]
    public var latest: Change?
}
