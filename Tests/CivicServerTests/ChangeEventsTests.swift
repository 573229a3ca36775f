import CivicData
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CivicServer

#if canImport(Glibc)
import Glibc
#endif

/// The change feed as Server-Sent Events on a live server: a subscriber gets each status change as a CloudEvents
/// object as it is written; one that disconnects and comes back with Last-Event-ID gets exactly the events it
/// missed, in order, then the live ones.
@Suite struct ChangeEventsTests {
    typealias Column = ShelterStatus.Column
    static let feed = "/collections/yaizu-evacuation-space-status/changes"

    /// A plain socket reading one streamed response (HummingbirdTesting's client waits for a whole body).
    final class EventReader {
        let socket: Int32
        var received = ""

        init(port: Int, path: String, lastEventID: String? = nil) throws {
            socket = try LoopbackSocket.connect(port: port)
            var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
            if let lastEventID { request += "Last-Event-ID: \(lastEventID)\r\n" }
            request += "\r\n"
            LoopbackSocket.send(request, on: socket)
        }

        deinit { Glibc.close(socket) }

        func hangUp() { shutdown(socket, Int32(SHUT_RDWR)) }

        /// The events received so far (their `data:` lines parsed), waiting up to `seconds` for `count` of them (it
        /// returns as soon as they are there: the generous default is for a CI machine running every suite at once).
        func events(count: Int, within seconds: Double = 30) -> [[String: Any]] {
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while Self.parse(received).count < count, Date() < deadline {
                let read = recv(socket, &buffer, buffer.count, 0)
                if read > 0 { received += String(decoding: buffer[0..<read], as: UTF8.self) }
            }
            return Self.parse(received)
        }

        static func parse(_ text: String) -> [[String: Any]] {
            text.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }.compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.dropFirst(6).utf8)) as? [String: Any]
            }
        }
    }

    @Test func subscribersGetEachChangeOnceAndResumeFromLastEventID() async throws {
        let fixture = try ReleaseHTTPTests.Fixture()
        var configuration = fixture.configuration
        configuration.port = 0
        let site = try Site(configuration: configuration, store: fixture.store)
        let app = buildApplication(site: site)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            func patch(_ id: String, _ evacuees: Int) async throws {
                try await client.execute(
                    uri: "/collections/yaizu-evacuation-space-status/items/\(id)",
                    method: .patch,
                    headers: EditHTTPTests.headers(fixture.yaizuPublisher, "application/merge-patch+json"),
                    body: ByteBuffer(string: #"{"properties": {"状態": "開設", "避難者数": \#(evacuees)}}"#)
                ) { response in
                    #expect(response.status == .ok)
                }
            }
            // The collection names its live feed.
            try await client.execute(uri: "/collections/yaizu-evacuation-space-status", method: .get) { response in
                let links = try #require(try EditHTTPTests.json(response)["links"] as? [[String: Any]])
                #expect(
                    links.contains {
                        $0["rel"] as? String == "hub" && $0["type"] as? String == "text/event-stream"
                            && ($0["href"] as? String)?.hasSuffix(Self.feed) == true
                    }
                )
            }
            let first = try EventReader(port: port, path: Self.feed)
            #expect(first.events(count: 1, within: 0.5).isEmpty)  // from now: nothing old
            try await patch("2", 10)
            let seen = first.events(count: 1)
            let event = try #require(seen.first)
            #expect(event["specversion"] as? String == "1.0" && event["type"] as? String == "org.ogc.api.collection.item.update")
            #expect(
                event["subject"] as? String == "2" && (event["source"] as? String)?.hasSuffix("/collections/yaizu-evacuation-space-status") == true
            )
            let data = try #require(event["data"] as? [String: Any])
            let properties = try #require(data["properties"] as? [String: Any])
            #expect(properties[Column.state] as? String == "開設" && properties[Column.evacuees] as? Int == 10)
            let lastID = try #require(event["id"] as? String)
            // Away for two changes; back with Last-Event-ID: exactly those, in order, then the live one.
            try await patch("3", 20)
            try await patch("4", 30)
            let second = try EventReader(port: port, path: Self.feed, lastEventID: lastID)
            let missed = second.events(count: 2)
            #expect(missed.map { $0["subject"] as? String } == ["3", "4"])
            try await patch("5", 40)
            let all = second.events(count: 3)
            #expect(all.map { $0["subject"] as? String } == ["3", "4", "5"])
            let ids = all.compactMap { ($0["id"] as? String).flatMap(Int64.init) }
            #expect(ids == ids.sorted() && Set(ids).count == 3 && (ids.first ?? 0) > (Int64(lastID) ?? 0))
            // The first subscriber, still connected, got the three as they came, once each.
            #expect(first.events(count: 4).map { $0["subject"] as? String } == ["2", "3", "4", "5"])
            // Gone: the next heartbeats find the connections closed and end their streams (the server stops at once).
            first.hangUp()
            second.hangUp()
            for _ in 0..<3 {
                site.hub.heartbeat()
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(site.hub.subscribers == 0)
        }
    }

    /// A subscriber that falls more than the hub's capacity behind is closed after what it has (to resume with
    /// Last-Event-ID), not skipped.
    @Test func aSubscriberTooFarBehindIsClosedNotSkipped() async throws {
        let fixture = try ReleaseHTTPTests.Fixture()
        let store = fixture.store
        let hub = ChangeHub(store: store, capacity: 2)
        let subscription = try hub.subscribe(key: "test", datasets: ["yaizu-aed"], from: nil) { change in Array("\(change.seq)".utf8) }
        #expect(hub.subscribers == 1)
        let columns = try store.editColumns("yaizu-aed", in: .live)
        let note = try #require(columns.firstIndex(of: "備考"))
        for round in 0..<3 {
            let record = try #require(try store.record("yaizu-aed", id: "0000000001", in: .live))
            var values = record.values
            values[note] = "round \(round)"
            _ = try store.edit(
                "yaizu-aed",
                [RecordEdit(.replace, featureID: "0000000001", values: values, longitude: record.longitude, latitude: record.latitude)],
                in: .live,
                by: .commandLine(user: "test"),
                note: nil
            )
        }
        hub.poke()
        #expect(hub.subscribers == 0)
        // The two it kept are there to read (in one take), then the stream ends.
        let changes = try store.changes(of: ["yaizu-aed"], since: 0, limit: 100_000).changes.suffix(3).map(\.seq)
        var received: [UInt8] = []
        while let bytes = await subscription.mailbox.take() { received += bytes }
        #expect(received == Array("\(changes[0])\(changes[1])".utf8))
    }
}
