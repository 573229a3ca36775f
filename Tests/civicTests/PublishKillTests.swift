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
    static func send(_ url: URL, method: String = "GET", token: String? = nil, body: Data? = nil, type: String = "text/csv") -> (Int, Data)? {
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        request.httpBody = body
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if body != nil { request.setValue(type, forHTTPHeaderField: "Content-Type") }
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

    /// `civic serve` on a random port over `data` and the store at `store`, once it answers /health.
    static func serve(data: URL, store: String, round: Int) throws -> (Process, URL) {
        let port = Int.random(in: 20_000...32_000)  // below the ephemeral range: never a client connection's port
        let process = Process()
        process.executableURL = CommandTests.binary
        process.arguments = ["serve", "--data", data.path, "--db", store, "--port", String(port), "--log-level", "critical"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let base = URL(string: "http://127.0.0.1:\(port)")!
        var up = false
        for _ in 0..<100 where !up {
            up = send(base.appendingPathComponent("health"))?.0 == 200
            if !up { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(up, "round \(round): the server did not start")
        return (process, base)
    }

    /// Kills the server with SIGKILL at a random moment in `window` (seconds) and waits for it; true when it was still
    /// running.
    static func killNine(_ process: Process, after window: ClosedRange<Double>) -> Bool {
        Thread.sleep(forTimeInterval: Double.random(in: window))
        let running = process.isRunning
        if running { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return running
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
        var killed = 0
        var publishes = 0
        for round in 0..<12 {
            let (process, base) = try Self.serve(data: data, store: path, round: round)
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
            if Self.killNine(process, after: 0.5...4) { killed += 1 }
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

    /// `kill -9` while the server takes record edits (PATCH, POST, DELETE through OGC API Features Part 4): after each
    /// restart the store is sound, the counts whole, and the record edited holds the last acknowledged edit or the one
    /// in flight — never a mix, never an acknowledged edit lost.
    @Test func killNineDuringRecordEditsLosesNoAcknowledgedEdit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-edit-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")
        let path = folder.appendingPathComponent("civic.sqlite").path
        try KillTests.dataset("aed-edit", in: data, data: try KillTests.aedFile(copies: 2))
        let token = try Store(path: path)
            .createToken(TokenRequest(organisation: .municipality("222127"), role: .publisher, name: "kill test"), by: .commandLine(user: "test"))
            .token
        var killed = 0
        var acknowledged = 0
        var edited: String?
        for round in 0..<10 {
            let (process, base) = try Self.serve(data: data, store: path, round: round)
            // The first start loads the data folder in the background: wait for the collection.
            for _ in 0..<200 where edited == nil {
                if let (status, body) = Self.send(URL(string: "\(base)/collections/aed-edit/items?limit=1")!), status == 200,
                    let page = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                    let first = (page["features"] as? [[String: Any]])?.first?["id"] as? String
                {
                    edited = first
                } else {
                    Thread.sleep(forTimeInterval: 0.05)
                }
            }
            let record = try #require(edited)
            let state = Mutex<(sent: String?, acknowledged: String?, count: Int)>((nil, nil, 0))
            let client = Thread {
                var index = 0
                while true {
                    let value = "kill\(round)-\(index)"
                    state.withLock { $0.sent = value }
                    let patch = Data(#"{"properties": {"備考": "\#(value)"}}"#.utf8)
                    let item = URL(string: "\(base)/collections/aed-edit/items/\(record)")!
                    guard Self.send(item, method: "PATCH", token: token, body: patch, type: "application/merge-patch+json")?.0 == 200 else { return }
                    state.withLock {
                        $0.acknowledged = value
                        $0.count += 1
                    }
                    // A record created and deleted again: counts move in both directions.
                    let created = Data(
                        #"{"type": "Feature", "properties": {"全国地方公共団体コード": "222127", "ID": "K\#(round)x\#(index)", "名称": "仮設"}}"#.utf8
                    )
                    guard
                        Self.send(
                            URL(string: "\(base)/collections/aed-edit/items")!,
                            method: "POST",
                            token: token,
                            body: created,
                            type: "application/geo+json"
                        )?.0 == 201,
                        Self.send(URL(string: "\(base)/collections/aed-edit/items/K\(round)x\(index)")!, method: "DELETE", token: token)?.0 == 204
                    else { return }
                    index += 1
                }
            }
            client.start()
            if Self.killNine(process, after: 0.3...2) { killed += 1 }
            Thread.sleep(forTimeInterval: 0.2)  // the client sees the connection drop
            let counts = try KillTests.check(path)
            // 164 from the file, plus at most one created record per earlier kill that came before its DELETE.
            #expect((164...(165 + round)).contains(counts["aed-edit"] ?? 0), "round \(round): \(counts["aed-edit"] ?? -1) records live")
            let (sent, acked, count) = state.withLock { $0 }
            acknowledged += count
            let store = try Store(path: path)
            let value = try store.record("aed-edit", id: record, in: .live)?.values.last
            if let acked {
                #expect(value == acked || value == sent, "round \(round): the record holds \(value ?? "nil"), acknowledged \(acked)")
            }
        }
        print("record-edit kill -9: \(killed) kills, \(acknowledged) PATCHes acknowledged")
        #expect(killed >= 8)
        #expect(acknowledged >= 1, "no edit happened between kills")
    }

    /// `kill -9` during bursts of shelter-status updates from several staff at once: after each restart every
    /// acknowledged update is in the store (a 2xx means durable) — each shelter holds its last acknowledged count or
    /// the one in flight — and the restarted server's change feed, read from the cursor a follower had before the
    /// kill, holds every acknowledged update, in order, once.
    @Test func killNineDuringStatusBurstsKeepsEveryAcknowledgedUpdate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-status-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")
        let path = folder.appendingPathComponent("civic.sqlite").path
        // 焼津市's real 指定緊急避難場所 list: its status table is made when the server loads it.
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: repository.appendingPathComponent("datasets/yaizu-evacuation-space"),
            to: data.appendingPathComponent("yaizu-evacuation-space")
        )
        let table = "yaizu-evacuation-space-status"
        let token = try Store(path: path)
            .createToken(TokenRequest(organisation: .municipality("222127"), role: .publisher, name: "kill test"), by: .commandLine(user: "test"))
            .token
        let shelters = ["1", "2", "3", "4"]
        // What a follower read up to before the kill, and the counts acknowledged after it, by shelter.
        var previous: (cursor: Int64, acknowledged: [String: [Int]])?
        var killed = 0
        var total = 0
        for round in 0...9 {
            let (process, base) = try Self.serve(data: data, store: path, round: round)
            for _ in 0..<200 where Self.send(URL(string: "\(base)/collections/\(table)/items/1")!)?.0 != 200 {
                Thread.sleep(forTimeInterval: 0.05)
            }
            // The feed after the restart, from the follower's cursor: every acknowledged update, in order, once.
            if let (cursor, acknowledged) = previous {
                var logged: [String: [Int]] = [:]
                var since = cursor
                var sequence: [Int64] = []
                while true {
                    let url = URL(string: "\(base)/collections/\(table)/changes?since=\(since)&limit=1000")!
                    let (status, body) = try #require(Self.send(url))
                    #expect(status == 200)
                    let page = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
                    for change in page["changes"] as? [[String: Any]] ?? [] {
                        sequence.append(Int64(change["seq"] as? Int ?? 0))
                        let properties = (change["feature"] as? [String: Any])?["properties"] as? [String: Any]
                        if let id = change["id"] as? String, let count = properties?["避難者数"] as? Int { logged[id, default: []].append(count) }
                    }
                    since = Int64(page["next"] as? String ?? "") ?? since
                    if page["more"] as? Bool != true { break }
                }
                #expect(sequence == sequence.sorted() && Set(sequence).count == sequence.count, "round \(round): the feed is out of order")
                for (shelter, counts) in acknowledged {
                    // The logged counts hold every acknowledged one in order (and perhaps the one in flight at the kill).
                    let seen = logged[shelter] ?? []
                    #expect(
                        counts.allSatisfy(seen.contains),
                        "round \(round), shelter \(shelter): \(counts.count) acknowledged, \(seen.count) in the feed"
                    )
                    #expect(seen.filter(counts.contains) == counts, "round \(round), shelter \(shelter): acknowledged updates out of order")
                }
            }
            // The last start only reads the feed.
            if round == 9 {
                process.terminate()
                process.waitUntilExit()
                break
            }
            let cursor = try Store(path: path).latestChange()
            // One staff member per shelter, each sending counts 1, 2, 3 … with its record's tag.
            let state = Mutex<[String: (sent: Int?, acknowledged: [Int])]>([:])
            let clients = shelters.map { shelter in
                Thread {
                    var count = round * 100_000
                    while true {
                        count += 1
                        state.withLock { $0[shelter, default: (nil, [])].sent = count }
                        let item = URL(string: "\(base)/collections/\(table)/items/\(shelter)")!
                        let patch = Data(#"{"properties": {"状態": "開設", "避難者数": \#(count)}}"#.utf8)
                        guard Self.send(item, method: "PATCH", token: token, body: patch, type: "application/merge-patch+json")?.0 == 200 else {
                            return
                        }
                        state.withLock { $0[shelter, default: (nil, [])].acknowledged.append(count) }
                    }
                }
            }
            for client in clients { client.start() }
            if Self.killNine(process, after: 0.5...2) { killed += 1 }
            Thread.sleep(forTimeInterval: 0.2)  // the clients see the connection drop
            _ = try KillTests.check(path)
            let store = try Store(path: path)
            let columns = try store.editColumns(table, in: .live)
            let column = try #require(columns.firstIndex(of: "避難者数"))
            let sent = state.withLock { $0 }
            for (shelter, updates) in sent {
                let value = try store.record(table, id: shelter, in: .live).map { Int($0.values[column]) ?? 0 }
                if let last = updates.acknowledged.last {
                    #expect(value == last || value == updates.sent, "round \(round), shelter \(shelter): \(value ?? -1), acknowledged \(last)")
                }
                total += updates.acknowledged.count
            }
            previous = (cursor, sent.mapValues(\.acknowledged))
        }
        print("status-burst kill -9: \(killed) kills, \(total) status updates acknowledged")
        #expect(killed >= 7)
        #expect(total >= 50, "too few updates between kills")
    }
}
