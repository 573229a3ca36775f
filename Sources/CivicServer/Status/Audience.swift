import CivicData
import CivicStore
import Foundation
import Hummingbird

/// Who reads a collection, for the records a status table keeps from the public (情報公開可否 否: a shelter for DV
/// victims, a welfare shelter staff do not announce). The public reads without them — in items, one feature, the
/// change feed and its events, versions, downloads and the CKAN DataStore; staff of the municipality (a token of
/// any role) and the portal's admin read them too. Collections without a status table are everyone's: no token is
/// looked at. Responses that show hidden records are not cached and say `Cache-Control: private`.
struct Audience: Sendable {
    /// The datasets of the collection whose hidden records this reader may not see, by ID: the column of
    /// 情報公開可否 in each.
    let hidden: [String: Int]
    /// True when the reader sees records others do not (the response is theirs alone).
    let personal: Bool

    static let everyone = Audience(hidden: [:], personal: false)
    static let notPublic = "否"

    /// The reader of `datasets` that `request` is. A token that is not valid is a 401 (as on writes), so that staff
    /// are not shown the public view unawares.
    static func of(_ request: Request, reading datasets: [StoredDataset], authenticator: Authenticator) throws -> Audience {
        let tables = datasets.compactMap { dataset in
            dataset.standard == ShelterStatus.schemaID ? dataset.columns.firstIndex(of: ShelterStatus.Column.isPublic).map { (dataset, $0) } : nil
        }
        guard !tables.isEmpty else { return .everyone }
        let principal = try authenticator.principal(request)
        var hidden: [String: Int] = [:]
        for (dataset, column) in tables where principal?.may(.editor, write: dataset) != true { hidden[dataset.id] = column }
        return Audience(hidden: hidden, personal: hidden.count < tables.count)
    }

    /// True when the reader may not see a record of `dataset` with these values.
    func hides(_ dataset: String, _ values: [String]) -> Bool {
        guard let column = hidden[dataset] else { return false }
        return column < values.count && values[column] == Audience.notPublic
    }

    /// The records to leave out of a page of `selector`'s (nil: none). Status tables share one layout, so one column.
    func hiddenRecords(_ selector: CollectionSelector) -> HiddenRecords? {
        let members = selector.members.filter { hidden[$0.datasetID] != nil }
        guard let column = members.first.flatMap({ hidden[$0.datasetID] }) else { return nil }
        return HiddenRecords(versions: members.map(\.version), column: column, value: Audience.notPublic)
    }

    /// A change as this reader sees it: as it is; nil when the record was hidden before and after; a deletion when it
    /// became hidden; a creation when it stopped being hidden.
    func view(_ change: Change) -> Change? {
        guard let own = hidden[change.dataset] else { return change }
        // The column by name in the values' own columns (the version the change was made in).
        let column = change.columns?.firstIndex(of: ShelterStatus.Column.isPublic) ?? own
        return change.seen { values in !(column < values.count && values[column] == Audience.notPublic) }
    }

    /// How a response for this reader is kept: in the shared cache, or not (its own).
    var cacheable: Bool { !personal }
}

/// Property filters on the change feed (`?状態=開設`): the changes of records that match, as a follower of only those
/// records sees them (`Change.seen`).
struct ChangeFilter: Sendable {
    /// Property name → the value it must have.
    var properties: [String: String] = [:]

    /// The filters as one string (equal filters, equal key).
    var key: String { properties.sorted { $0.key < $1.key }.map { $0.key + "=" + $0.value }.joined(separator: "&") }

    func view(_ change: Change) -> Change? {
        guard !properties.isEmpty else { return change }
        // By name in the values' own columns.
        let columns = change.columns ?? []
        let indexes = properties.map { (columns.firstIndex(of: $0.key), $0.value) }
        return change.seen { values in
            indexes.allSatisfy { index, value in index.map { $0 < values.count && values[$0] == value } ?? false }
        }
    }
}

extension Change {
    /// This change as someone who sees only the records `shows` accepts sees it: as it is; nil when the record was
    /// not shown before nor after; a deletion when it stopped being shown; a creation when it started.
    func seen(_ shows: ([String]) -> Bool) -> Change? {
        switch (before.map(shows), after.map(shows)) {
        case (false?, false?), (false?, nil), (nil, false?): return nil
        case (true?, false?):
            var deletion = self
            deletion.kind = .delete
            deletion.after = nil
            return deletion
        case (false?, true?):
            var creation = self
            creation.kind = .create
            return creation
        default: return self
        }
    }
}
