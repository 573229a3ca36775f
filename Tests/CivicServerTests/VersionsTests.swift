import CivicData
import CivicExcel
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CivicServer

/// Features through time (docs/versions.md): a status record's time map, its state at a moment (`Memento-Datetime`),
/// 410 for a deleted feature, the collection and its downloads at a moment, the whole history as CSV and XLSX — on
/// 焼津市's real 指定緊急避難場所 list's status table.
@Suite struct VersionsTests {
    typealias Column = ShelterStatus.Column
    typealias Fixture = ReleaseHTTPTests.Fixture
    static let items = "/collections/yaizu-evacuation-space-status/items"

    /// A merge patch of a status record by 焼津市's publisher; the record's properties after it.
    static func patch(_ client: some TestClientProtocol, _ fixture: Fixture, _ id: String, _ body: String) async throws -> [String: Any] {
        // Changes a few milliseconds apart have times of their own (the log keeps milliseconds).
        try await Task.sleep(for: .milliseconds(15))
        return try await client.execute(
            uri: "\(items)/\(id)",
            method: .patch,
            headers: EditHTTPTests.headers(fixture.yaizuPublisher, "application/merge-patch+json"),
            body: ByteBuffer(string: body)
        ) { response in
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            return try EditHTTPTests.properties(response)
        }
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .get, headers: headers) { $0 }
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    @Test func aStatusRecordsVersionsAndTheTableAtAMoment() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            _ = try await Self.patch(client, fixture, "2", #"{"properties": {"状態": "開設", "避難者数": 10}}"#)
            _ = try await Self.patch(client, fixture, "2", #"{"properties": {"避難者数": 80}}"#)
            _ = try await Self.patch(client, fixture, "2", #"{"properties": {"状態": "閉鎖"}}"#)

            // The time map: made by the list, then three updates by the token, oldest first.
            let map = try ReleaseHTTPTests.json(try await Self.get(client, "\(Self.items)/2/versions"))
            let versions = try #require(map["versions"] as? [[String: Any]])
            #expect(versions.map { $0["kind"] as? String } == ["create", "update", "update", "update"])
            #expect(versions.first?["actor"] as? String == "list:yaizu-evacuation-space")
            #expect(versions.dropFirst().allSatisfy { ($0["actor"] as? String)?.hasPrefix("token:") == true })
            let times = versions.compactMap { $0["datetime"] as? String }
            #expect(times == times.sorted() && Set(times).count == 4)

            // Each version's link gives that state, with Memento-Datetime its time.
            let second = try #require(versions[2]["href"] as? String)
            let path = try #require(URL(string: second)).path + "?" + (try #require(URL(string: second)?.query))
            let then = try await Self.get(client, path)
            #expect(then.status == .ok)
            let properties = try #require(try ReleaseHTTPTests.json(then)["properties"] as? [String: Any])
            #expect(properties[Column.state] as? String == "開設" && properties[Column.evacuees] as? Int == 80)
            let memento = try #require(then.headers[HTTPField.Name("Memento-Datetime")!])
            #expect(memento.hasSuffix(" GMT"))
            #expect(then.headers[HTTPField.Name("Link")!]?.contains(#"rel="original""#) == true)
            // Now: 閉鎖, with a link to the time map.
            let now = try await Self.get(client, "\(Self.items)/2")
            #expect(try EditHTTPTests.properties(now)[Column.state] as? String == "閉鎖")
            #expect(now.headers[HTTPField.Name("Link")!]?.contains("/items/2/versions") == true)
            // Before the table existed: 404; an interval, or not a time: 400.
            #expect(try await Self.get(client, "\(Self.items)/2?datetime=2000-01-01T00:00:00Z").status == .notFound)
            #expect(try await Self.get(client, "\(Self.items)/2?datetime=2000-01-01T00:00:00Z/..").status == .badRequest)
            #expect(try await Self.get(client, "\(Self.items)/2?datetime=yesterday").status == .badRequest)
            // As RFC 7089's link format.
            let linkFormat = try await client.execute(
                uri: "\(Self.items)/2/versions",
                method: .get,
                headers: [.accept: "application/link-format"]
            ) { String(buffer: $0.body) }
            #expect(linkFormat.contains(#"rel="original""#) && linkFormat.contains(#"rel="first memento""#), "\(linkFormat)")

            // The whole table at the second update's moment: shelter 2 open with 80, every other shelter 未開設.
            let moment = Self.encoded(times[2])
            let table = try ReleaseHTTPTests.json(try await Self.get(client, "\(Self.items)?datetime=\(moment)&limit=1000"))
            let features = try #require(table["features"] as? [[String: Any]])
            let listed = try StatusTableTests.records(fixture.store, "yaizu-evacuation-space-status").count
            #expect(table["numberMatched"] as? Int == listed && features.count == listed, "\(moment) \(table["numberMatched"] ?? "") \(listed)")
            let states = Dictionary(
                uniqueKeysWithValues: features.compactMap { feature -> (String, String)? in
                    guard let id = feature["id"] as? String, let p = feature["properties"] as? [String: Any] else { return nil }
                    return (id, p[Column.state] as? String ?? "")
                }
            )
            #expect(states["2"] == "開設" && states.filter { $0.key != "2" }.values.allSatisfy { $0 == "未開設" })
            // Filtered then: the one open shelter.
            let open = try ReleaseHTTPTests.json(
                try await Self.get(client, "\(Self.items)?datetime=\(moment)&\(Self.encoded(Column.state))=\(Self.encoded("開設"))")
            )
            #expect(open["numberMatched"] as? Int == 1)

            // The report's download at that moment, and the whole history.
            let csv = try await Self.get(client, "/datasets/yaizu-evacuation-space-status.csv?datetime=\(moment)")
            #expect(csv.status == .ok)
            let rows = String(buffer: csv.body).split(separator: "\r\n", omittingEmptySubsequences: true)
            #expect(rows.count == listed + 1 && rows.contains { $0.hasPrefix("2,") && $0.contains(",開設,") })
            #expect(csv.headers[.contentDisposition]?.contains("yaizu-evacuation-space-status-2") == true)
            let history = try await Self.get(client, "/datasets/yaizu-evacuation-space-status/history.csv")
            let lines = String(buffer: history.body).split(separator: "\r\n", omittingEmptySubsequences: true)
            #expect(lines.first?.hasPrefix("変更番号,変更日時,変更種別,更新者,リリース,ID,") == true)
            #expect(lines.count == 1 + listed + 3 && lines.filter { $0.contains(",更新,token:") }.count == 3)
            let workbook = try await Self.get(client, "/datasets/yaizu-evacuation-space-status/history.xlsx")
            let worksheet = try WorksheetRows(workbook: try Workbook(bytes: Array(buffer: workbook.body), name: "history.xlsx"))
            #expect(worksheet.sheet.name == "変更履歴")
            var sheet: [CSVRow] = []
            while let row = try worksheet.nextRow() { sheet.append(row) }
            #expect(sheet.count == lines.count && sheet.first?.cells.first == "変更番号")
        }
    }

    @Test func aDeletedFeatureIsGoneWithItsVersionsKept() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let created =
                #"{"type": "Feature", "id": "NEW001", "geometry": {"type": "Point", "coordinates": [138.32, 34.87]}, "properties": {"名称": "臨時", "避難者数": 4}}"#
            try await client.execute(
                uri: Self.items,
                method: .post,
                headers: EditHTTPTests.headers(fixture.yaizuPublisher),
                body: ByteBuffer(string: created)
            ) { #expect($0.status == .created) }
            try await Task.sleep(for: .milliseconds(15))
            try await client.execute(uri: "\(Self.items)/NEW001", method: .delete, headers: EditHTTPTests.headers(fixture.yaizuPublisher)) {
                #expect($0.status == .noContent || $0.status == .ok)
            }
            let gone = try await Self.get(client, "\(Self.items)/NEW001")
            #expect(gone.status == .gone, "\(String(buffer: gone.body))")
            #expect(String(buffer: gone.body).contains("/items/NEW001/versions"))
            // Never there: 404.
            #expect(try await Self.get(client, "\(Self.items)/NOPE").status == .notFound)
            let versions = try #require(
                try ReleaseHTTPTests.json(try await Self.get(client, "\(Self.items)/NEW001/versions"))["versions"] as? [[String: Any]]
            )
            #expect(versions.map { $0["kind"] as? String } == ["create", "delete"] && versions.last?["href"] == nil)
            let made = Self.encoded(try #require(versions.first?["datetime"] as? String))
            #expect(try await Self.get(client, "\(Self.items)/NEW001?datetime=\(made)").status == .ok)
            let deleted = Self.encoded(try #require(versions.last?["datetime"] as? String))
            #expect(try await Self.get(client, "\(Self.items)/NEW001?datetime=\(deleted)").status == .gone)
        }
    }

    /// 情報公開可否 否: the public's items, feature, feed, versions, downloads and DataStore leave the shelter out;
    /// 焼津市's staff see it (answers not shared with caches); another municipality's token reads as the public.
    @Test func aShelterKeptFromThePublicIsStaffsAlone() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let all = try #require(try ReleaseHTTPTests.json(try await Self.get(client, "\(Self.items)?limit=1"))["numberMatched"] as? Int)
            // The public reads it once (a cached page must not outlive the change).
            #expect(try await Self.get(client, "\(Self.items)/3").status == .ok)
            _ = try await Self.patch(client, fixture, "3", #"{"properties": {"状態": "開設", "情報公開可否": "否"}}"#)
            _ = try await Self.patch(client, fixture, "3", #"{"properties": {"避難者数": 7}}"#)
            _ = try await Self.patch(client, fixture, "2", #"{"properties": {"状態": "開設"}}"#)

            for token in [nil, fixture.ichikawaPublisher] {
                let page = try await Self.get(client, "\(Self.items)?limit=1000", token: token)
                let ids = try #require(try ReleaseHTTPTests.json(page)["features"] as? [[String: Any]]).compactMap { $0["id"] as? String }
                #expect(!ids.contains("3") && ids.count == all - 1)
                #expect(try ReleaseHTTPTests.json(page)["numberMatched"] as? Int == all - 1)
                #expect(page.headers[.vary]?.contains("Authorization") == true)
                let hiddenOne = try await Self.get(client, "\(Self.items)/3", token: token)
                #expect(hiddenOne.status == .gone, "\(String(buffer: hiddenOne.body))")
                let csv = String(buffer: try await Self.get(client, "/datasets/yaizu-evacuation-space-status.csv", token: token).body)
                #expect(!csv.contains("\r\n3,") && csv.contains("\r\n2,"))
                let history = String(buffer: try await Self.get(client, "/datasets/yaizu-evacuation-space-status/history.csv", token: token).body)
                // Its creation (public then), then its deletion when it was hidden; nothing of the hidden states.
                let rows = history.split(separator: "\r\n").filter { $0.split(separator: ",").dropFirst(5).first == "3" }
                #expect(rows.count == 2 && rows.last?.contains(",削除,") == true)
            }
            // The public feed: shelter 3's hiding as a deletion, its update while hidden not at all.
            let feed = try ReleaseHTTPTests.json(try await Self.get(client, "/collections/yaizu-evacuation-space-status/changes?since=0&limit=10000"))
            let changes = try #require(feed["changes"] as? [[String: Any]]).filter { $0["id"] as? String == "3" }
            #expect(changes.map { $0["type"] as? String } == ["create", "delete"])
            // The public time map of shelter 3: its versions while it was public.
            let publicMap = try ReleaseHTTPTests.json(try await Self.get(client, "\(Self.items)/3/versions"))
            #expect((publicMap["versions"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["create", "delete"])
            // The DataStore (ckanapi's datastore_search).
            let search = try await client.execute(
                uri: "/api/3/action/datastore_search?resource_id=yaizu-evacuation-space-status-csv&limit=1000",
                method: .get
            ) { try ReleaseHTTPTests.json($0) }
            #expect((search["result"] as? [String: Any])?["total"] as? Int == all - 1)

            // 焼津市's staff: everything, privately.
            let staff = try await Self.get(client, "\(Self.items)?limit=1000", token: fixture.yaizuEditor)
            #expect(try ReleaseHTTPTests.json(staff)["numberMatched"] as? Int == all)
            #expect(staff.headers[.cacheControl]?.contains("private") == true)
            let record = try await Self.get(client, "\(Self.items)/3", token: fixture.yaizuEditor)
            #expect(try EditHTTPTests.properties(record)[Column.evacuees] as? Int == 7)
            let staffMap = try ReleaseHTTPTests.json(try await Self.get(client, "\(Self.items)/3/versions", token: fixture.yaizuPublisher))
            #expect((staffMap["versions"] as? [[String: Any]])?.count == 3)
            let staffCSV = String(buffer: try await Self.get(client, "/datasets/yaizu-evacuation-space-status.csv", token: fixture.yaizuEditor).body)
            #expect(staffCSV.contains("\r\n3,"))
            // And the public page again after the staff's: still without it (the staff's answer was not cached).
            let again = try await Self.get(client, "\(Self.items)?limit=1000")
            #expect(try ReleaseHTTPTests.json(again)["numberMatched"] as? Int == all - 1)
            // Shown again: back for the public, as a creation in the feed.
            _ = try await Self.patch(client, fixture, "3", #"{"properties": {"情報公開可否": "可"}}"#)
            #expect(try await Self.get(client, "\(Self.items)/3").status == .ok)
            let later = try ReleaseHTTPTests.json(
                try await Self.get(client, "/collections/yaizu-evacuation-space-status/changes?since=0&limit=10000")
            )
            let kinds = try #require(later["changes"] as? [[String: Any]]).filter { $0["id"] as? String == "3" }.map { $0["type"] as? String }
            #expect(kinds == ["create", "delete", "create"])
        }
    }

    /// Property filters on the feed: a follower of open shelters sees one open as a creation and closed as a
    /// deletion, and nothing of the rest.
    @Test func theFeedFollowsTheRecordsAFilterNames() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let start = try #require(
                try ReleaseHTTPTests.json(try await Self.get(client, "/collections/yaizu-evacuation-space-status/changes?since=0&limit=10000"))[
                    "next"
                ] as? String
            )
            _ = try await Self.patch(client, fixture, "4", #"{"properties": {"状態": "開設"}}"#)
            _ = try await Self.patch(client, fixture, "5", #"{"properties": {"避難者数": 3}}"#)
            _ = try await Self.patch(client, fixture, "4", #"{"properties": {"避難者数": 12}}"#)
            _ = try await Self.patch(client, fixture, "4", #"{"properties": {"状態": "閉鎖"}}"#)
            let uri = "/collections/yaizu-evacuation-space-status/changes?since=\(start)&\(Self.encoded(Column.state))=\(Self.encoded("開設"))"
            let feed = try ReleaseHTTPTests.json(try await Self.get(client, uri))
            let changes = try #require(feed["changes"] as? [[String: Any]])
            #expect(changes.map { $0["id"] as? String } == ["4", "4", "4"])
            #expect(changes.map { $0["type"] as? String } == ["create", "update", "delete"])
            #expect(try await Self.get(client, "/collections/yaizu-evacuation-space-status/changes?nothing=1").status == .badRequest)
        }
    }
}
