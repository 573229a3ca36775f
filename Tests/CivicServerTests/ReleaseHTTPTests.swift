import CivicStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CivicServer

/// Releases over HTTP: upload → draft (its diff), drafts seen by their municipality only, publish (the catalogue
/// switches at once), rollback; every write refused to other municipalities, without a token, with a bad one, when too
/// large or not a table — the store unchanged.
@Suite struct ReleaseHTTPTests {
    struct Fixture {
        let store: Store
        let configuration: ServerConfiguration
        let yaizuPublisher: String
        let yaizuEditor: String
        let ichikawaPublisher: String
        let admin: String

        init(maximumUploadBytes: Int = 256 << 20) throws {
            store = try Store.inMemory()
            let folder = FeaturesTests.repository.appendingPathComponent("datasets")
            let summary = loadDataFolder(folder, into: store)
            guard summary.failed.isEmpty else { throw FeaturesTests.NotLoaded(failed: summary.failed) }
            var configuration = ServerConfiguration(dataDirectory: folder)
            configuration.maximumUploadBytes = maximumUploadBytes
            self.configuration = configuration
            let store = self.store
            func token(_ organisation: Organisation, _ role: Role) throws -> String {
                try store.createToken(TokenRequest(organisation: organisation, role: role, name: "test"), by: .commandLine(user: "test")).token
            }
            yaizuPublisher = try token(.municipality("222127"), .publisher)
            yaizuEditor = try token(.municipality("222127"), .editor)
            ichikawaPublisher = try token(.municipality("122033"), .publisher)
            admin = try token(.portal, .admin)
        }

        func app() throws -> some ApplicationProtocol { try buildApplication(configuration: configuration, store: store) }
    }

    /// 焼津市's AED list with NO 2 removed, NO 1's 設置位置 changed and a NO 999 added (CRLF, as published).
    static func editedAED(broken: Bool = false) throws -> ByteBuffer {
        let original = try String(
            contentsOf: FeaturesTests.repository.appendingPathComponent("datasets/yaizu-aed/data.csv"),
            encoding: .utf8
        )
        var lines = original.components(separatedBy: "\r\n")
        lines[1] = lines[1].replacingOccurrences(of: "２階正面入口", with: "１階ロビー")
        let added = lines[3].replacingOccurrences(of: "0000000003", with: "0000000999")
        lines.remove(at: 2)
        lines.insert(added, at: lines.count - 1)
        if broken { lines[4] = lines[4].replacingOccurrences(of: "222127,", with: "222128,") }
        return ByteBuffer(string: lines.joined(separator: "\r\n"))
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "text/csv"] }

    @Test func uploadReviewPublishRollback() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            // Upload: a draft with its diff against the live release.
            try await client.execute(
                uri: "/datasets/yaizu-aed/releases?note=NO%202%20%E6%92%A4%E5%8E%BB",
                method: .post,
                headers: Self.bearer(fixture.yaizuPublisher),
                body: try Self.editedAED()
            ) { response in
                #expect(response.status == .created)
                #expect(response.headers[.location] == "/datasets/yaizu-aed/releases/2")
                let release = try Self.json(response)
                #expect(release["state"] as? String == "draft" && release["recordCount"] as? Int == 82 && release["note"] as? String == "NO 2 撤去")
                let diff = try #require(release["diff"] as? [String: Any])
                #expect(diff["added"] as? [String] == ["0000000999"] && diff["removed"] as? [String] == ["0000000002"])
                #expect((diff["changed"] as? [[String: Any]])?.first?["fields"] as? [String] == ["設置位置"])
            }
            // Readers see the live release only; the municipality's accounts see the draft too; others do not.
            try await client.execute(uri: "/datasets/yaizu-aed/releases", method: .get) { response in
                let releases = try Self.json(response)["releases"] as? [[String: Any]]
                #expect(releases?.map { $0["state"] as? String } == ["live"])
            }
            try await client.execute(uri: "/datasets/yaizu-aed/releases", method: .get, headers: Self.bearer(fixture.yaizuEditor)) { response in
                let releases = try Self.json(response)["releases"] as? [[String: Any]]
                #expect(releases?.map { $0["state"] as? String } == ["draft", "live"])
            }
            for headers in [HTTPFields(), Self.bearer(fixture.ichikawaPublisher)] {
                try await client.execute(uri: "/datasets/yaizu-aed/releases/2", method: .get, headers: headers) { response in
                    #expect(response.status == .notFound)
                }
            }
            // A draft's record is not there for readers.
            try await client.execute(uri: "/collections/yaizu-aed/items/0000000999", method: .get) { response in
                #expect(response.status == .notFound)
            }
            // For people: the list, the release with its diff (Japanese first), and its report.
            try await client.execute(uri: "/datasets/yaizu-aed/releases?f=html", method: .get, headers: Self.bearer(fixture.yaizuEditor)) {
                response in
                let page = String(buffer: response.body)
                #expect(response.status == .ok && page.contains("下書き") && page.contains("/datasets/yaizu-aed/releases/2?f=html"))
            }
            try await client.execute(uri: "/datasets/yaizu-aed/releases/2?f=html", method: .get, headers: Self.bearer(fixture.yaizuEditor)) {
                response in
                let page = String(buffer: response.body)
                #expect(page.contains("<h3>追加 (1)</h3><ul><li>0000000999</li></ul>") && page.contains("0000000001: 設置位置"))
            }
            try await client.execute(uri: "/datasets/yaizu-aed/releases/2?f=html&lang=en", method: .get, headers: Self.bearer(fixture.yaizuEditor)) {
                response in
                #expect(String(buffer: response.body).contains("<h3>Removed (1)</h3><ul><li>0000000002</li></ul>"))
            }
            try await client.execute(uri: "/datasets/yaizu-aed/releases/2/report.json", method: .get, headers: Self.bearer(fixture.yaizuEditor)) {
                response in
                let report = try Self.json(response)
                #expect(response.status == .ok && report["findings"] != nil)
            }
            try await client.execute(uri: "/datasets/yaizu-aed/releases/2/report.json", method: .get) { response in
                #expect(response.status == .notFound)
            }
            // An editor may not publish; a publisher may.
            try await client.execute(uri: "/datasets/yaizu-aed/releases/2/publish", method: .post, headers: Self.bearer(fixture.yaizuEditor)) {
                response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/datasets/yaizu-aed/releases/2/publish", method: .post, headers: Self.bearer(fixture.yaizuPublisher)) {
                response in
                #expect(response.status == .ok)
                let value = try Self.json(response)["state"] as? String
                #expect(value == "live")
            }
            // The catalogue switched at once.
            try await client.execute(uri: "/collections/yaizu-aed/items/0000000999", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/datasets/yaizu-aed/releases/2/publish", method: .post, headers: Self.bearer(fixture.yaizuPublisher)) {
                response in
                #expect(response.status == .conflict)
            }
            // Rollback: release 1's records again, as release 3.
            try await client.execute(uri: "/datasets/yaizu-aed/rollback?to=1", method: .post, headers: Self.bearer(fixture.yaizuPublisher)) {
                response in
                #expect(response.status == .created)
                let release = try Self.json(response)
                #expect(release["number"] as? Int == 3 && release["rollbackOf"] as? Int == 1)
            }
            // Rolled back out: gone (410), its versions kept.
            try await client.execute(uri: "/collections/yaizu-aed/items/0000000999", method: .get) { response in
                #expect(response.status == .gone)
            }
        }
        #expect(try fixture.store.auditLog(limit: 3, before: nil).map(\.action) == ["release.rollback", "release.publish", "release.draft"])
    }

    @Test func everyWriteIsRefusedToOthersAndTheStoreIsUnchanged() async throws {
        let fixture = try Fixture(maximumUploadBytes: 4096)
        let before = try fixture.store.releases(of: "yaizu-aed")
        let writes: [(String, ByteBuffer?)] = [
            ("/datasets/yaizu-aed/releases", ByteBuffer(string: "a,b\n1,2\n")),
            ("/datasets/yaizu-aed/releases/1/publish", nil),
            ("/datasets/yaizu-aed/rollback?to=1", nil),
        ]
        try await fixture.app().test(.router) { client in
            for (uri, body) in writes {
                try await client.execute(uri: uri, method: .post, body: body) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                }
                try await client.execute(uri: uri, method: .post, headers: Self.bearer("civic_0123456789abcdef_x"), body: body) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                }
                // Another municipality's publisher: 403, for an existing dataset and a made-up one alike.
                try await client.execute(uri: uri, method: .post, headers: Self.bearer(fixture.ichikawaPublisher), body: body) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                }
                let madeUp = uri.replacingOccurrences(of: "yaizu-aed", with: "no-such-dataset")
                try await client.execute(uri: madeUp, method: .post, headers: Self.bearer(fixture.ichikawaPublisher), body: body) { response in
                    #expect(response.status == .forbidden, "\(madeUp)")
                }
                try await client.execute(uri: madeUp, method: .post, headers: Self.bearer(fixture.admin), body: body) { response in
                    #expect(response.status == .notFound, "\(madeUp)")
                }
            }
            // Too large, empty, not a table, a PDF: clear 4xx answers.
            let uploads: [(ByteBuffer, HTTPResponse.Status)] = [
                (ByteBuffer(string: String(repeating: "x,y\n", count: 2000)), .contentTooLarge),
                (ByteBuffer(), .badRequest),
                (ByteBuffer(string: "%PDF-1.4\n%âãÏÓ\n1 0 obj\n"), .unprocessableContent),
            ]
            for (body, status) in uploads {
                try await client.execute(uri: "/datasets/yaizu-aed/releases", method: .post, headers: Self.bearer(fixture.yaizuPublisher), body: body)
                {
                    response in
                    #expect(response.status == status)
                    #expect(response.status.code < 500)
                }
            }
            try await client.execute(
                uri: "/datasets/yaizu-aed/releases/1/publish",
                method: .post,
                headers: Self.bearer(fixture.yaizuPublisher),
                body: ByteBuffer(string: "{not json")
            ) { response in
                #expect(response.status == .badRequest)
            }
        }
        #expect(try fixture.store.releases(of: "yaizu-aed") == before)
        #expect(try fixture.store.versionCounts()["draft"] == nil)
    }

    /// The hostile workbooks of CivicExcel's tests (zip bombs, XXE, billion laughs, broken archives), uploaded as
    /// releases through HTTP and through CKAN's multipart resource_create: each a clear 422/409, no draft kept.
    @Test func hostileWorkbooksThroughTheUploadPathsAreRefused() async throws {
        let fixture = try Fixture()
        let folder = FeaturesTests.repository.appendingPathComponent("Tests/CivicExcelTests/Fixtures/hostile")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".xlsx") }.sorted()
        #expect(names.count >= 10)
        let before = try fixture.store.releases(of: "yaizu-aed")
        try await fixture.app().test(.router) { client in
            for name in names {
                let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
                var headers = Self.bearer(fixture.yaizuPublisher)
                headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                try await client.execute(
                    uri: "/datasets/yaizu-aed/releases?filename=\(name)",
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(bytes: bytes)
                ) {
                    response in
                    #expect(response.status == .unprocessableContent, "\(name)")
                    #expect(String(buffer: response.body).contains("UnreadableFile"), "\(name)")
                }
                let form = CKANWriteTests.multipart(
                    fixture.yaizuPublisher,
                    fields: ["id": "yaizu-aed-csv"],
                    file: ByteBuffer(bytes: bytes),
                    filename: name
                )
                try await client.execute(uri: "/api/3/action/resource_update", method: .post, headers: form.0, body: form.1) { response in
                    #expect(response.status == .conflict, "\(name)")
                }
            }
        }
        #expect(try fixture.store.releases(of: "yaizu-aed") == before)
        // The folder's 9 datasets and the 3 status tables of its shelter lists.
        #expect(try fixture.store.versionCounts() == ["live": 12])
        let uploads = fixture.store.reportsDirectory.appendingPathComponent("uploads")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? []).isEmpty)
    }

    @Test func aDraftWithErrorsNeedsAnOverride() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/datasets/yaizu-aed/releases",
                method: .post,
                headers: Self.bearer(fixture.yaizuEditor),
                body: try Self.editedAED(broken: true)
            ) { response in
                #expect(response.status == .created)
                let value = try Self.json(response)["valid"] as? Bool
                #expect(value == false)
            }
            try await client.execute(uri: "/datasets/yaizu-aed/releases/2/publish", method: .post, headers: Self.bearer(fixture.yaizuPublisher)) {
                response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(
                uri: "/datasets/yaizu-aed/releases/2/publish",
                method: .post,
                headers: Self.bearer(fixture.yaizuPublisher),
                body: ByteBuffer(string: #"{"override": "団体コードは次回修正"}"#)
            ) { response in
                #expect(response.status == .ok)
                let value = try Self.json(response)["override"] as? String
                #expect(value == "団体コードは次回修正")
            }
        }
    }
}
