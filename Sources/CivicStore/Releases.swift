import CivicData
public import Foundation

/// A dataset's releases: each a complete version of its records, made from an upload as a *draft* (seen by its
/// municipality's accounts only), made live by *publishing* (one transaction: readers see the old release or the new
/// one, never a mix), and replaced by the next. *Rollback* publishes an earlier release's records again as a new
/// release. The SQLite `Store` implements it (migration v6); the server and the command line know the protocol.
public protocol ReleaseStore: Sendable {
    /// A dataset's releases, newest first.
    func releases(of dataset: String) throws -> [Release]
    /// One release; nil when there is none with that number.
    func release(of dataset: String, number: Int) throws -> Release?
    /// Makes a draft live. A draft whose report has errors needs `override` (a reason, recorded).
    func publish(_ dataset: String, number: Int, by actor: Actor, override: String?) throws -> Release
    /// Publishes an earlier release's records again, as a new release.
    func rollback(_ dataset: String, to number: Int, by actor: Actor, note: String?) throws -> Release
    /// Gives a draft up: it is never published, its records go with the next garbage collection.
    func discard(_ dataset: String, number: Int, by actor: Actor) throws -> Release
    /// What changes from release `from` to release `to`, by record ID.
    func diff(_ dataset: String, from: Int, to: Int) throws -> ReleaseDiff
    /// Sets a dataset's descriptive metadata (title, licence, attribution, source, update frequency) on its live version.
    func updateMetadata(_ dataset: String, _ metadata: DatasetMetadata, by actor: Actor) throws
    /// Takes a dataset out of the catalogue (its last release's records are kept while garbage collection keeps
    /// releases); false when there is no such dataset.
    func remove(_ dataset: String, by actor: Actor) throws -> Bool
}

/// What describes a dataset besides its records.
public struct DatasetMetadata: Sendable, Equatable {
    public var title: String
    public var license: String?
    public var licenseNote: String?
    public var attribution: String?
    public var source: String?
    /// How often its publisher updates it (`UpdateFrequency`'s name); nil when not declared.
    public var updateFrequency: String?

    public init(
        title: String,
        license: String? = nil,
        licenseNote: String? = nil,
        attribution: String? = nil,
        source: String? = nil,
        updateFrequency: String? = nil
    ) {
        self.title = title
        self.license = license
        self.licenseNote = licenseNote
        self.attribution = attribution
        self.source = source
        self.updateFrequency = updateFrequency
    }

    /// The metadata `dataset` has now.
    public init(of dataset: StoredDataset) {
        self.init(
            title: dataset.title,
            license: dataset.license,
            licenseNote: dataset.licenseNote,
            attribution: dataset.attribution,
            source: dataset.source,
            updateFrequency: dataset.updateFrequency?.rawValue
        )
    }
}

/// One release of a dataset.
public struct Release: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        /// Uploaded, not published: seen by its municipality's accounts only.
        case draft
        /// What readers get.
        case live
        /// Was live, replaced by a later release; its records are kept for rollback.
        case superseded
        /// A draft given up.
        case discarded
    }

    public var dataset: String
    /// 1, 2, 3 … per dataset.
    public var number: Int
    public var state: State
    /// The store version holding its records.
    public var version: Int64
    public var recordCount: Int
    /// False when its validation report has errors.
    public var valid: Bool
    /// Who made it (`token:<id>` or `cli:<user>`).
    public var author: String
    public var note: String?
    public var created: Date
    public var published: Date?
    public var publishedBy: String?
    /// For a release published with errors: the reason given.
    public var override: String?
    /// For a rollback: the release whose records it publishes again.
    public var rollbackOf: Int?
}

/// What changes between two releases of a dataset, by record ID (the schema's ID field, else the record's position).
public struct ReleaseDiff: Sendable, Equatable, Codable {
    public struct Changed: Sendable, Equatable, Codable {
        public var id: String
        /// The columns whose values differ (columns in both releases).
        public var fields: [String]
    }

    public var from: Int
    public var to: Int
    /// How many records were added, removed, changed.
    public var addedCount: Int
    public var removedCount: Int
    public var changedCount: Int
    /// The first `ReleaseDiff.listed` IDs of each (a whole new file would list a million).
    public var added: [String]
    public var removed: [String]
    public var changed: [Changed]
    public var unchanged: Int

    /// How many IDs each list holds at most.
    public static let listed = 1000

    /// No differences yet, between `from` and `to`.
    init(from: Int, to: Int, columnsAdded: [String] = [], columnsRemoved: [String] = []) {
        self.from = from
        self.to = to
        addedCount = 0
        removedCount = 0
        changedCount = 0
        added = []
        removed = []
        changed = []
        unchanged = 0
        self.columnsAdded = columnsAdded
        self.columnsRemoved = columnsRemoved
    }

    /// Counts a record added, removed or changed, listing its ID among the first `listed`.
    mutating func noteAdded(_ id: String) {
        addedCount += 1
        if added.count < ReleaseDiff.listed { added.append(id) }
    }

    mutating func noteRemoved(_ id: String) {
        removedCount += 1
        if removed.count < ReleaseDiff.listed { removed.append(id) }
    }

    mutating func noteChanged(_ id: String, fields: [String]) {
        changedCount += 1
        if changed.count < ReleaseDiff.listed { changed.append(Changed(id: id, fields: fields)) }
    }
    /// Columns only in the later release, and only in the earlier one.
    public var columnsAdded: [String]
    public var columnsRemoved: [String]
}
