import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CivicServer

/// OGC API Features Part 4 on 焼津市's AED collection: create, replace, merge-patch, delete with ETags and If-Match;
/// each record checked by the pipeline; a publisher's edits live at once, an editor's in a draft; other
/// municipalities, missing and bad tokens, merged collections and hostile bodies refused with the store unchanged; the
/// change feed lists what readers saw.
@Suite struct EditHTTPTests {
    typealias Fixture = ReleaseHTTPTests.Fixture
    static let item = "/collections/yaizu-aed/items/0000000001"

    static func headers(_ token: String?, _ type: String = "application/geo+json", ifMatch: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [.contentType: type]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let ifMatch { headers[.ifMatch] = ifMatch }
        return headers
    }

    static func json(_ response: TestResponse) throws -> [String: Any] { try ReleaseHTTPTests.json(response) }

    static func properties(_ response: TestResponse) throws -> [String: Any] {
        try #require(try json(response)["properties"] as? [String: Any])
    }

    /// The live records, the releases and the change log, to compare before and after refused writes.
    static func state(_ store: Store) throws -> String {
        let dataset = try #require(try store.dataset(id: "yaizu-aed"))
        let page = try store.features(in: .dataset(dataset), limit: 1000, offset: 0)
        let changes = try store.changes(of: ["yaizu-aed"], since: 0, limit: 100_000).changes.count
        return "\(page.features.map(\.values))|\(try store.releases(of: "yaizu-aed").map(\.number))|\(changes)"
    }

    @Test func aPublisherPatchesWithIfMatchAndReadersSeeItAtOnce() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let etag = try await client.execute(uri: Self.item, method: .get) { response in
                #expect(response.status == .ok)
                return try #require(response.headers[.eTag])
            }
            #expect(etag.hasPrefix("\"") && !etag.hasPrefix("W/"))
            let cursor = try await client.execute(uri: "/collections/yaizu-aed/changes?limit=10000", method: .get) { response in
                let feed = try Self.json(response)
                #expect((feed["changes"] as? [[String: Any]])?.count == 82)
                return try #require(feed["next"] as? String)
            }
            let patch = ByteBuffer(string: #"{"properties": {"設置位置": "１階ロビー", "電話番号": null}}"#)
            let newTag = try await client.execute(
                uri: Self.item,
                method: .patch,
                headers: Self.headers(fixture.yaizuPublisher, "application/merge-patch+json", ifMatch: etag),
                body: patch
            ) { response in
                #expect(response.status == .ok)
                let properties = try Self.properties(response)
                #expect(properties["設置位置"] as? String == "１階ロビー" && properties["電話番号"] is NSNull)
                #expect(properties["名称"] as? String == "市役所本館")
                return try #require(response.headers[.eTag])
            }
            #expect(newTag != etag)
            // Readers: the new content under the new tag.
            try await client.execute(uri: Self.item, method: .get) { response in
                #expect(response.headers[.eTag] == newTag)
                let properties = try Self.properties(response)
                #expect(properties["設置位置"] as? String == "１階ロビー")
            }
            // The old tag no longer matches: 412, nothing written.
            let before = try Self.state(fixture.store)
            try await client.execute(
                uri: Self.item,
                method: .patch,
                headers: Self.headers(fixture.yaizuPublisher, ifMatch: etag),
                body: ByteBuffer(string: #"{"properties": {"設置位置": "屋上"}}"#)
            ) { response in
                #expect(response.status == .preconditionFailed)
            }
            #expect(try Self.state(fixture.store) == before)
            // The edit is a release of its own, and in the change feed.
            try await client.execute(uri: "/datasets/yaizu-aed/releases", method: .get) { response in
                let releases = try #require(try Self.json(response)["releases"] as? [[String: Any]])
                #expect(releases.first?["state"] as? String == "live" && releases.first?["number"] as? Int == 2)
            }
            try await client.execute(uri: "/collections/yaizu-aed/changes?since=\(cursor)", method: .get) { response in
                let feed = try Self.json(response)
                let changes = try #require(feed["changes"] as? [[String: Any]])
                #expect(changes.count == 1 && changes[0]["type"] as? String == "update" && changes[0]["id"] as? String == "0000000001")
                let feature = try #require(changes[0]["feature"] as? [String: Any])
                #expect((feature["properties"] as? [String: Any])?["設置位置"] as? String == "１階ロビー")
                #expect(feed["next"] as? String == "\((changes[0]["seq"] as? Int) ?? 0)" && feed["more"] as? Bool == false)
            }
        }
    }

    @Test func createReplaceDeleteAndTheFeedsTombstone() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let feature = #"""
                {"type": "Feature", "geometry": {"type": "Point", "coordinates": [138.3001, 34.9001]},
                 "properties": {"全国地方公共団体コード": "222127", "ID": "0000001000", "地方公共団体名": "静岡県焼津市", "名称": "新しい体育館",
                                "設置位置": "玄関"}}
                """#
            let location = try await client.execute(
                uri: "/collections/yaizu-aed/items",
                method: .post,
                headers: Self.headers(fixture.yaizuPublisher),
                body: ByteBuffer(string: feature)
            ) { response in
                #expect(response.status == .created)
                let geometry = try #require(try Self.json(response)["geometry"] as? [String: Any])
                #expect(geometry["coordinates"] as? [Double] == [138.3001, 34.9001])
                return try #require(response.headers[.location])
            }
            #expect(location.hasSuffix("/collections/yaizu-aed/items/0000001000"))
            try await client.execute(uri: "/collections/yaizu-aed/items?bbox=138.29,34.89,138.31,34.91", method: .get) { response in
                let features = try #require(try Self.json(response)["features"] as? [[String: Any]])
                #expect(features.map { $0["id"] as? String } == ["0000001000"])
            }
            // PUT replaces the whole record (properties not sent are emptied); PUT to a new ID creates it.
            try await client.execute(
                uri: "/collections/yaizu-aed/items/0000001000",
                method: .put,
                headers: Self.headers(fixture.yaizuPublisher),
                body: ByteBuffer(string: #"{"type": "Feature", "geometry": null, "properties": {"全国地方公共団体コード": "222127", "名称": "新しい体育館"}}"#)
            ) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response)
                #expect(body["geometry"] is NSNull && (body["properties"] as? [String: Any])?["設置位置"] is NSNull)
                #expect((body["properties"] as? [String: Any])?["ID"] as? String == "0000001000")
            }
            try await client.execute(
                uri: "/collections/yaizu-aed/items/0000001001",
                method: .put,
                headers: Self.headers(fixture.yaizuPublisher),
                body: ByteBuffer(string: #"{"type": "Feature", "properties": {"全国地方公共団体コード": "222127", "名称": "分館"}}"#)
            ) { response in
                #expect(response.status == .created)
            }
            // PUT with If-Match on a record that does not exist never creates it.
            try await client.execute(
                uri: "/collections/yaizu-aed/items/0000001002",
                method: .put,
                headers: Self.headers(fixture.yaizuPublisher, ifMatch: "\"abc\""),
                body: ByteBuffer(string: #"{"type": "Feature", "properties": {"名称": "x"}}"#)
            ) { response in
                #expect(response.status == .preconditionFailed)
            }
            let tag = try await client.execute(uri: "/collections/yaizu-aed/items/0000001000", method: .get) { response in
                try #require(response.headers[.eTag])
            }
            try await client.execute(
                uri: "/collections/yaizu-aed/items/0000001000",
                method: .delete,
                headers: Self.headers(fixture.yaizuPublisher, ifMatch: tag)
            ) { response in
                #expect(response.status == .noContent)
            }
            // Deleted: gone (410), its versions kept.
            try await client.execute(uri: "/collections/yaizu-aed/items/0000001000", method: .get) { response in
                #expect(response.status == .gone)
            }
            try await client.execute(uri: "/collections/yaizu-aed", method: .get) { response in
                let extent = try Self.json(response)
                #expect(extent["id"] as? String == "yaizu-aed")
            }
            // The feed: created, updated, created, deleted (a tombstone), in order; the merged collection's too.
            for (uri, prefix) in [("/collections/yaizu-aed/changes?since=82", ""), ("/collections/aed/changes?since=0&limit=10000", "yaizu-aed/")] {
                try await client.execute(uri: uri, method: .get) { response in
                    let changes = try #require(try Self.json(response)["changes"] as? [[String: Any]])
                    let mine = changes.filter { ($0["id"] as? String)?.hasPrefix(prefix + "000000100") == true }
                    #expect(mine.map { $0["type"] as? String } == ["create", "update", "create", "delete"])
                    #expect(mine.last?["feature"] is NSNull && mine.last?["id"] as? String == prefix + "0000001000")
                }
            }
        }
    }

    /// An edit keeps the cached pages it leaves right (other records, no count changed) and drops the others: no
    /// reader ever gets a page without the edit.
    @Test func cachedPagesFollowEdits() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            func page(_ offset: Int) async throws -> (etag: String, body: [String: Any]) {
                try await client.execute(uri: "/collections/yaizu-aed/items?limit=10&offset=\(offset)", method: .get) { response in
                    (try #require(response.headers[.eTag]), try Self.json(response))
                }
            }
            let first = try await page(0)
            let second = try await page(10)
            let mergedItem = "/collections/aed/items/yaizu-aed/0000000001"
            let merged = try await client.execute(uri: mergedItem, method: .get) { try #require($0.headers[.eTag]) }
            try await client.execute(
                uri: Self.item,
                method: .patch,
                headers: Self.headers(fixture.yaizuPublisher),
                body: ByteBuffer(string: #"{"properties": {"設置位置": "１階ロビー"}}"#)
            ) { response in
                #expect(response.status == .ok)
            }
            // The page with the record is new; the next one is the same page, still right.
            let firstAfter = try await page(0)
            #expect(firstAfter.etag != first.etag)
            let features = try #require(firstAfter.body["features"] as? [[String: Any]])
            #expect((features.first?["properties"] as? [String: Any])?["設置位置"] as? String == "１階ロビー")
            #expect(try await page(10).etag == second.etag)
            // The merged collection's copy of the record is made again too.
            try await client.execute(uri: mergedItem, method: .get) { response in
                #expect(response.headers[.eTag] != merged)
                let properties = try Self.properties(response)
                #expect(properties["設置位置"] as? String == "１階ロビー")
            }
            // A created record changes the count: every page of the dataset is made again.
            try await client.execute(
                uri: "/collections/yaizu-aed/items",
                method: .post,
                headers: Self.headers(fixture.yaizuPublisher),
                body: ByteBuffer(string: #"{"type": "Feature", "properties": {"全国地方公共団体コード": "222127", "ID": "0000001000", "名称": "新設"}}"#)
            ) { response in
                #expect(response.status == .created)
            }
            let secondAfter = try await page(10)
            #expect(secondAfter.etag != second.etag && secondAfter.body["numberMatched"] as? Int == 83)
        }
    }

    @Test func anInvalidRecordIsRefusedWithItsFindings() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let before = try Self.state(fixture.store)
            try await client.execute(
                uri: Self.item,
                method: .patch,
                headers: Self.headers(fixture.yaizuPublisher),
                body: ByteBuffer(string: #"{"properties": {"全国地方公共団体コード": "222128"}}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let body = try Self.json(response)
                #expect(body["code"] as? String == "InvalidRecord")
                let findings = try #require(body["findings"] as? [[String: Any]])
                #expect(findings.contains { $0["severity"] as? String == "error" && $0["field"] as? String == "全国地方公共団体コード" })
            }
            #expect(try Self.state(fixture.store) == before)
        }
    }

    @Test func anEditorsEditWaitsInADraft() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: Self.item,
                method: .patch,
                headers: Self.headers(fixture.yaizuEditor),
                body: ByteBuffer(string: #"{"properties": {"設置位置": "屋上"}}"#)
            ) { response in
                #expect(response.status == .accepted)
                #expect(response.headers[HTTPField.Name("Link")!]?.contains("/datasets/yaizu-aed/releases/2") == true)
            }
            try await client.execute(uri: Self.item, method: .get) { response in
                let properties = try Self.properties(response)
                #expect(properties["設置位置"] as? String == "２階正面入口")
            }
            try await client.execute(uri: "/datasets/yaizu-aed/releases/2", method: .get, headers: Self.headers(fixture.yaizuEditor)) { response in
                let release = try Self.json(response)
                #expect(release["state"] as? String == "draft")
                #expect(((release["diff"] as? [String: Any])?["changed"] as? [[String: Any]])?.first?["fields"] as? [String] == ["設置位置"])
            }
            try await client.execute(uri: "/datasets/yaizu-aed/releases/2/publish", method: .post, headers: Self.headers(fixture.yaizuPublisher)) {
                response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: Self.item, method: .get) { response in
                let properties = try Self.properties(response)
                #expect(properties["設置位置"] as? String == "屋上")
            }
        }
    }

    @Test func noOtherMunicipalityNoBadTokenNoMergedCollectionNoHostileBodyWrites() async throws {
        let fixture = try Fixture()
        let valid = ByteBuffer(string: #"{"type": "Feature", "properties": {"全国地方公共団体コード": "222127", "名称": "x"}}"#)
        let writes: [(String, HTTPRequest.Method)] = [
            ("/collections/yaizu-aed/items", .post), (Self.item, .put), (Self.item, .patch), (Self.item, .delete),
        ]
        try await fixture.app().test(.router) { client in
            let before = try Self.state(fixture.store)
            for (uri, method) in writes {
                for (token, status) in [
                    (nil, HTTPResponse.Status.unauthorized), ("civic_0000000000000000_AAAA", .unauthorized), (fixture.ichikawaPublisher, .forbidden),
                ] {
                    try await client.execute(uri: uri, method: method, headers: Self.headers(token), body: valid) { response in
                        #expect(response.status == status, "\(method) \(uri)")
                    }
                }
                // The merged collection takes no edits.
                let merged = uri.replacingOccurrences(of: "yaizu-aed", with: "aed").replacingOccurrences(
                    of: "items/0000000001",
                    with: "items/yaizu-aed/0000000001"
                )
                try await client.execute(uri: merged, method: method, headers: Self.headers(fixture.admin), body: valid) { response in
                    #expect(response.status == .methodNotAllowed, "\(method) \(merged)")
                }
            }
            let hostile: [(String, HTTPRequest.Method, String, ByteBuffer, HTTPResponse.Status)] = [
                (Self.item, .patch, "application/geo+json", ByteBuffer(string: "{\"properties\": {"), .badRequest),
                (Self.item, .patch, "text/csv", ByteBuffer(string: "a,b"), .unsupportedMediaType),
                (Self.item, .patch, "application/json", ByteBuffer(string: #"{"properties": {"色": "赤"}}"#), .badRequest),
                (Self.item, .patch, "application/json", ByteBuffer(string: #"{"properties": {"名称": {"a": 1}}}"#), .badRequest),
                (Self.item, .patch, "application/json", ByteBuffer(string: #"{"properties": {"ID": "0000000002"}}"#), .badRequest),
                (Self.item, .patch, "application/json", ByteBuffer(string: #"{"id": "0000000002", "properties": {}}"#), .badRequest),
                (Self.item, .patch, "application/json", ByteBuffer(string: #"{"type": "FeatureCollection", "features": []}"#), .badRequest),
                (
                    Self.item, .patch, "application/json",
                    ByteBuffer(string: #"{"geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}"#), .badRequest
                ),
                (Self.item, .patch, "application/json", ByteBuffer(string: "[" + String(repeating: " ", count: 2 << 20) + "]"), .contentTooLarge),
                ("/collections/yaizu-aed/items/..%2F..%2Fetc%2Fpasswd", .patch, "application/json", ByteBuffer(string: "{}"), .notFound),
                ("/collections/yaizu-aed/items/nope", .delete, "application/json", ByteBuffer(), .notFound),
            ]
            for (uri, method, type, body, status) in hostile {
                try await client.execute(uri: uri, method: method, headers: Self.headers(fixture.yaizuPublisher, type), body: body) { response in
                    #expect(response.status == status, "\(method) \(uri) \(String(buffer: body).prefix(80))")
                }
            }
            #expect(try Self.state(fixture.store) == before)
        }
    }

    @Test func optionsSaysWhatTheTokenMayDoAndConformanceDeclaresPart4() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            for (uri, token, allow) in [
                ("/collections/yaizu-aed/items", nil, "GET, HEAD, OPTIONS"),
                ("/collections/yaizu-aed/items", fixture.yaizuEditor, "GET, HEAD, OPTIONS, POST"),
                ("/collections/yaizu-aed/items", fixture.ichikawaPublisher, "GET, HEAD, OPTIONS"),
                (Self.item, fixture.yaizuPublisher, "GET, HEAD, OPTIONS, PUT, PATCH, DELETE"),
                ("/collections/aed/items", fixture.admin, "GET, HEAD, OPTIONS"),
            ] {
                try await client.execute(uri: uri, method: .options, headers: Self.headers(token)) { response in
                    #expect(response.status == .ok && response.headers[.allow] == allow, "\(uri)")
                }
            }
            try await client.execute(uri: "/conformance", method: .get) { response in
                let classes = try #require(try Self.json(response)["conformsTo"] as? [String])
                #expect(classes.contains("http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete"))
                #expect(classes.contains("http://www.opengis.net/spec/ogcapi-features-4/1.0/req/optimistic-locking-etags"))
            }
        }
    }
}
