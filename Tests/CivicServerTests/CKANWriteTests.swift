import CivicData
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CivicServer

/// CKAN's write actions with the tokens of the other faces: a package made, filled record by record, changed, given a
/// new file (multipart, as ckanapi sends it) and deleted; package_show follows each release; other municipalities'
/// tokens, missing tokens and invalid records refused with CKAN's envelope, the store unchanged.
@Suite struct CKANWriteTests {
    typealias Fixture = ReleaseHTTPTests.Fixture

    static func post(_ token: String?, json: [String: Any]) throws -> (HTTPFields, ByteBuffer) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = token }
        return (headers, ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
    }

    /// A multipart/form-data body with text fields and one file, as requests (ckanapi) writes it.
    static func multipart(_ token: String, fields: [String: String], file: ByteBuffer, filename: String) -> (HTTPFields, ByteBuffer) {
        let boundary = "civic-test-boundary-1234"
        var body = ByteBuffer()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"\(filename)\"\r\n")
        body.writeString("Content-Type: text/csv\r\n\r\n")
        var file = file
        body.writeBuffer(&file)
        body.writeString("\r\n--\(boundary)--\r\n")
        return ([.contentType: "multipart/form-data; boundary=\(boundary)", .authorization: token], body)
    }

    static func envelope(_ response: TestResponse) throws -> [String: Any] { try ReleaseHTTPTests.json(response) }

    static func call(
        _ client: some TestClientProtocol,
        _ action: String,
        _ request: (HTTPFields, ByteBuffer),
        status: HTTPResponse.Status = .ok
    ) async throws -> [String: Any] {
        try await client.execute(uri: "/api/3/action/\(action)", method: .post, headers: request.0, body: request.1) { response in
            let envelope = try Self.envelope(response)
            #expect(response.status == status, "\(action): \(envelope["error"] ?? "")")
            return envelope
        }
    }

    @Test func aPackageIsMadeFilledChangedAndDeleted() async throws {
        let fixture = try Fixture()
        let publisher = fixture.yaizuPublisher
        try await fixture.app().test(.router) { client in
            let created = try await Self.call(
                client,
                "package_create",
                try Self.post(
                    publisher,
                    json: [
                        "name": "yaizu-aed-new", "title": "焼津市 AED（新規）", "owner_org": "222127", "license_id": "cc-by-4.0",
                        "extras": [["key": "standard_dataset", "value": "aed"]],
                    ]
                )
            )
            let package = try #require(created["result"] as? [String: Any])
            #expect(package["name"] as? String == "yaizu-aed-new" && package["version"] as? String == "1")
            // A standard dataset's id names its merged collection: not a package's name.
            let reserved = try await Self.call(
                client,
                "package_create",
                try Self.post(publisher, json: ["name": "fire_hydrant", "title": "焼津市 消火栓", "owner_org": "222127"]),
                status: .conflict
            )
            #expect(((reserved["error"] as? [String: Any])?["message"] as? String)?.contains("standard dataset's id") == true)
            #expect(package["license_id"] as? String == "cc-by-4.0")
            // Records, each checked as a row of the dataset.
            let records: [[String: Any]] = [
                ["全国地方公共団体コード": "222127", "ID": "0000000001", "地方公共団体名": "静岡県焼津市", "名称": "新庁舎", "緯度": 34.8669, "経度": 138.3231],
                ["全国地方公共団体コード": "222127", "ID": "0000000002", "地方公共団体名": "静岡県焼津市", "名称": "体育館"],
            ]
            _ = try await Self.call(
                client,
                "datastore_upsert",
                try Self.post(publisher, json: ["resource_id": "yaizu-aed-new-csv", "records": records, "method": "insert"])
            )
            try await client.execute(uri: "/api/3/action/datastore_search?resource_id=yaizu-aed-new-csv", method: .get) { response in
                let result = try #require(try Self.envelope(response)["result"] as? [String: Any])
                let rows = try #require(result["records"] as? [[String: Any]])
                #expect(result["total"] as? Int == 2 && rows.first?["名称"] as? String == "新庁舎" && rows.first?["緯度"] as? String == "34.8669")
            }
            try await client.execute(uri: "/collections/yaizu-aed-new/items/0000000001", method: .get) { response in
                #expect(response.status == .ok)
            }
            // An upsert changes the fields it names; the others stay.
            _ = try await Self.call(
                client,
                "datastore_upsert",
                try Self.post(publisher, json: ["resource_id": "yaizu-aed-new-csv", "records": [["ID": "0000000002", "設置位置": "玄関"]]])
            )
            try await client.execute(uri: "/api/3/action/package_show?id=yaizu-aed-new", method: .get) { response in
                let package = try #require(try Self.envelope(response)["result"] as? [String: Any])
                #expect(package["version"] as? String == "3")
                let hash = (package["resources"] as? [[String: Any]])?.first?["hash"] as? String
                #expect(hash?.isEmpty == false)
            }
            try await client.execute(uri: "/collections/yaizu-aed-new/items/0000000002", method: .get) { response in
                let properties = try #require(try ReleaseHTTPTests.json(response)["properties"] as? [String: Any])
                #expect(properties["名称"] as? String == "体育館" && properties["設置位置"] as? String == "玄関")
            }
            _ = try await Self.call(
                client,
                "datastore_delete",
                try Self.post(publisher, json: ["resource_id": "yaizu-aed-new-csv", "filters": ["ID": "0000000001"]])
            )
            #expect(try fixture.store.dataset(id: "yaizu-aed-new")?.recordCount == 1)
            // Metadata: patch changes what it is given, update clears the rest.
            _ = try await Self.call(client, "package_patch", try Self.post(publisher, json: ["id": "yaizu-aed-new", "title": "焼津市 AED（改）"]))
            var dataset = try #require(try fixture.store.dataset(id: "yaizu-aed-new"))
            #expect(dataset.title == "焼津市 AED（改）" && dataset.license == "CC-BY-4.0")
            // The update frequency too (the freshness KPI): a name, a Japanese word or ckanext-dcat's extra.
            _ = try await Self.call(client, "package_patch", try Self.post(publisher, json: ["id": "yaizu-aed-new", "frequency": "毎月"]))
            #expect(try fixture.store.dataset(id: "yaizu-aed-new")?.updateFrequency == .monthly)
            _ = try await Self.call(
                client,
                "package_patch",
                try Self.post(publisher, json: ["id": "yaizu-aed-new", "extras": [["key": "frequency", "value": "quarterly"]]])
            )
            #expect(try fixture.store.dataset(id: "yaizu-aed-new")?.updateFrequency == .quarterly)
            let refused = try await Self.call(
                client,
                "package_patch",
                try Self.post(publisher, json: ["id": "yaizu-aed-new", "frequency": "sometimes"]),
                status: .conflict
            )
            #expect("\(refused["error"] ?? "")".contains("not an update frequency"))
            _ = try await Self.call(client, "package_update", try Self.post(publisher, json: ["id": "yaizu-aed-new", "title": "焼津市 AED"]))
            dataset = try #require(try fixture.store.dataset(id: "yaizu-aed-new"))
            #expect(dataset.title == "焼津市 AED" && dataset.license == nil && dataset.updateFrequency == nil)
            // The data folder's sync leaves a dataset made through the API.
            _ = loadDataFolder(fixture.configuration.dataDirectory, into: fixture.store)
            #expect(try fixture.store.dataset(id: "yaizu-aed-new") != nil)
            _ = try await Self.call(client, "package_delete", try Self.post(publisher, json: ["id": "yaizu-aed-new"]))
            // As CKAN answers for a deleted package: not authorised for the public, its tombstone for its municipality.
            let hidden = try await client.execute(uri: "/api/3/action/package_show?id=yaizu-aed-new", method: .get) { $0 }
            #expect(hidden.status == .forbidden)
            #expect((try Self.envelope(hidden)["error"] as? [String: Any])?["__type"] as? String == "Authorization Error")
            let shown = try await client.execute(
                uri: "/api/3/action/package_show?id=yaizu-aed-new",
                method: .get,
                headers: [.authorization: "Bearer \(publisher)"]
            ) { $0 }
            let tombstone = try #require(try Self.envelope(shown)["result"] as? [String: Any])
            #expect(tombstone["state"] as? String == "deleted" && tombstone["owner_org"] as? String == "222127")
            try await client.execute(uri: "/api/3/action/package_show?id=no-such-package", method: .get) { #expect($0.status == .notFound) }
            let actions = try fixture.store.auditLog(limit: 10, before: nil).map(\.action)
            // The refused frequency wrote nothing.
            #expect(actions.prefix(6) == ["dataset.remove", "dataset.update", "dataset.update", "dataset.update", "dataset.update", "record.edit"])
        }
    }

    @Test func aFileUploadedAsCkanapiSendsItIsPublishedOrDrafted() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let editor = try await Self.call(
                client,
                "resource_create",
                Self.multipart(
                    fixture.yaizuEditor,
                    fields: ["package_id": "yaizu-aed", "name": "AED 2026-12"],
                    file: try ReleaseHTTPTests.editedAED(),
                    filename: "222127_aed.csv"
                )
            )
            #expect((editor["result"] as? [String: Any])?["civic_release_state"] as? String == "draft")
            #expect(try fixture.store.dataset(id: "yaizu-aed")?.liveRelease == 1)
            let published = try await Self.call(
                client,
                "resource_update",
                Self.multipart(
                    fixture.yaizuPublisher,
                    fields: ["id": "yaizu-aed-csv"],
                    file: try ReleaseHTTPTests.editedAED(),
                    filename: "222127_aed.csv"
                )
            )
            let resource = try #require(published["result"] as? [String: Any])
            #expect(resource["civic_release_state"] as? String == "live" && resource["civic_release"] as? Int == 3)
            try await client.execute(uri: "/api/3/action/package_show?id=yaizu-aed", method: .get) { response in
                let package = try #require(try Self.envelope(response)["result"] as? [String: Any])
                #expect(package["version"] as? String == "3")
            }
            #expect(try fixture.store.dataset(id: "yaizu-aed")?.recordCount == 82)
            // A file with errors is kept as a draft and refused for publishing.
            let broken = try await Self.call(
                client,
                "resource_update",
                Self.multipart(
                    fixture.yaizuPublisher,
                    fields: ["id": "yaizu-aed-csv"],
                    file: try ReleaseHTTPTests.editedAED(broken: true),
                    filename: "222127_aed.csv"
                ),
                status: .conflict
            )
            #expect(((broken["error"] as? [String: Any])?["message"] as? String)?.contains("draft release 4") == true)
            #expect(try fixture.store.dataset(id: "yaizu-aed")?.liveRelease == 3)
        }
    }

    @Test func noOtherMunicipalityNoMissingTokenNoInvalidRecordWrites() async throws {
        let fixture = try Fixture()
        let other = fixture.ichikawaPublisher
        let record: [String: Any] = ["全国地方公共団体コード": "222127", "ID": "0000000001", "名称": "x"]
        let bodies: [(String, [String: Any])] = [
            ("package_create", ["name": "x-new", "owner_org": "222127", "standard_dataset": "aed"]),
            ("package_update", ["id": "yaizu-aed", "title": "x"]), ("package_patch", ["id": "yaizu-aed", "title": "x"]),
            ("package_delete", ["id": "yaizu-aed"]),
            ("datastore_upsert", ["resource_id": "yaizu-aed-csv", "records": [record]]),
            ("datastore_delete", ["resource_id": "yaizu-aed-csv", "filters": ["ID": "0000000001"]]),
            ("package_delete", ["id": "no-such-dataset"]),
        ]
        let calls = try bodies.map { ($0.0, try JSONSerialization.data(withJSONObject: $0.1)) }
        try await fixture.app().test(.router) { client in
            let before = try EditHTTPTests.state(fixture.store)
            for (action, json) in calls {
                for (token, status, type) in [
                    (other, HTTPResponse.Status.forbidden, "Authorization Error"), (nil, .unauthorized, "Authorization Error"),
                    ("civic_0000000000000000_AAAA", .unauthorized, "Authorization Error"),
                ] {
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let token { headers[.authorization] = token }
                    let envelope = try await Self.call(client, action, (headers, ByteBuffer(bytes: json)), status: status)
                    #expect((envelope["error"] as? [String: Any])?["__type"] as? String == type, "\(action)")
                }
            }
            _ = try await Self.call(
                client,
                "resource_create",
                Self.multipart(other, fields: ["package_id": "yaizu-aed"], file: try ReleaseHTTPTests.editedAED(), filename: "a.csv"),
                status: .forbidden
            )
            // The municipality's own token, an invalid record: refused whole, with what is wrong.
            let invalid = try await Self.call(
                client,
                "datastore_upsert",
                try Self.post(
                    fixture.yaizuPublisher,
                    json: [
                        "resource_id": "yaizu-aed-csv",
                        "records": [["ID": "0000000001", "設置位置": "x"], ["ID": "0000000003", "全国地方公共団体コード": "222128"]],
                    ]
                ),
                status: .conflict
            )
            #expect(((invalid["error"] as? [String: Any])?["message"] as? String)?.contains("records[1]") == true)
            _ = try await Self.call(
                client,
                "datastore_upsert",
                try Self.post(fixture.yaizuPublisher, json: ["resource_id": "yaizu-aed-csv", "records": [["色": "赤", "ID": "0000000001"]]]),
                status: .conflict
            )
            _ = try await Self.call(
                client,
                "package_create",
                try Self.post(fixture.yaizuPublisher, json: ["name": "../x", "owner_org": "222127"]),
                status: .conflict
            )
            // GET is not a way to write.
            try await client.execute(
                uri: "/api/3/action/package_delete?id=yaizu-aed",
                method: .get,
                headers: [.authorization: fixture.yaizuPublisher]
            ) {
                response in
                #expect(response.status == .badRequest)
            }
            #expect(try EditHTTPTests.state(fixture.store) == before)
        }
    }
}
