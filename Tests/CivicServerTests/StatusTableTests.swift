import CivicData
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CivicServer

/// Each shelter list gets a status table (docs/shelter-status.md): made from the list when it is first seen, one
/// 未開設 record per shelter; kept in step when the list changes — shelters new to the list added, names and points
/// following it — without a status ever reset, a shelter that left the list losing its record, or a status edit
/// touching the list.
@Suite struct StatusTableTests {
    typealias Column = ShelterStatus.Column
    static let list = "yaizu-evacuation-space"
    static let table = "yaizu-evacuation-space-status"

    /// A data folder holding 焼津市's 指定緊急避難場所一覧 alone (a copy: the test changes its file).
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: FeaturesTests.repository.appendingPathComponent("datasets").appendingPathComponent(list),
            to: folder.appendingPathComponent(list)
        )
        return folder
    }

    static func records(_ store: Store, _ id: String) throws -> [String: [String: String]] {
        let dataset = try #require(try store.dataset(id: id))
        let page = try store.features(in: .dataset(dataset), limit: 10_000, offset: 0)
        var out: [String: [String: String]] = [:]
        for feature in page.features {
            out[feature.featureID] = Dictionary(uniqueKeysWithValues: zip(dataset.columns, feature.values).map { ($0, $1) })
        }
        return out
    }

    @Test func aShelterListsStatusTableFollowsTheListAndKeepsEveryStatus() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store.inMemory()
        _ = loadDataFolder(folder, into: store)
        let site = try Site(configuration: ServerConfiguration(dataDirectory: folder), store: store)
        let list = try #require(try store.dataset(id: Self.list))
        let table = try #require(try store.dataset(id: Self.table))
        #expect(table.standard == "shelter_status" && table.municipalityCode == "222127" && table.columns == Column.all)
        #expect(table.recordCount == list.recordCount && table.license == list.license)
        let listed = try Self.records(store, Self.list)
        var statuses = try Self.records(store, Self.table)
        let first = try #require(statuses["1"])
        #expect(first[Column.name] == "中港タワー" && first[Column.state] == "未開設" && first[Column.kind] == "指定緊急避難場所")
        #expect(Set(statuses.keys) == Set(listed.keys))
        let releases = try store.releases(of: Self.table)
        #expect(releases.count == 1 && releases.first?.author == "list:\(Self.list)")

        // Staff open shelter 2 (the rules, then the store, as the server does).
        let staff = Actor.commandLine(user: "staff")
        let second = try #require(statuses["2"])
        let opened = try ShelterStatus.apply([Column.state: "開設", Column.evacuees: "35"], to: second, by: staff.name, at: Date())
        _ = try store.edit(
            Self.table,
            [
                RecordEdit(
                    .replace,
                    featureID: "2",
                    values: Column.all.map { opened[$0] ?? "" },
                    longitude: Double(opened[Column.longitude] ?? ""),
                    latitude: Double(opened[Column.latitude] ?? "")
                )
            ],
            in: .live,
            by: staff,
            note: nil
        )
        // A status edit does not touch the list.
        #expect(try Self.records(store, Self.list) == listed)

        // The list changes: shelter 2 renamed and moved, shelter 3 gone, shelter 999 new.
        let file = folder.appendingPathComponent(Self.list).appendingPathComponent("data.csv")
        let text = try String(contentsOf: file, encoding: .utf8)
        // CRLF, as 焼津市 writes it (one Character in Swift: split on the string).
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        var lines = text.components(separatedBy: newline)
        lines[2] = lines[2].replacingOccurrences(of: "いせぎタワー", with: "いせぎ避難タワー").replacingOccurrences(of: "34.85643011", with: "34.85650000")
        let added = lines[3].replacingOccurrences(of: "3,", with: "999,", options: .anchored)
        lines.remove(at: 3)
        lines.insert(added, at: 3)
        try lines.joined(separator: newline).write(to: file, atomically: true, encoding: .utf8)
        _ = loadDataFolder(folder, into: store)
        try site.refresh()
        statuses = try Self.records(store, Self.table)
        let renamed = try #require(statuses["2"])
        #expect(renamed[Column.name] == "いせぎ避難タワー" && renamed[Column.latitude] == "34.8565")
        // Its status is as staff left it.
        for column in [Column.state, Column.evacuees, Column.openedAt, Column.updatedBy, Column.updatedAt] {
            #expect(renamed[column] == opened[column])
        }
        #expect(statuses["999"]?[Column.state] == "未開設")
        #expect(statuses["3"] != nil)
        let changes = try store.changes(of: [Self.table], since: 0, limit: 1_000).changes
        #expect(changes.suffix(2).map(\.kind) == [.update, .create] && changes.last?.actor == "list:\(Self.list)")
        // In step: a refresh with nothing new writes nothing.
        try site.refresh()
        #expect(try store.changes(of: [Self.table], since: 0, limit: 1_000).changes.count == changes.count)
    }
}

/// Status writes through OGC API Features Part 4 follow the table's rules: staff open a shelter with a merge patch
/// (times, crowding, who and when filled in by the server), the list's columns and the server's are refused with
/// the reason, a listed shelter's status cannot be deleted, a shelter opened outside the list is created, another
/// municipality's token is refused — and the list itself is never touched.
@Suite struct StatusHTTPTests {
    typealias Column = ShelterStatus.Column
    typealias Fixture = ReleaseHTTPTests.Fixture
    static let item = "/collections/yaizu-evacuation-space-status/items/2"

    @Test func staffUpdateAStatusThroughPart4UnderItsRules() async throws {
        let fixture = try Fixture()
        let list = try EditHTTPTests.state(fixture.store).description
        let listRecords = try StatusTableTests.records(fixture.store, "yaizu-evacuation-space")
        try await fixture.app().test(.router) { client in
            let patch = EditHTTPTests.headers(fixture.yaizuPublisher, "application/merge-patch+json")
            let opened = try await client.execute(
                uri: Self.item,
                method: .patch,
                headers: patch,
                body: ByteBuffer(string: #"{"properties": {"状態": "開設", "避難者数": 35, "収容人数": "100", "備考": "毛布不足"}}"#)
            ) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                return try EditHTTPTests.properties(response)
            }
            #expect(opened[Column.state] as? String == "開設" && opened[Column.crowding] as? String == "やや混雑")
            #expect((opened[Column.openedAt] as? String)?.hasSuffix("+09:00") == true && opened[Column.name] as? String == "いせぎタワー")
            #expect((opened[Column.updatedBy] as? String)?.hasPrefix("token:") == true)
            // The list's name and the server's columns are not a status update's to change.
            for body in [#"{"properties": {"名称": "別名"}}"#, #"{"properties": {"混雑度": "空いています"}}"#, #"{"properties": {"状態": "営業中"}}"#] {
                try await client.execute(uri: Self.item, method: .patch, headers: patch, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(String(buffer: response.body).contains("the status was not changed"), "\(body)")
                }
            }
            // A listed shelter's status is not deleted (closed or stood down instead).
            try await client.execute(uri: Self.item, method: .delete, headers: EditHTTPTests.headers(fixture.yaizuPublisher)) { response in
                #expect(response.status == .conflict)
            }
            // A shelter opened outside the list.
            let created = ByteBuffer(
                string:
                    #"{"type": "Feature", "id": "NEW001", "geometry": {"type": "Point", "coordinates": [138.32, 34.87]}, "properties": {"名称": "焼津市公民館（臨時）", "避難者数": 4}}"#
            )
            try await client.execute(
                uri: "/collections/yaizu-evacuation-space-status/items",
                method: .post,
                headers: EditHTTPTests.headers(fixture.yaizuPublisher),
                body: created
            ) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                let properties = try EditHTTPTests.properties(response)
                #expect(properties[Column.adHoc] as? String == "1" && properties[Column.kind] as? String == "臨時避難所")
                #expect(properties[Column.state] as? String == "開設")
            }
            // Another municipality's token writes nothing.
            try await client.execute(
                uri: Self.item,
                method: .patch,
                headers: EditHTTPTests.headers(fixture.ichikawaPublisher, "application/merge-patch+json"),
                body: ByteBuffer(string: #"{"properties": {"状態": "閉鎖"}}"#)
            ) { response in
                #expect(response.status == .forbidden)
            }
        }
        // The list is as it was.
        #expect(try EditHTTPTests.state(fixture.store).description == list)
        try await Self.theDataStoreFollowsTheSameRules(fixture)
        #expect(try StatusTableTests.records(fixture.store, "yaizu-evacuation-space") == listRecords)
        let statuses = try StatusTableTests.records(fixture.store, "yaizu-evacuation-space-status")
        #expect(statuses["2"]?[Column.state] == "開設" && statuses["NEW001"]?[Column.evacuees] == "4")
    }

    /// CKAN's `datastore_upsert` and `datastore_delete` on a status table: the same rules as Part 4.
    static func theDataStoreFollowsTheSameRules(_ fixture: Fixture) async throws {
        let resource = "yaizu-evacuation-space-status-csv"
        let token = fixture.yaizuPublisher
        try await fixture.app().test(.router) { client in
            _ = try await CKANWriteTests.call(
                client,
                "datastore_upsert",
                try CKANWriteTests.post(token, json: ["resource_id": resource, "records": [["ID": "1", "状態": "満員", "避難者数": 300]]])
            )
            try await client.execute(uri: "/collections/yaizu-evacuation-space-status/items/1", method: .get) { response in
                let properties = try EditHTTPTests.properties(response)
                #expect(properties[Column.state] as? String == "満員" && properties[Column.crowding] as? String == "満")
                #expect(properties[Column.evacuees] as? Int == 300 && (properties[Column.openedAt] as? String)?.isEmpty == false)
            }
            let refused = try await CKANWriteTests.call(
                client,
                "datastore_upsert",
                try CKANWriteTests.post(token, json: ["resource_id": resource, "records": [["ID": "1", "名称": "別名"]]]),
                status: .conflict
            )
            #expect("\(refused["error"] ?? "")".contains("the status was not changed"))
            _ = try await CKANWriteTests.call(
                client,
                "datastore_delete",
                try CKANWriteTests.post(token, json: ["resource_id": resource, "filters": ["ID": "1"]]),
                status: .conflict
            )
        }
        #expect(try StatusTableTests.records(fixture.store, "yaizu-evacuation-space-status")["1"]?[Column.name] == "中港タワー")
    }

    /// The staff page: Japanese first (English with lang=en), no external assets, what it needs of the API named.
    @Test func theStaffPageIsJapaneseFirstAndSelfContained() async throws {
        try await FeaturesTests.app().test(.router) { client in
            try await client.execute(uri: "/status", method: .get, headers: [.accept: "text/html"]) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok && html.contains("<html lang=\"ja\">") && html.contains("避難所の開設状況を更新"))
                #expect(html.contains("application/merge-patch+json") && html.contains("If-Match") && html.contains("EventSource"))
                #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
                for state in ShelterStatus.State.allCases { #expect(html.contains(state.rawValue)) }
            }
            try await client.execute(uri: "/status?lang=en", method: .get, headers: [.accept: "text/html"]) { response in
                #expect(String(buffer: response.body).contains("Update shelter status"))
            }
        }
    }
}
