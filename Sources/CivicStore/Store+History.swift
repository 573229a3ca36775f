public import Foundation
import GRDB

/// A record's history and a dataset's state at a moment, read from the change log (the versions readers saw: live
/// releases and live edits). Migration v10 indexes the log by record.
extension Store: HistoryStore {
    public func history(_ dataset: String, featureID: String) throws -> [Change] {
        try read { db in
            var columnsByVersion: [Int64: [String]?] = [:]
            var changes: [Change] = []
            // Its own rows (updates, deletions, creations by edits; spans' records changed since have rows too) …
            let rows = try Store.changeRows(
                where: "c.dataset_id = ? AND c.feature_id = ? AND c.live = 1",
                [dataset, featureID],
                db
            )
            while let row = try rows.next() { changes.append(try Store.change(row, &columnsByVersion, db).0) }
            // … and its creation in a span (span rows have the ID ''): the span of a version that holds it.
            let spans = try Store.changeRows(where: "c.dataset_id = ? AND c.feature_id = '' AND c.live = 1", [dataset], db)
            while let row = try spans.next() {
                let (span, version) = try Store.change(row, &columnsByVersion, db)
                guard let from: Int = row["span_from"], let to: Int = row["span_to"],
                    let position = try Int.fetchOne(
                        db,
                        sql: "SELECT seq FROM feature WHERE version = ? AND feature_id = ?",
                        arguments: [version, featureID]
                    ),
                    (from...to).contains(position)
                else { continue }
                try Store.spanChanges(span, version: version, from: position, to: to, after: 0, limit: 1, db) { changes.append($0) }
            }
            return changes.sorted { $0.seq < $1.seq }
        }
    }

    public func state(of datasets: [String], at moment: Date, limit: Int) throws -> DatasetState {
        guard !datasets.isEmpty else { return DatasetState(records: [], latest: nil) }
        return try read { db in
            // Each record's last change up to then, in the order the records first appeared.
            var order: [String: Int] = [:]
            var last: [Change?] = []
            var latest: Change?
            var read = 0
            try Store.visitChanges(of: datasets, since: 0, until: Store.timestamp(moment), limit: Int.max, db) { change in
                read += 1
                guard read <= limit else {
                    throw StoreError(
                        code: .invalidRequest,
                        message: "the history up to then holds more than \(limit) changes; read the change feed instead"
                    )
                }
                let key = change.dataset + "\u{0}" + change.featureID
                if let index = order[key] {
                    last[index] = change
                } else {
                    order[key] = last.count
                    last.append(change)
                }
                latest = change
            }
            return DatasetState(records: last.compactMap { $0 }.filter { $0.kind != .delete }, latest: latest)
        }
    }

    /// v10: the log by record (a record's history; span rows, ID '', by dataset).
    static func migrateChangeHistory(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX change_by_feature ON change(dataset_id, feature_id, seq)")
    }
}
