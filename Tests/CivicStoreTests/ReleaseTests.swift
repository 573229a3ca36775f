import CivicData
import Foundation
import GRDB
import Synchronization
import Testing

@testable import CivicStore

/// Releases: an upload kept as a draft readers do not see, published in one transaction, diffed by record ID,
/// rolled back, discarded; each step in the log.
@Suite struct ReleaseTests {
    static let staff = Actor.token(
        Principal(tokenID: "0123456789abcdef", organisation: .municipality("222127"), role: .publisher, name: "焼津市"),
        origin: "127.0.0.1"
    )

    /// 焼津市's AED list with NO 2 removed, NO 1's 設置位置 changed and a NO 999 added; or with a 全国地方公共団体コード whose
    /// check digit is wrong (a report with errors).
    static func edited(_ folder: URL, broken: Bool = false) throws -> URL {
        let original = try String(contentsOf: Loading.folder("yaizu-aed").appendingPathComponent("data.csv"), encoding: .utf8)
        // CRLF, as 焼津市 writes it (one Character in Swift: split on the string, not on "\n").
        var lines = original.components(separatedBy: "\r\n")
        lines[1] = lines[1].replacingOccurrences(of: "２階正面入口", with: "１階ロビー")
        let added = lines[3].replacingOccurrences(of: "0000000003", with: "0000000999")
        lines.remove(at: 2)
        lines.insert(added, at: lines.count - 1)
        if broken { lines[4] = lines[4].replacingOccurrences(of: "222127,", with: "222128,") }
        let url = folder.appendingPathComponent("data.csv")
        try lines.joined(separator: "\r\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func draft(_ store: Store, file: URL? = nil, note: String? = nil) throws -> Release {
        let (version, report) = try Loading.write("yaizu-aed", file: file, into: store)
        return try version.commitDraft(report, by: staff, note: note)
    }

    @Test func aDraftIsUnseenUntilPublishedAtOnce() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store.inMemory()
        try Loading.load(["yaizu-aed"], into: store)
        let before = try #require(try store.dataset(id: "yaizu-aed"))
        let draft = try Self.draft(store, file: try Self.edited(folder), note: "NO 2 撤去")
        // The folder's load is release 1.
        #expect(try store.release(of: "yaizu-aed", number: 1)?.author == "folder:yaizu-aed")
        #expect(draft.number == 2 && draft.state == .draft && draft.recordCount == 82 && draft.valid && draft.note == "NO 2 撤去")
        #expect(try store.dataset(id: "yaizu-aed") == before)
        #expect(try store.versionCounts() == ["live": 1, "draft": 1])
        let published = try store.publish("yaizu-aed", number: 2, by: Self.staff, override: nil)
        #expect(published.state == .live && published.publishedBy == "token:0123456789abcdef" && published.published != nil)
        let after = try #require(try store.dataset(id: "yaizu-aed"))
        #expect(after.version == draft.version && after.version != before.version)
        // The folder's release is superseded, its records kept for rollback.
        #expect(try store.versionCounts() == ["live": 1, "archived": 1])
        #expect(try store.releases(of: "yaizu-aed").map(\.state) == [.live, .superseded])
        // Publishing it again is a conflict; nothing changes.
        let again = try #require(throws: StoreError.self) { try store.publish("yaizu-aed", number: 2, by: Self.staff, override: nil) }
        #expect(again.code == .conflict)
        let missing = try #require(throws: StoreError.self) { try store.publish("yaizu-aed", number: 9, by: Self.staff, override: nil) }
        #expect(missing.code == .notFound)
        #expect(try store.auditLog(limit: 5, before: nil).map(\.action) == ["release.publish", "release.draft", "release.load"])
    }

    @Test func theDiffSaysWhatChangedByID() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store.inMemory()
        _ = try Self.draft(store)
        _ = try store.publish("yaizu-aed", number: 1, by: Self.staff, override: nil)
        _ = try Self.draft(store, file: try Self.edited(folder))
        let diff = try store.diff("yaizu-aed", from: 1, to: 2)
        #expect(diff.added == ["0000000999"] && diff.removed == ["0000000002"])
        #expect(diff.changed == [ReleaseDiff.Changed(id: "0000000001", fields: ["設置位置"])])
        #expect(diff.unchanged == 80 && diff.columnsAdded.isEmpty && diff.columnsRemoved.isEmpty)
        #expect(diff.addedCount == 1 && diff.removedCount == 1 && diff.changedCount == 1)
        #expect(try store.diff("yaizu-aed", from: 2, to: 2).unchanged == 82)
    }

    @Test func rollbackPublishesAnEarlierReleaseAgain() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store.inMemory()
        let first = try Self.draft(store)
        _ = try store.publish("yaizu-aed", number: 1, by: Self.staff, override: nil)
        _ = try Self.draft(store, file: try Self.edited(folder))
        _ = try store.publish("yaizu-aed", number: 2, by: Self.staff, override: nil)
        #expect(try store.versionCounts() == ["live": 1, "archived": 1])
        let third = try store.rollback("yaizu-aed", to: 1, by: Self.staff, note: "誤りのため戻す")
        #expect(third.number == 3 && third.state == .live && third.version == first.version && third.rollbackOf == 1)
        #expect(try store.dataset(id: "yaizu-aed")?.version == first.version)
        #expect(try store.releases(of: "yaizu-aed").map(\.state) == [.live, .superseded, .superseded])
        #expect(try store.versionCounts() == ["live": 1, "archived": 1])
        // Garbage collection keeps what releases need.
        #expect(try store.collectGarbage() == 0)
        // Back to 2 again; rolling back to the live one is a conflict.
        _ = try store.rollback("yaizu-aed", to: 2, by: Self.staff, note: nil)
        let live = try #require(throws: StoreError.self) { try store.rollback("yaizu-aed", to: 4, by: Self.staff, note: nil) }
        #expect(live.code == .conflict)
        #expect(try store.auditLog(limit: 1, before: nil).first?.action == "release.rollback")
    }

    @Test func aDraftWithErrorsNeedsAnOverrideAndADraftCanBeDiscarded() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store.inMemory()
        let broken = try Self.draft(store, file: try Self.edited(folder, broken: true))
        #expect(!broken.valid)
        let refused = try #require(throws: StoreError.self) { try store.publish("yaizu-aed", number: 1, by: Self.staff, override: "  ") }
        #expect(refused.code == .invalidRequest && refused.message.contains("override"))
        #expect(try store.dataset(id: "yaizu-aed") == nil)
        let published = try store.publish("yaizu-aed", number: 1, by: Self.staff, override: "緯度は後日修正")
        #expect(published.override == "緯度は後日修正")
        #expect(try store.auditLog(limit: 1, before: nil).first?.detail == "override: 緯度は後日修正")
        let spare = try Self.draft(store)
        let discarded = try store.discard("yaizu-aed", number: spare.number, by: Self.staff)
        #expect(discarded.state == .discarded)
        #expect(try store.collectGarbage() == 1)
        #expect(try store.versionCounts() == ["live": 1])
    }

    @Test func aFolderLoadOverAReleaseKeepsItsRecordsForRollback() throws {
        let store = try Store.inMemory()
        _ = try Self.draft(store)
        _ = try store.publish("yaizu-aed", number: 1, by: Self.staff, override: nil)
        try Loading.load(["yaizu-aed"], into: store)
        #expect(try store.releases(of: "yaizu-aed").map(\.state) == [.live, .superseded])
        #expect(try store.releases(of: "yaizu-aed").first?.author == "folder:yaizu-aed")
        #expect(try store.versionCounts() == ["live": 1, "archived": 1])
        #expect(try store.rollback("yaizu-aed", to: 1, by: Self.staff, note: nil).number == 3)
        // Garbage collection keeps the records of the newest replaced releases only.
        for _ in 0..<Store.keptReleases + 1 { try Loading.load(["yaizu-aed"], into: store) }
        _ = try store.collectGarbage()
        #expect(try store.versionCounts() == ["live": 1, "archived": Store.keptReleases])
        let gone = try #require(throws: StoreError.self) { try store.rollback("yaizu-aed", to: 1, by: Self.staff, note: nil) }
        #expect(gone.code == .conflict && gone.message.contains("no longer kept"))
    }

    @Test func draftsSurviveARestart() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("civic.sqlite").path
        do {
            let store = try Store(path: path)
            _ = try Self.draft(store)
        }
        let reopened = try Store(path: path)
        #expect(try reopened.releases(of: "yaizu-aed").map(\.state) == [.draft])
        #expect(try reopened.collectGarbage() == 0)
        #expect(try reopened.publish("yaizu-aed", number: 1, by: Self.staff, override: nil).recordCount == 82)
        #expect(try reopened.integrityCheck() == "ok")
    }
}

/// Publishers racing, readers reading during publishes.
@Suite struct ReleaseConcurrencyTests {
    @Test func ofPublishersRacingOnOneDraftOneWins() throws {
        let store = try Store.inMemory()
        try Loading.load(["yaizu-aed"], into: store)
        let draft = try ReleaseTests.draft(store)
        let outcomes = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let outcome: String
            do {
                _ = try store.publish("yaizu-aed", number: draft.number, by: ReleaseTests.staff, override: nil)
                outcome = "published"
            } catch let error as StoreError {
                outcome = "\(error.code)"
            } catch {
                outcome = "\(error)"
            }
            outcomes.withLock { $0.append(outcome) }
        }
        let all = outcomes.withLock { $0 }
        #expect(all.filter { $0 == "published" }.count == 1 && all.filter { $0 == "conflict" }.count == 7)
        #expect(try store.releases(of: "yaizu-aed").map(\.state) == [.live, .superseded])
    }

    @Test func readersDuringPublishesSeeWholeReleases() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("civic.sqlite").path)
        try Loading.load(["yaizu-aed"], into: store)  // release 1: 82 records
        let edited = try ReleaseTests.edited(folder)
        let lines = try String(contentsOf: edited, encoding: .utf8).components(separatedBy: "\r\n")
        let smaller = folder.appendingPathComponent("smaller.csv")
        try lines.prefix(41).joined(separator: "\r\n").write(to: smaller, atomically: true, encoding: .utf8)
        _ = try ReleaseTests.draft(store, file: smaller)  // release 2: 40 records
        _ = try store.publish("yaizu-aed", number: 2, by: ReleaseTests.staff, override: nil)
        let stop = Mutex(false)
        let seen = Mutex<Set<Int>>([])
        let group = DispatchGroup()
        for _ in 0..<8 {
            group.enter()
            Thread {
                defer { group.leave() }
                while !stop.withLock({ $0 }) {
                    // One snapshot: the live version, then its features (a version switched meanwhile is kept until
                    // collected, so the whole of it is read).
                    guard let live = try? store.dataset(id: "yaizu-aed"),
                        let page = try? store.features(in: .dataset(live), limit: 1000, offset: 0)
                    else { continue }
                    seen.withLock { $0.insert(page.features.count) }
                }
            }.start()
        }
        for round in 0..<20 {
            _ = try store.rollback("yaizu-aed", to: round % 2 == 0 ? 1 : 2, by: ReleaseTests.staff, note: nil)
        }
        stop.withLock { $0 = true }
        group.wait()
        let counts = seen.withLock { $0 }
        #expect(!counts.isEmpty && counts.isSubset(of: [82, 40]))
        #expect(try store.integrityCheck() == "ok")
    }
}
