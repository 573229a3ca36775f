import Foundation
import GRDB
import Testing

@testable import CivicStore

/// `kill -9` at any moment during loads leaves the store consistent: `PRAGMA integrity_check` is ok, nothing is left
/// loading after the store opens again, and every dataset is at a complete version (its rows are all there).
@Suite struct KillTests {
    /// 焼津市's AED records, `copies` times over with distinct IDs.
    static func aedFile(copies: Int) throws -> Data {
        let source = CommandTests.fixtures.appendingPathComponent("yaizu_aed.csv")
        let lines = try String(contentsOf: source, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        var text = lines[0] + "\r\n"
        for copy in 0..<copies {
            for line in lines.dropFirst() {
                var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                cells[1] = String(format: "%05d%@", copy, cells[1])
                text += cells.joined(separator: ",") + "\r\n"
            }
        }
        return Data(text.utf8)
    }

    static func dataset(_ id: String, in folder: URL, data: Data) throws {
        let dataset = folder.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        try data.write(to: dataset.appendingPathComponent("data.csv"))
        try Data(#"{"id": "\#(id)", "title": "\#(id)", "municipalityCode": "222127", "dataset": "aed", "file": "data.csv"}"#.utf8)
            .write(to: dataset.appendingPathComponent("dataset.json"))
    }

    /// Checks the store as a restarted server would find it; returns the record count of each dataset.
    static func check(_ path: String) throws -> [String: Int] {
        let store = try Store(path: path)
        #expect(try store.integrityCheck() == "ok")
        #expect(try store.versionCounts()["loading"] == nil)
        var counts: [String: Int] = [:]
        for dataset in try store.datasets() {
            let rows = try store.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM feature WHERE version = ?", arguments: [dataset.version]) ?? 0
            }
            #expect(rows == dataset.recordCount, "\(dataset.id): \(rows) rows for \(dataset.recordCount) records")
            counts[dataset.id] = dataset.recordCount
        }
        return counts
    }

    @Test func killNineDuringLoadsLeavesEveryDatasetComplete() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")
        let path = folder.appendingPathComponent("civic.sqlite").path
        let sizes = [120, 90]  // copies of the 82 records: 9,840 and 7,380 records
        let files = try sizes.map { try Self.aedFile(copies: $0) }
        try Self.dataset("small", in: data, data: try Self.aedFile(copies: 1))
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        // Rounds in which the kill caught a load in the middle (a version still `loading` before the store recovers).
        var interrupted = 0
        for round in 0..<12 {
            // Each round changes both large files, so each start loads them again.
            try Self.dataset("large-a", in: data, data: files[round % 2])
            try Self.dataset("large-b", in: data, data: files[(round + 1) % 2])
            let process = Process()
            process.executableURL = CommandTests.binary
            process.arguments = [
                "serve", "--data", data.path, "--db", path, "--port", String(Int.random(in: 20_000...32_000, using: &generator)),
                "--log-level", "critical",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0.1...1.6, using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
            let loading = try DatabaseQueue(path: path).read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM version WHERE state = 'loading'") ?? 0
            }
            if loading > 0 { interrupted += 1 }
            let counts = try Self.check(path)
            for id in ["large-a", "large-b"] where counts[id] != nil {
                #expect(sizes.map { $0 * 82 }.contains(counts[id] ?? 0), "\(id) at \(counts[id] ?? 0) records in round \(round)")
            }
        }
        #expect(killed >= 10)
        print("kill -9: \(killed) kills, \(interrupted) during a load")
        #expect(interrupted >= 3, "only \(interrupted) kills landed during a load")
    }
}
