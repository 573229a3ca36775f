import CivicData
import Foundation
import Testing

@testable import CivicStore

/// The catalogue's change feed (`catalog_state`, kept by triggers): each dataset once, moved to the end by every
/// change a reader or harvester would see — a load, a publish, a rollback, a live record edit, a metadata change —
/// and not by drafts or refused edits; a removed dataset stays as a tombstone until it is made again.
@Suite struct CatalogStateTests {
    static let publisher = ReleaseTests.staff

    @Test func everyVisibleChangeMovesTheDatasetAndARemovalLeavesATombstone() throws {
        let store = try Store.inMemory()
        try Loading.load(["yaizu-aed", "ichikawa-aed"], into: store)
        let first = try store.catalogChanges(since: 0, limit: 10)
        #expect(Set(first.map(\.id)) == ["yaizu-aed", "ichikawa-aed"] && first.allSatisfy { !$0.deleted })
        #expect(first.map(\.seq) == first.map(\.seq).sorted() && first.allSatisfy { $0.created <= $0.modified })
        let yaizu = try #require(first.first { $0.id == "yaizu-aed" })
        #expect(yaizu.title == "焼津市 AED設置箇所一覧" && yaizu.municipalityCode == "222127" && yaizu.standard == "aed")
        var cursor = try #require(first.last?.seq)

        // A live edit: yaizu-aed moves to the end, once.
        let values = try ChangeLogTests.changed(store, "0000000001", "設置位置", "屋上")
        _ = try store.edit("yaizu-aed", [RecordEdit(.replace, featureID: "0000000001", values: values)], in: .live, by: Self.publisher, note: nil)
        let edited = try store.catalogChanges(since: cursor, limit: 10)
        #expect(edited.map(\.id) == ["yaizu-aed"] && edited[0].created == yaizu.created && edited[0].modified >= yaizu.modified)
        cursor = edited[0].seq

        // A refused edit and a draft change nothing the feed shows.
        _ = try? store.edit("yaizu-aed", [RecordEdit(.delete, featureID: "nope")], in: .live, by: Self.publisher, note: nil)
        let draft = try ReleaseTests.draft(store)
        #expect(try store.catalogChanges(since: cursor, limit: 10).isEmpty)

        // Publishing the draft does.
        _ = try store.publish("yaizu-aed", number: draft.number, by: Self.publisher, override: nil)
        let published = try store.catalogChanges(since: cursor, limit: 10)
        #expect(published.map(\.id) == ["yaizu-aed"])
        cursor = published[0].seq

        // Removed: a tombstone, with when.
        #expect(try store.remove("ichikawa-aed", by: Self.publisher))
        let removed = try store.catalogChanges(since: cursor, limit: 10)
        #expect(removed.map(\.id) == ["ichikawa-aed"] && removed[0].deleted && removed[0].title == "市川市 AED設置箇所一覧")
        #expect(try store.catalogEntries()["ichikawa-aed"]?.deleted == true && store.catalogEntries().count == 2)
        cursor = removed[0].seq

        // Made again: active, created anew.
        try Loading.load(["ichikawa-aed"], into: store)
        let again = try store.catalogChanges(since: cursor, limit: 10)
        #expect(again.map(\.id) == ["ichikawa-aed"] && !again[0].deleted && again[0].created > removed[0].created)
        // Paging: `limit` and the cursor walk the whole feed, each dataset once, in order.
        let all =
            try store.catalogChanges(since: 0, limit: 1)
            + store.catalogChanges(since: try #require(store.catalogChanges(since: 0, limit: 1).last?.seq), limit: 9)
        #expect(all.map(\.id) == ["yaizu-aed", "ichikawa-aed"])
    }
}
