import Foundation
import Testing

@testable import CivicStore

/// `kill -9` of `civic harvest` at any moment while it gathers from a second Civic server: after each kill the store
/// passes its integrity check and every dataset it holds is whole; the next run finishes the harvest (nothing lost,
/// nothing doubled), and a run after that fetches nothing.
@Suite struct HarvestKillTests {
    @Test func killNineDuringAHarvestLeavesWholeDatasetsAndTheNextRunFinishes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-harvest-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")
        let ids = (1...40).map { String(format: "aed-%02d", $0) }
        for (index, id) in ids.enumerated() { try KillTests.dataset(id, in: data, data: try KillTests.aedFile(copies: 1 + index % 6)) }
        let (server, base) = try PublishKillTests.serve(data: data, store: folder.appendingPathComponent("source.sqlite").path, round: 0)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        // The source loads its folder in the background: wait until it lists every dataset.
        for _ in 0..<400 {
            let search = URL(string: "\(base)/api/3/action/package_search?rows=0")!
            if let (_, body) = PublishKillTests.send(search), let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                (object["result"] as? [String: Any])?["count"] as? Int == ids.count
            {
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let path = folder.appendingPathComponent("portal.sqlite").path
        func harvest() throws -> Process {
            let process = Process()
            process.executableURL = CommandTests.binary
            process.arguments = ["harvest", "--db", path, "--ckan", base.absoluteString, "--name", "member", "--delay", "0", "--json"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        var killed = 0
        for round in 0..<8 {
            // Early in the first rounds (the harvest of 40 files is under way), later anywhere in a run.
            if PublishKillTests.killNine(try harvest(), after: 0.05...(round < 4 ? 0.6 : 1.2)) { killed += 1 }
            for (id, records) in try KillTests.check(path) {
                let copies = 1 + (ids.firstIndex(of: id) ?? 0) % 6
                #expect(records == copies * 82, "round \(round): \(id) has \(records) records")
            }
        }
        #expect(killed >= 3)
        // Run to the end: every dataset, whole, each in one release or more (a kill after a commit and before the
        // harvest's state was saved repeats that fetch, nothing else).
        let finish = try harvest()
        finish.waitUntilExit()
        #expect(finish.terminationStatus == 0)
        let counts = try KillTests.check(path)
        #expect(counts.keys.sorted() == ids)
        let store = try Store(path: path)
        #expect(try store.harvestItems(source: "member").count == ids.count)
        // And then nothing to fetch.
        let again = try harvest()
        again.waitUntilExit()
        let runs = try store.harvestRuns(source: "member", limit: 1)
        let report = try #require(runs.first?.report)
        #expect(report.contains(#""downloaded":0"#) && report.contains(#""notModified":\#(ids.count)"#), "\(report.prefix(400))")
    }
}
