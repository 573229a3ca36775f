import CivicData
import Foundation
import GRDB
import Testing

@testable import CivicStore

/// Versions: a load is invisible until it commits, a failed or crashed load leaves the live version, and replaced
/// versions are collected.
@Suite struct VersionTests {
    /// Rows stored for a version.
    static func rows(_ version: Int64, _ store: Store) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM feature WHERE version = ?", arguments: [version]) ?? 0 }
    }

    /// The first `count` records of 焼津市's AED file, in a temporary folder.
    static func shortened(_ count: Int, in folder: URL) throws -> URL {
        let lines = try String(contentsOf: Loading.folder("yaizu-aed").appendingPathComponent("data.csv"), encoding: .utf8)
            .components(separatedBy: "\r\n")
        let file = folder.appendingPathComponent("short.csv")
        try (lines.prefix(count + 1).joined(separator: "\r\n") + "\r\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func aNewVersionIsInvisibleUntilItCommitsAndOldReadersKeepTheirs() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("civic.sqlite").path)
        try Loading.load(["yaizu-aed"], into: store)
        let old = try #require(try store.dataset(id: "yaizu-aed"))
        #expect(old.recordCount == 82)

        let (version, report) = try Loading.write("yaizu-aed", file: try Self.shortened(10, in: folder), into: store)
        // Written, not committed: readers see the old version only.
        #expect(try store.dataset(id: "yaizu-aed") == old)
        #expect(try store.features(in: .dataset(old), limit: 1000, offset: 0).features.count == 82)
        try version.commit(report)

        let new = try #require(try store.dataset(id: "yaizu-aed"))
        #expect(new.version != old.version && new.recordCount == 10)
        #expect(try store.features(in: .dataset(new), limit: 1000, offset: 0).features.count == 10)
        // A request that began before the switch still reads the whole old version, until it is collected.
        #expect(try store.features(in: .dataset(old), limit: 1000, offset: 0).features.count == 82)
        // The replaced version is kept for rollback (release 1) while garbage collection keeps releases.
        #expect(try store.versionCounts() == ["live": 1, "archived": 1])
        #expect(try store.collectGarbage(chunk: 7) == 0)
        #expect(try store.collectGarbage(chunk: 7, keepingReleases: 0) == 1)
        #expect(try Self.rows(old.version, store) == 0)
        // A reader still holding the old snapshot is told, not answered short.
        let gone = try #require(throws: StoreError.self) { try store.features(in: .dataset(old), limit: 10, offset: 0) }
        #expect(gone.code == .versionGone)
        #expect(!FileManager.default.fileExists(atPath: old.reportFile))
        #expect(FileManager.default.fileExists(atPath: new.reportFile))
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func anAbandonedLoadLeavesTheLiveVersion() throws {
        let store = try Store.inMemory()
        try Loading.load(["yaizu-aed"], into: store)
        let live = try #require(try store.dataset(id: "yaizu-aed"))
        let (version, _) = try Loading.write("yaizu-aed", into: store)
        let key = try #require(version.key)
        #expect(try Self.rows(key, store) == 82)
        version.abandon()
        #expect(try store.dataset(id: "yaizu-aed") == live)
        _ = try store.collectGarbage()
        #expect(try Self.rows(key, store) == 0)
        #expect(try store.versionCounts() == ["live": 1])
    }

    /// A process that dies in the middle of a load (simulated: a version written, never committed, the store closed)
    /// leaves a store whose datasets are all at a complete version; opening it again retires the dead load.
    @Test func aLoadThatDiedIsRetiredWhenTheStoreOpens() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("civic.sqlite").path
        var key: Int64 = 0
        do {
            let store = try Store(path: path)
            try Loading.load(["yaizu-aed", "ichikawa-aed"], into: store)
            let (version, _) = try Loading.write("ichikawa-aed", into: store)
            key = try #require(version.key)
        }
        let reopened = try Store(path: path)
        #expect(try reopened.versionCounts() == ["live": 2, "retired": 1])
        #expect(try reopened.integrityCheck() == "ok")
        _ = try reopened.collectGarbage()
        #expect(try Self.rows(key, reopened) == 0)
        for dataset in try reopened.datasets() {
            #expect(try Self.rows(dataset.version, reopened) == dataset.recordCount)
        }
    }

    @Test func removingADatasetRetiresItsVersion() throws {
        let store = try Store.inMemory()
        try Loading.load(["yaizu-aed", "ichikawa-aed"], into: store)
        let yaizu = try #require(try store.dataset(id: "yaizu-aed"))
        #expect(try store.remove("yaizu-aed"))
        #expect(try store.remove("yaizu-aed") == false)
        #expect(try store.datasets().map(\.id) == ["ichikawa-aed"])
        // Its last release keeps its records (a removal by mistake loses nothing) until releases are not kept.
        _ = try store.collectGarbage()
        #expect(try Self.rows(yaizu.version, store) == 82)
        _ = try store.collectGarbage(keepingReleases: 0)
        #expect(try Self.rows(yaizu.version, store) == 0)
    }
}
