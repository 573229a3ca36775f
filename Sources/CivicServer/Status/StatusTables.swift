import CivicData
import CivicIngest
import CivicStore
import Foundation
import Synchronization

/// Keeps the status table of each shelter list (`ShelterStatus`: a 指定避難所一覧 or 指定緊急避難場所一覧 dataset) in step
/// with the list: made when the list is first seen live — one 未開設 record per shelter, 収容人数 and 福祉避難所 from
/// the list, through the pipeline like any table — and, when the list changes, a 未開設 record for each shelter new
/// to it and the 名称, 避難所種別 and point of listed shelters following it. A shelter's status is never reset, and a
/// shelter that leaves the list keeps its record (a mistaken upload of the list loses no status). The writes are the
/// list's (`Actor.shelterList`), in the change log like any edit. docs/shelter-status.md.
final class StatusTables: Sendable {
    let store: Store
    /// The list revisions already brought in step (dataset id → `StoredDataset.revision`).
    let synced: Mutex<[String: String]>

    init(store: Store) {
        self.store = store
        synced = Mutex([:])
    }

    /// The status table's dataset id for shelter list `id`.
    static func id(of list: String) -> String { list + "-status" }

    /// The pipeline's catalogue for status tables (the table is Civic's, not a national standard dataset: the
    /// server's catalogue for uploads and recognition does not hold it).
    static let catalog = SchemaCatalog(schemas: [ShelterStatus.schema])

    /// Brings the status table of every shelter list whose revision changed since the last call in step; true when
    /// a table was made or changed. One call at a time (the lock is held throughout): the load thread's refreshes and
    /// the requests' could otherwise both find a table missing and both make it.
    @discardableResult
    func sync() throws -> Bool {
        try synced.withLock { synced in
            let datasets = try store.datasets()
            var changed = false
            for list in datasets where ShelterStatus.shelterSchemas.contains(list.standard) && synced[list.id] != list.revision {
                let table = datasets.first { $0.id == StatusTables.id(of: list.id) }
                changed = try (table.map { try update($0, from: list) } ?? make(from: list)) || changed
                synced[list.id] = list.revision
            }
            return changed
        }
    }

    /// `sync()`, a failure reported as the failure `status` of `status` (on /health and the pages) rather than thrown:
    /// the site goes on without the change. True when a table was made or changed.
    @discardableResult
    func sync(reportingTo status: LoadStatus) -> Bool {
        do {
            let changed = try sync()
            status.update { $0.failures["status"] = nil }
            return changed
        } catch {
            status.update {
                $0.failures["status"] = LoadStatus.Failure(origin: "status", message: "status tables not kept in step: \(error)", at: Date())
            }
            return false
        }
    }

    /// A status record's values in `columns` after `patch` (`ShelterStatus.apply`: column → value, nil to empty) is
    /// applied to `current` (nil: a shelter opened outside the list) by `actor`, now. Every write path (Part 4, the
    /// CKAN DataStore, the staff page) comes through here.
    static func values(after patch: [String: String?], to current: EditedRecord?, columns: [String], by actor: Actor) throws(ShelterStatus.Rejected)
        -> [String]
    {
        let record = current.map { Dictionary(zip(columns, $0.values), uniquingKeysWith: { first, _ in first }) }
        let after = try ShelterStatus.apply(patch, to: record, by: actor.name, at: Date())
        return columns.map { after[$0] ?? "" }
    }

    /// True when `record` (in `columns`) is a listed shelter's status: not deleted while the list holds the shelter
    /// (staff close it or stand it down instead).
    static func isListed(_ record: [String], columns: [String]) -> Bool {
        columns.firstIndex(of: ShelterStatus.Column.adHoc).map { $0 < record.count && record[$0] != "1" } ?? false
    }

    /// The status records a list's shelters start with, in the list's order.
    func listedRecords(of list: StoredDataset) throws -> [[String: String]] {
        let page = try store.features(in: .dataset(list), limit: max(list.recordCount, 1), offset: 0)
        let kind: ShelterStatus.Kind = list.standard == "shelter" ? .shelter : .evacuationSpace
        return page.features.map { feature in
            func value(_ column: String) -> String {
                list.columns.firstIndex(of: column).map { $0 < feature.values.count ? feature.values[$0] : "" } ?? ""
            }
            typealias Column = ShelterStatus.Column
            var record = Dictionary(uniqueKeysWithValues: Column.all.map { ($0, "") })
            record[Column.id] = feature.featureID
            record[Column.name] = value("名称")
            record[Column.kind] = kind.rawValue
            record[Column.state] = ShelterStatus.State.notOpen.rawValue
            let capacity = value("想定収容人数")
            record[Column.capacity] = capacity.utf8.allSatisfy { (0x30...0x39).contains($0) } ? capacity : ""
            record[Column.welfare] = value("福祉避難所") == "1" ? "1" : ""
            record[Column.isPublic] = "可"
            record[Column.latitude] = feature.latitude.map { "\($0)" } ?? ""
            record[Column.longitude] = feature.longitude.map { "\($0)" } ?? ""
            return record
        }
    }

    /// Makes the status table of `list`, live at once (release 1, by the list).
    private func make(from list: StoredDataset) throws -> Bool {
        let output = ByteWriter()
        let writer = try CSVWriter(output: output)
        try writer.writeHeader(ShelterStatus.Column.all)
        for (index, record) in try listedRecords(of: list).enumerated() {
            try writer.writeRow(ShelterStatus.Column.all.map { record[$0] ?? "" }, line: index + 2)
        }
        try writer.finish()
        let id = StatusTables.id(of: list.id)
        let metadata = VersionMetadata(
            datasetID: id,
            title: list.title + "（開設状況）",
            municipalityCode: list.municipalityCode,
            municipality: list.municipality,
            license: list.license,
            licenseNote: list.licenseNote,
            attribution: list.attribution,
            source: "避難所開設状況: \(list.id)",
            updated: String(Store.timestamp(Date()).prefix(10)),
            file: "\(list.id) (status)",
            fingerprint: "status:\(list.id)",
            origin: VersionMetadata.apiOrigin
        )
        try store.writeVersion(metadata) { version in
            let report = try Ingest.run(
                .bytes(output.bytes, name: "\(id) (made from \(list.id))"),
                options: IngestOptions(read: ReadOptions(dataset: ShelterStatus.schemaID, catalog: StatusTables.catalog)),
                findings: JSONReportWriter(output: try ByteWriter(url: version.reportURL)),
                into: [version]
            )
            try version.commit(report, by: .shelterList(list.id), note: "\(list.id) の開設状況の表を作成")
        }
        return true
    }

    /// Adds the shelters new to `list` to its table and lets listed shelters' 名称, 避難所種別 and point follow the
    /// list; one transaction (all or nothing), by the list.
    private func update(_ table: StoredDataset, from list: StoredDataset) throws -> Bool {
        typealias Column = ShelterStatus.Column
        let columns = try store.editColumns(table.id, in: .live)
        let current = try store.features(in: .dataset(table), limit: max(table.recordCount, 1), offset: 0).features
        var byID: [String: [String: String]] = [:]
        for feature in current {
            byID[feature.featureID] = Dictionary(uniqueKeysWithValues: zip(table.columns, feature.values))
        }
        var edits: [RecordEdit] = []
        for listed in try listedRecords(of: list) {
            let id = listed[Column.id] ?? ""
            guard var record = byID[id] else {
                edits.append(StatusTables.edit(.create, listed, columns: columns))
                continue
            }
            // A shelter opened as 臨時 that the list now holds stays as staff made it.
            guard record[Column.adHoc] != "1" else { continue }
            let following = [Column.name, Column.kind, Column.latitude, Column.longitude]
            guard following.contains(where: { record[$0] != listed[$0] }) else { continue }
            for column in following { record[column] = listed[column] }
            edits.append(StatusTables.edit(.replace, record, columns: columns))
        }
        guard !edits.isEmpty else { return false }
        _ = try store.edit(table.id, edits, in: .live, by: .shelterList(list.id), note: "\(list.id) の更新に合わせて")
        return true
    }

    private static func edit(_ operation: RecordEdit.Operation, _ record: [String: String], columns: [String]) -> RecordEdit {
        RecordEdit(
            operation,
            featureID: record[ShelterStatus.Column.id],
            values: columns.map { record[$0] ?? "" },
            longitude: Double(record[ShelterStatus.Column.longitude] ?? ""),
            latitude: Double(record[ShelterStatus.Column.latitude] ?? "")
        )
    }
}
