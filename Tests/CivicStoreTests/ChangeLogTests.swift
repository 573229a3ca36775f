import CivicData
import CivicGeo
import Foundation
import GRDB
import Testing

@testable import CivicStore

/// The change log: every write — a folder load, a published draft, a record created, replaced or deleted, a rollback —
/// logs its changed records with their values before and after, in one transaction with the write; edits are checked
/// against the record's tag, all or nothing; an editor's edits join a draft; rollback undoes edits.
@Suite struct ChangeLogTests {
    static let publisher = ReleaseTests.staff
    static let id = "yaizu-aed"

    static func loaded() throws -> Store {
        let store = try Store.inMemory()
        try Loading.load([id], into: store)
        return store
    }

    /// Record `featureID`'s values with `column` set to `value`.
    static func changed(_ store: Store, _ featureID: String, _ column: String, _ value: String, in target: EditTarget = .live) throws -> [String] {
        let record = try #require(try store.record(id, id: featureID, in: target))
        let columns = try store.editColumns(id, in: target)
        var values = record.values
        values[try #require(columns.firstIndex(of: column))] = value
        return values
    }

    static func allChanges(_ store: Store, since: Int64 = 0) throws -> [Change] {
        try store.changes(of: [id], since: since, limit: 100_000).changes
    }

    /// Every live record, read page by page in file order (a page of 7), as feature IDs.
    static func pagedIDs(_ store: Store) throws -> [String] {
        let dataset = try #require(try store.dataset(id: id))
        var ids: [String] = []
        var offset = 0
        while true {
            let page = try store.features(in: .dataset(dataset), limit: 7, offset: offset)
            #expect(page.numberMatched == dataset.recordCount)
            if page.features.isEmpty { break }
            ids += page.features.map(\.featureID)
            offset += page.features.count
        }
        return ids
    }

    @Test func switchChangesKeepTheirValuesWhenTheRecordsChangeOrGo() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Self.loaded()
        let loaded = try Self.allChanges(store)
        let references = { () throws -> Int in try Self.references(store) }
        // The load's 82 creates are one span of the version's records: the version holds their values.
        #expect(try references() == 82)
        #expect(loaded.map(\.seq) == Array(loaded[0].seq..<loaded[0].seq + 82))
        // An edit in place gives the record a change of its own, with the values it had, first.
        let values = try Self.changed(store, "0000000001", "設置位置", "屋上")
        let record = try #require(try store.record(Self.id, id: "0000000001", in: .live))
        _ = try store.edit(
            Self.id,
            [
                RecordEdit(.replace, featureID: "0000000001", values: values, longitude: 138.3, latitude: 34.9, expectedTag: record.tag),
                RecordEdit(.delete, featureID: "0000000002"),
            ],
            in: .live,
            by: Self.publisher,
            note: nil
        )
        #expect(try references() == 80)
        var now = try Self.allChanges(store)
        #expect(Array(now.prefix(82)) == loaded)
        #expect(now[82].before == loaded[0].after && now[82].after == values && now[83].kind == .delete)
        // A published file: its changes refer to the new version; the old one, collected, leaves its values behind.
        _ = try ReleaseTests.draft(store, file: try ReleaseTests.edited(folder))
        _ = try store.publish(Self.id, number: 3, by: Self.publisher, override: nil)
        #expect(try store.collectGarbage(keepingReleases: 0) == 1)
        #expect(try references() > 0)
        now = try Self.allChanges(store)
        // The same changes, values and points (their columns are no longer known: the version is gone).
        let kept = now.prefix(82).map { ($0.seq, $0.featureID, $0.after, $0.longitude, $0.latitude) }
        #expect(kept.elementsEqual(loaded.map { ($0.seq, $0.featureID, $0.after, $0.longitude, $0.latitude) }, by: ==))
        #expect(now.prefix(82).allSatisfy { $0.columns == nil })
        let published = now.dropFirst(84)
        #expect(!published.isEmpty && published.allSatisfy { $0.release == 3 })
        for change in published where change.kind != .delete {
            let live = try #require(try store.record(Self.id, id: change.featureID, in: .live))
            #expect(change.after == live.values && change.longitude == live.longitude && change.latitude == live.latitude)
        }
    }

    @Test func copyingReferencedValuesEndsEvenForAMissingRecord() throws {
        let store = try Self.loaded()
        let version = try #require(try store.dataset(id: Self.id)).version
        // A change that refers to a record the version does not hold (it should never happen; its ID sorts first, so
        // it is in the first window): it must not stop the copy of the others, nor come back in every window.
        try store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO change (dataset_id, release, version, feature_id, kind, inplace, live, actor, at, by_reference)
                    VALUES (?, 1, ?, '+no-such-record', 'create', 0, 1, 'test', '2026-12-06T00:00:00.000Z', 1)
                    """,
                arguments: [Self.id, version]
            )
        }
        var windows = 0
        while try store.write({ db in try Store.materializeReferences(version: version, limit: 10, db) }) { windows += 1 }
        // The one change by reference and the first 10 of the span's 82 records, then 10 a window, the last 2.
        #expect(windows == 9)
        let left = try Self.references(store)
        let copied = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change WHERE after IS NOT NULL") ?? -1 }
        #expect(left == 0 && copied == 82)
    }

    /// Changes that read their values from a version: changes by reference, and the records spans hold.
    static func references(_ store: Store) throws -> Int {
        try store.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT (SELECT COUNT(*) FROM change WHERE by_reference = 1)
                        + (SELECT COUNT(*) FROM change c JOIN feature f ON f.key BETWEEN c.version << 32 | c.span_from AND c.version << 32 | c.span_to
                           WHERE c.span_from IS NOT NULL)
                    """
            ) ?? -1
        }
    }

    /// A switch logs its created records as spans, one row a run, whose records take the sequence numbers between;
    /// the feed pages through them like rows, from a cursor anywhere in them, and edits, deletes, record numbers
    /// used again and the version's collection leave every change as it was logged.
    @Test func spansOfCreatedRecordsReadLikeRowsThroughEditsAndCollection() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Self.loaded()
        let spans = { () throws -> Int in
            try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change WHERE span_from IS NOT NULL") ?? -1 }
        }
        #expect(try spans() == 1)
        let loaded = try Self.allChanges(store)
        #expect(loaded.count == 82 && loaded.allSatisfy { $0.kind == .create && $0.after != nil && $0.columns?[1] == "ID" })
        // File order; pages of every size from every cursor give the same changes.
        #expect(loaded.map(\.featureID) == (try Self.pagedIDs(store)) && loaded.map { $0.after?[1] } == loaded.map(\.featureID))
        for limit in [1, 7, 81, 82, 83] {
            var paged: [Change] = []
            var cursor: Int64 = 0
            while true {
                let page = try store.changes(of: [Self.id], since: cursor, limit: limit)
                paged += page.changes
                cursor = page.next
                if !page.more { break }
            }
            #expect(paged == loaded)
        }
        let middle = try #require(try store.changes(of: [Self.id], since: loaded[40].seq, limit: 3).changes.first)
        #expect(middle == loaded[41])
        // In place: the 41st record changed, the last deleted, one created (at the last one's position again).
        let values = try Self.changed(store, loaded[40].featureID, "備考", "中ほど")
        let last = try #require(try store.record(Self.id, id: loaded[81].featureID, in: .live))
        var created = last.values
        created[1] = "0000000998"
        _ = try store.edit(
            Self.id,
            [
                RecordEdit(.replace, featureID: loaded[40].featureID, values: values, longitude: 138.3, latitude: 34.9),
                RecordEdit(.delete, featureID: loaded[81].featureID),
                RecordEdit(.create, featureID: "0000000998", values: created, longitude: 138.31, latitude: 34.91),
            ],
            in: .live,
            by: Self.publisher,
            note: nil
        )
        #expect(try spans() == 2)
        var now = try Self.allChanges(store)
        #expect(Array(now.prefix(82)) == loaded)
        #expect(now.dropFirst(82).map(\.kind) == [.update, .delete, .create])
        #expect(now[82].before == loaded[40].after && now[82].after == values && now[84].after == created)
        // Rolled back to release 1 twice (the version made live again each time: its records in spans twice over),
        // then a file published and every replaced version collected: the log reads the same, values copied.
        _ = try ReleaseTests.draft(store, file: try ReleaseTests.edited(folder))
        _ = try store.publish(Self.id, number: 3, by: Self.publisher, override: nil)
        _ = try store.rollback(Self.id, to: 2, by: Self.publisher, note: nil)
        _ = try store.rollback(Self.id, to: 3, by: Self.publisher, note: nil)
        let before = try Self.allChanges(store)
        #expect(Set(before.map(\.seq)).count == before.count && before.map(\.seq) == before.map(\.seq).sorted())
        _ = try ReleaseTests.draft(store, file: try ReleaseTests.edited(folder))
        _ = try store.publish(Self.id, number: 6, by: Self.publisher, override: nil)
        let published = try Self.allChanges(store)
        let orphans = {
            try store.read { db in
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM change c WHERE span_from IS NOT NULL AND NOT EXISTS (SELECT 1 FROM version v WHERE v.key = c.version)"
                ) ?? -1
            }
        }
        #expect(try spans() >= 3)
        #expect(try store.collectGarbage(chunk: 5, keepingReleases: 0) >= 1)
        now = try Self.allChanges(store)
        // No span is left of a version that is gone.
        #expect(try orphans() == 0 && (try spans()) < 3)
        let content = { (changes: [Change]) in
            changes.map { "\($0.seq) \($0.featureID) \($0.kind) \($0.before ?? []) \($0.after ?? []) \($0.longitude ?? 0) \($0.latitude ?? 0)" }
        }
        #expect(content(now) == content(published))
        #expect(Array(now.prefix(82)).map(\.after) == loaded.map(\.after))
    }

    @Test func loadsAndPublishesLogEachChangedRecord() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Self.loaded()
        let loaded = try Self.allChanges(store)
        #expect(loaded.count == 82 && loaded.allSatisfy { $0.kind == .create && $0.release == 1 && $0.actor == "folder:yaizu-aed" })
        #expect(loaded.first?.after?[1] == "0000000001" && loaded.first?.columns?[1] == "ID")
        let cursor = try #require(loaded.last?.seq)
        _ = try ReleaseTests.draft(store, file: try ReleaseTests.edited(folder))
        // A draft is not in the feed.
        #expect(try store.changes(of: [Self.id], since: cursor, limit: 10).changes.isEmpty)
        _ = try store.publish(Self.id, number: 2, by: Self.publisher, override: nil)
        let published = try Self.allChanges(store, since: cursor)
        #expect(published.map(\.kind) == [.delete, .update, .create])
        #expect(published.map(\.featureID) == ["0000000002", "0000000001", "0000000999"])
        #expect(published.allSatisfy { $0.release == 2 && $0.actor == "token:0123456789abcdef" })
        let update = published[1]
        #expect(update.before?[18] == "２階正面入口" && update.after?[18] == "１階ロビー")
        #expect(published[0].after == nil && published[0].before?[1] == "0000000002")
        // Pages follow the cursor, and say when more follow.
        let first = try store.changes(of: [Self.id], since: cursor, limit: 2)
        #expect(first.changes.count == 2 && first.more && first.next == first.changes[1].seq)
        let second = try store.changes(of: [Self.id], since: first.next, limit: 2)
        #expect(second.changes.map(\.featureID) == ["0000000999"] && !second.more)
    }

    @Test func editsAreLiveAtOnceLoggedAndPagedWithoutGaps() throws {
        let store = try Self.loaded()
        let before = try #require(try store.record(Self.id, id: "0000000001", in: .live))
        let cursor = try #require(try Self.allChanges(store).last?.seq)
        let values = try Self.changed(store, "0000000001", "設置位置", "１階ロビー")
        let result = try store.edit(
            Self.id,
            [RecordEdit(.replace, featureID: "0000000001", values: values, longitude: 138.323171, latitude: 34.866918, expectedTag: before.tag)],
            in: .live,
            by: Self.publisher,
            note: "設置位置の訂正"
        )
        let after = try #require(result.records.first ?? nil)
        #expect(after.tag != before.tag && after.values[18] == "１階ロビー")
        #expect(result.release.number == 2 && result.release.state == .live && result.release.note == "設置位置の訂正")
        #expect(try store.releases(of: Self.id).map(\.state) == [.live, .superseded])
        #expect(try store.record(Self.id, id: "0000000001", in: .live) == after)
        // The box the new record goes into, counted (and the count cached) before.
        let box = StoredDataset.Envelope(minX: 138.29, minY: 34.89, maxX: 138.31, maxY: 34.91)
        let empty = try store.features(
            in: .dataset(try #require(try store.dataset(id: Self.id))),
            bbox: box,
            filters: [0: "222127"],
            limit: 10,
            offset: 0
        )
        #expect(empty.numberMatched == 0)
        // A new record (its ID from its values) and a deleted one: counts follow, pages in file order have no gap.
        var created = try Self.changed(store, "0000000003", "ID", "0000001000")
        created[3] = "新しい施設"
        _ = try store.edit(
            Self.id,
            [
                RecordEdit(.create, featureID: nil, values: created, longitude: 138.3, latitude: 34.9),
                RecordEdit(.delete, featureID: "0000000003"),
            ],
            in: .live,
            by: Self.publisher,
            note: nil
        )
        let dataset = try #require(try store.dataset(id: Self.id))
        #expect(dataset.recordCount == 82 && dataset.featureCount == 82)
        let ids = try Self.pagedIDs(store)
        #expect(ids.count == 82 && Set(ids).count == 82 && ids.last == "0000001000" && !ids.contains("0000000003"))
        // The new point is found by a box (the cached count of before is not used); the deleted one is not.
        #expect(try store.features(in: .dataset(dataset), bbox: box, limit: 10, offset: 0).features.map(\.featureID) == ["0000001000"])
        #expect(try store.features(in: .dataset(dataset), bbox: box, filters: [0: "222127"], limit: 10, offset: 0).numberMatched == 1)
        let changes = try Self.allChanges(store, since: cursor)
        #expect(changes.map(\.kind) == [.update, .create, .delete] && changes.map(\.release) == [2, 3, 3])
        #expect(changes[0].before == before.values && changes[0].after == values)
        #expect(try store.auditLog(limit: 1, before: nil).first?.detail == "create 0000001000, delete 0000000003")
        // Releases of one version: their diff is what the log says changed between them.
        let edited = try store.diff(Self.id, from: 1, to: 2)
        #expect(edited.changed == [ReleaseDiff.Changed(id: "0000000001", fields: ["設置位置"])] && edited.addedCount == 0 && edited.unchanged == 81)
        let both = try store.diff(Self.id, from: 1, to: 3)
        #expect(both.added == ["0000001000"] && both.removed == ["0000000003"] && both.changed.map(\.id) == ["0000000001"])
        #expect(try store.diff(Self.id, from: 3, to: 1).removed == ["0000001000"])
        #expect(try store.integrityCheck() == "ok")
    }

    /// A record's history and the dataset at a moment, from the log: a record created in the load's span, edited
    /// (its span split), deleted and made again; the states before, between and after.
    @Test func historyAndStatesAtMomentsFollowTheLog() throws {
        let store = try Self.loaded()
        let loaded = try #require(try Self.allChanges(store).last?.at)
        #expect(try store.history(Self.id, featureID: "0000000002").map(\.kind) == [.create])
        #expect(try store.history(Self.id, featureID: "nope").isEmpty)
        Thread.sleep(forTimeInterval: 0.01)
        let values = try Self.changed(store, "0000000001", "設置位置", "１階ロビー")
        _ = try store.edit(Self.id, [RecordEdit(.replace, featureID: "0000000001", values: values)], in: .live, by: Self.publisher, note: nil)
        let edited = try #require(try store.history(Self.id, featureID: "0000000001").last?.at)
        Thread.sleep(forTimeInterval: 0.01)
        let old = try #require(try store.record(Self.id, id: "0000000002", in: .live))
        _ = try store.edit(Self.id, [RecordEdit(.delete, featureID: "0000000002")], in: .live, by: Self.publisher, note: nil)
        Thread.sleep(forTimeInterval: 0.01)
        _ = try store.edit(
            Self.id,
            [RecordEdit(.create, featureID: "0000000002", values: old.values, longitude: old.longitude, latitude: old.latitude)],
            in: .live,
            by: Self.publisher,
            note: nil
        )
        let first = try store.history(Self.id, featureID: "0000000001")
        #expect(first.map(\.kind) == [.create, .update] && first[0].after?[18] != "１階ロビー" && first[1].after?[18] == "１階ロビー")
        #expect(first[0].actor != first[1].actor && first[0].seq < first[1].seq)
        let second = try store.history(Self.id, featureID: "0000000002")
        #expect(second.map(\.kind) == [.create, .delete, .create] && second.last?.after == old.values)
        // The states: before the load nothing; at the load 82 as loaded; after the edit its value; between the
        // deletion and the re-creation 81.
        #expect(try store.state(of: [Self.id], at: loaded.addingTimeInterval(-1), limit: 1000).records.isEmpty)
        let atLoad = try store.state(of: [Self.id], at: loaded, limit: 1000)
        #expect(atLoad.records.count == 82 && atLoad.latest?.at == loaded)
        let afterEdit = try store.state(of: [Self.id], at: edited, limit: 1000)
        #expect(afterEdit.records.first { $0.featureID == "0000000001" }?.after?[18] == "１階ロビー")
        let deletion = try #require(second.dropFirst().first?.at)
        let between = try store.state(of: [Self.id], at: deletion, limit: 1000)
        #expect(between.records.count == 81 && !between.records.contains { $0.featureID == "0000000002" })
        #expect(try store.state(of: [Self.id], at: Date(), limit: 1000).records.count == 82)
        // Too long a history to fold: refused, not read.
        #expect(throws: StoreError.self) { try store.state(of: [Self.id], at: Date(), limit: 10) }
    }

    @Test func aStaleTagOrAnImpossibleEditWritesNothing() throws {
        let store = try Self.loaded()
        let changesBefore = try Self.allChanges(store).count
        let record = try #require(try store.record(Self.id, id: "0000000001", in: .live))
        let values = try Self.changed(store, "0000000001", "設置位置", "屋上")
        let refusals: [([RecordEdit], StoreError.Code)] = [
            ([RecordEdit(.replace, featureID: "0000000001", values: values, expectedTag: "\"stale\"")], .preconditionFailed),
            (
                [
                    RecordEdit(
                        .upsert,
                        featureID: "0000009999",
                        values: try Self.changed(store, "0000000001", "ID", "0000009999"),
                        expectedTag: record.tag
                    )
                ], .preconditionFailed
            ),
            ([RecordEdit(.create, featureID: "0000000002", values: try Self.changed(store, "0000000002", "備考", "x"))], .conflict),
            ([RecordEdit(.replace, featureID: "0000009999", values: values)], .invalidRequest),  // the ID column says 0000000001
            ([RecordEdit(.delete, featureID: "0000009999")], .notFound),
            ([RecordEdit(.replace, featureID: "0000000001", values: ["too", "few"])], .invalidRequest),
            // All or nothing: the first edit is valid, the second is not; neither is written.
            ([RecordEdit(.replace, featureID: "0000000001", values: values), RecordEdit(.delete, featureID: "nope")], .notFound),
        ]
        for (edits, code) in refusals {
            let error = try #require(throws: StoreError.self) { try store.edit(Self.id, edits, in: .live, by: Self.publisher, note: nil) }
            #expect(error.code == code, "\(edits)")
        }
        #expect(try store.record(Self.id, id: "0000000001", in: .live) == record)
        #expect(try Self.allChanges(store).count == changesBefore)
        #expect(try store.releases(of: Self.id).count == 1)
        // `*` matches any existing record.
        _ = try store.edit(
            Self.id,
            [RecordEdit(.replace, featureID: "0000000001", values: values, expectedTag: "*")],
            in: .live,
            by: Self.publisher,
            note: nil
        )
        #expect(try store.record(Self.id, id: "0000000001", in: .live)?.values[18] == "屋上")
    }

    @Test func anEditorsEditsJoinOneDraftUntilPublished() throws {
        let store = try Self.loaded()
        let live = try #require(try store.dataset(id: Self.id))
        let cursor = try #require(try Self.allChanges(store).last?.seq)
        let first = try store.edit(
            Self.id,
            [RecordEdit(.replace, featureID: "0000000001", values: try Self.changed(store, "0000000001", "設置位置", "屋上", in: .draft))],
            in: .draft,
            by: Self.publisher,
            note: "下書き"
        )
        #expect(first.release.number == 2 && first.release.state == .draft && first.release.recordCount == 82)
        _ = try store.edit(Self.id, [RecordEdit(.delete, featureID: "0000000002")], in: .draft, by: Self.publisher, note: nil)
        // One draft; readers and the feed see nothing yet; the draft has both edits.
        #expect(try store.releases(of: Self.id).map(\.state) == [.draft, .live])
        #expect(try store.release(of: Self.id, number: 2)?.recordCount == 81)
        #expect(try store.dataset(id: Self.id) == live)
        #expect(try store.record(Self.id, id: "0000000001", in: .live)?.values[18] == "２階正面入口")
        #expect(try store.record(Self.id, id: "0000000001", in: .draft)?.values[18] == "屋上")
        #expect(try store.changes(of: [Self.id], since: cursor, limit: 10).changes.isEmpty)
        let diff = try store.diff(Self.id, from: 1, to: 2)
        #expect(diff.removed == ["0000000002"] && diff.changed.map(\.id) == ["0000000001"])
        _ = try store.publish(Self.id, number: 2, by: Self.publisher, override: nil)
        #expect(try Self.allChanges(store, since: cursor).map(\.kind) == [.delete, .update])
        #expect(try store.dataset(id: Self.id)?.recordCount == 81)
    }

    @Test func rollbackUndoesEditsWhereverTheRecordsAre() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Self.loaded()
        let original = try #require(try store.record(Self.id, id: "0000000001", in: .live))
        let originalIDs = try Self.pagedIDs(store)
        // Releases 2 and 3: live edits of the folder's version.
        _ = try store.edit(
            Self.id,
            [RecordEdit(.replace, featureID: "0000000001", values: try Self.changed(store, "0000000001", "設置位置", "屋上"))],
            in: .live,
            by: Self.publisher,
            note: nil
        )
        _ = try store.edit(Self.id, [RecordEdit(.delete, featureID: "0000000005")], in: .live, by: Self.publisher, note: nil)
        // Rolling back to 1 undoes both where they are, as changes of release 4.
        let cursor = try #require(try Self.allChanges(store).last?.seq)
        let rollback = try store.rollback(Self.id, to: 1, by: Self.publisher, note: nil)
        #expect(rollback.number == 4 && rollback.rollbackOf == 1 && rollback.recordCount == 82)
        #expect(try store.record(Self.id, id: "0000000001", in: .live)?.values == original.values)
        #expect(try Set(Self.pagedIDs(store)) == Set(originalIDs))
        #expect(try Self.allChanges(store, since: cursor).map(\.kind) == [.create, .update])
        // Release 5 edits again, release 6 publishes an upload (another version); rolling back to 5 — the records of
        // the version edited since release 5? none: it is made live again as it was.
        _ = try store.edit(
            Self.id,
            [RecordEdit(.replace, featureID: "0000000001", values: try Self.changed(store, "0000000001", "設置位置", "地下"))],
            in: .live,
            by: Self.publisher,
            note: nil
        )
        _ = try ReleaseTests.draft(store, file: try ReleaseTests.edited(folder))
        _ = try store.publish(Self.id, number: 6, by: Self.publisher, override: nil)
        #expect(try store.rollback(Self.id, to: 5, by: Self.publisher, note: nil).number == 7)
        #expect(try store.record(Self.id, id: "0000000001", in: .live)?.values[18] == "地下")
        // Back to 6 (the upload), then to 1: the folder's version was edited after release 1 (release 5), so a copy of
        // it is brought back to release 1's records and made live.
        _ = try store.rollback(Self.id, to: 6, by: Self.publisher, note: nil)
        let back = try store.rollback(Self.id, to: 1, by: Self.publisher, note: nil)
        let first = try store.release(of: Self.id, number: 1)
        #expect(back.number == 9 && back.version != first?.version)
        #expect(try store.record(Self.id, id: "0000000001", in: .live)?.values == original.values)
        #expect(try Set(Self.pagedIDs(store)) == Set(originalIDs))
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func repeatedRollbacksLogOnlyWhatDiffers() throws {
        let store = try Self.loaded()
        let original = try #require(try store.record(Self.id, id: "0000000001", in: .live))
        for round in 0..<6 {
            let values = try Self.changed(store, "0000000001", "備考", "訂正\(round)")
            _ = try store.edit(Self.id, [RecordEdit(.replace, featureID: "0000000001", values: values)], in: .live, by: Self.publisher, note: nil)
            let before = try Self.allChanges(store).count
            _ = try store.rollback(Self.id, to: 1, by: Self.publisher, note: nil)
            // One record differs from release 1: one change, however many rollbacks came before.
            #expect(try Self.allChanges(store).count == before + 1)
            #expect(try store.record(Self.id, id: "0000000001", in: .live) == original)
        }
        // Rolling back to what is already there changes nothing and logs nothing.
        let before = try Self.allChanges(store).count
        _ = try store.rollback(Self.id, to: 2, by: Self.publisher, note: nil)
        _ = try store.rollback(Self.id, to: 3, by: Self.publisher, note: nil)
        #expect(try Self.allChanges(store).count == before + 2)
    }

    /// The store's times are written by hand (RFC 3339 UTC, milliseconds) and read back, as ISO8601DateFormatter does.
    @Test func timestampsRoundTrip() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for seconds in [0.0, 1_733_450_000.123, 1_780_000_000.999, 951_782_400.5, 4_102_444_799.001] {
            let date = Date(timeIntervalSince1970: seconds)
            let text = Store.timestamp(date)
            #expect(text == formatter.string(from: date), "\(seconds)")
            let back = try #require(Store.date(text))
            #expect(abs(back.timeIntervalSince1970 - (seconds * 1000).rounded() / 1000) < 0.0001, "\(text)")
        }
        #expect(Store.date("2026-12-01T10:20:30Z") == ISO8601DateFormatter().date(from: "2026-12-01T10:20:30Z"))
        #expect(Store.date("2026-12-01T10:20:30+09:00") == ISO8601DateFormatter().date(from: "2026-12-01T10:20:30+09:00"))
        #expect(Store.date("not a time") == nil)
    }

    @Test func garbageCollectionKeepsVersionsNotReleases() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Self.loaded()
        _ = try ReleaseTests.draft(store, file: try ReleaseTests.edited(folder))
        _ = try store.publish(Self.id, number: 2, by: Self.publisher, override: nil)
        // Five edits: five releases sharing the live version. The folder's version is still one of the three kept.
        for index in 0..<5 {
            let values = try Self.changed(store, "0000000001", "備考", "訂正\(index)")
            _ = try store.edit(Self.id, [RecordEdit(.replace, featureID: "0000000001", values: values)], in: .live, by: Self.publisher, note: nil)
        }
        #expect(try store.releases(of: Self.id).count == 7)
        try store.collectGarbage()
        #expect(try store.versionCounts() == ["live": 1, "archived": 1])
        #expect(try store.rollback(Self.id, to: 1, by: Self.publisher, note: nil).number == 8)
    }
}
