import Foundation
import GRDB
import Synchronization
import Testing

@testable import CivicStore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `kill -9` of the server at any moment while it takes uploads and publishes them: after each restart the store
/// passes its integrity check, the live release is one of the two files complete, and every draft is whole.
@Suite struct PublishKillTests {
    /// A request to the server; nil when it did not answer (killed meanwhile).
    static func send(_ url: URL, method: String = "GET", token: String? = nil, body: Data? = nil) -> (Int, Data)? {
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        request.httpBody = body
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if body != nil { request.setValue("text/csv", forHTTPHeaderField: "Content-Type") }
        let done = DispatchSemaphore(value: 0)
        let answer = Mutex<(Int, Data)?>(nil)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if let response = response as? HTTPURLResponse { answer.withLock { $0 = (response.statusCode, data ?? Data()) } }
            done.signal()
        }
        .resume()
        done.wait()
        return answer.withLock { $0 }
    }

    @Test func killNineDuringPublishesLeavesWholeReleases() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-publish-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")
        let path = folder.appendingPathComponent("civic.sqlite").path
        // 10,004 and 5,002 records: small enough that a debug build publishes several times between kills (the
        // 50,000-row run with 100 kills is bench/publish).
        let copies = [122, 61]
        let files = try copies.map { try KillTests.aedFile(copies: $0) }
        try KillTests.dataset("aed-kill", in: data, data: try KillTests.aedFile(copies: 1))
        let token = try Store(path: path)
            .createToken(TokenRequest(organisation: .municipality("222127"), role: .publisher, name: "kill test"), by: .commandLine(user: "test"))
            .token
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        var publishes = 0
        for round in 0..<12 {
            let port = Int.random(in: 20_000...40_000, using: &generator)
            let process = Process()
            process.executableURL = CommandTests.binary
            process.arguments = ["serve", "--data", data.path, "--db", path, "--port", String(port), "--log-level", "critical"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let base = URL(string: "http://127.0.0.1:\(port)")!
            var up = false
            for _ in 0..<100 where !up {
                up = Self.send(base.appendingPathComponent("health"))?.0 == 200
                if !up { Thread.sleep(forTimeInterval: 0.05) }
            }
            #expect(up, "round \(round): the server did not start")
            // Upload and publish on a thread of their own until the kill.
            let client = Thread {
                var index = round
                while true {
                    let upload = URL(string: "\(base)/datasets/aed-kill/releases")!
                    guard let (status, body) = Self.send(upload, method: "POST", token: token, body: files[index % 2]), status == 201,
                        let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let number = object["number"] as? Int
                    else { return }
                    let publish = URL(string: "\(base)/datasets/aed-kill/releases/\(number)/publish")!
                    guard Self.send(publish, method: "POST", token: token)?.0 == 200 else { return }
                    index += 1
                }
            }
            client.start()
            Thread.sleep(forTimeInterval: Double.random(in: 0.5...4, using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
            // The store as a restarted server finds it.
            let counts = try KillTests.check(path)
            let live = try #require(counts["aed-kill"])
            #expect(([1] + copies).map { $0 * 82 }.contains(live), "round \(round): \(live) records live")
            let store = try Store(path: path)
            for release in try store.releases(of: "aed-kill") where release.state == .draft || release.state == .live {
                let rows = try store.read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM feature WHERE version = ?", arguments: [release.version]) ?? 0
                }
                #expect(rows == release.recordCount, "round \(round): release \(release.number) has \(rows) of \(release.recordCount) rows")
            }
            publishes = try store.releases(of: "aed-kill").filter { $0.publishedBy?.hasPrefix("token:") == true }.count
            _ = try store.collectGarbage()
        }
        print("publish kill -9: \(killed) kills, \(publishes) publishes through HTTP")
        #expect(killed >= 10)
        #expect(publishes >= 1, "no publish happened between kills")
        // The log says where each write came from: the client's address.
        let log = try Store(path: path).auditLog(limit: 1000, before: nil)
        #expect(log.contains { $0.action == "release.publish" && $0.origin == "127.0.0.1" })
    }
}
