import CivicStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CivicServer

/// `package_search` as harvesters use it (docs/harvesting.md): the Solr filter queries ckanext-harvest's CKAN
/// harvester and search.ckan.jp (xckan) send, CKAN's sort keys with a total order for stable paging, and errors —
/// never a silent empty result — for what cannot be read.
@Suite struct CKANSearchTests {
    @Test func filterQueriesParseAsHarvestersMeanThem() throws {
        // ckanext-harvest's incremental gather: organisations included (OR), one excluded, changed since.
        let harvester = try SolrFilter.parse(
            "organization:222127 OR organization:122033 -organization:372013 metadata_modified:[2026-12-05T10:00:00.123456Z TO *]"
        )
        #expect(
            harvester
                == .and([
                    .or([.term(field: "organization", value: "222127"), .term(field: "organization", value: "122033")]),
                    .not(.term(field: "organization", value: "372013")),
                    .range(field: "metadata_modified", low: "2026-12-05T10:00:00.123456Z", high: nil, includeLow: true, includeHigh: true),
                ])
        )
        // xckan's: created or modified since, the bounds quoted.
        let xckan = try SolrFilter.parse(#"(metadata_modified:["2026-12-05T10:00:00" TO *] OR metadata_created:["2026-12-05T10:00:00" TO *])"#)
        #expect(
            xckan
                == .or([
                    .range(field: "metadata_modified", low: "2026-12-05T10:00:00", high: nil, includeLow: true, includeHigh: true),
                    .range(field: "metadata_created", low: "2026-12-05T10:00:00", high: nil, includeLow: true, includeHigh: true),
                ])
        )
        #expect(try SolrFilter.parse("*:*") == .all)
        #expect(
            try SolrFilter.parse("+tags:aed AND res_format:(CSV OR XLSX)")
                == .and([
                    .term(field: "tags", value: "aed"), .or([.term(field: "res_format", value: "CSV"), .term(field: "res_format", value: "XLSX")]),
                ])
        )
        #expect(
            try SolrFilter.parse("metadata_created:{NOW-7DAYS TO NOW}")
                == .range(
                    field: "metadata_created",
                    low: "NOW-7DAYS",
                    high: "NOW",
                    includeLow: false,
                    includeHigh: false
                )
        )
        // What cannot be read says so.
        for bad in ["foo:bar", "organization", #"title:"open"#, "metadata_modified:[2026 TO", "(tags:aed"] {
            #expect(throws: SolrFilter.Invalid.self, "\(bad)") { try SolrFilter.parse(bad) }
        }
        #expect(throws: SolrFilter.Invalid.self) { try SolrFilter.parse("metadata_modified:[yesterday TO *]").validate() }
        let now = try #require(Store.date("2026-12-06T12:00:00Z"))
        #expect(SolrFilter.date("NOW-1DAY", now: now) == Store.date("2026-12-05T12:00:00Z"))
        #expect(SolrFilter.date("2026-12-05", now: now) == Store.date("2026-12-05T00:00:00Z"))
        #expect(SolrFilter.date("2026-12-05T10:00:00.5", now: now) == Store.date("2026-12-05T10:00:00.5Z"))
        // RFC 3339 offsets, with and without fractions (as JSON Schema's date-time allows).
        #expect(SolrFilter.date("2026-12-05T19:00:00+09:00", now: now) == Store.date("2026-12-05T10:00:00Z"))
        #expect(SolrFilter.date("2026-12-05T05:00:00.250-05:00", now: now) == Store.date("2026-12-05T10:00:00.25Z"))
    }

    static func search(_ client: some TestClientProtocol, _ query: String) async throws -> (count: Int, names: [String]) {
        let uri =
            "/api/3/action/package_search?"
            + query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["+", "&"]))!
            .replacingOccurrences(of: "%26", with: "&")
        return try await client.execute(uri: uri, method: .get) { response in
            let envelope = try FeaturesTests.object(response)
            #expect(envelope["success"] as? Bool == true, "\(query): \(envelope["error"] ?? "")")
            let result = try #require(envelope["result"] as? [String: Any], "\(query)")
            let names = try #require(result["results"] as? [[String: Any]]).compactMap { $0["name"] as? String }
            return (try #require(result["count"] as? Int), names)
        }
    }

    @Test func incrementalHarvestingQueriesAnswerWhatChanged() async throws {
        let fixture = try ReleaseHTTPTests.Fixture()
        try await fixture.app().test(.router) { client in
            let everything = try await Self.search(client, "rows=1000")
            #expect(everything.count == everything.names.count && everything.count >= 4)
            // Changed since long ago: all; since a moment to come: none (an empty answer that is true).
            #expect(try await Self.search(client, "fq=metadata_modified:[2000-01-01T00:00:00Z TO *]&rows=1000").count == everything.count)
            #expect(try await Self.search(client, "fq=metadata_modified:[NOW+1DAY TO *]").count == 0)
            let before = Store.timestamp(Date())
            try await Task.sleep(for: .milliseconds(5))
            // One record edited: its dataset alone changed since `before`; created long before.
            try await client.execute(
                uri: "/collections/yaizu-aed/items/0000000001",
                method: .patch,
                headers: EditHTTPTests.headers(fixture.yaizuPublisher, "application/merge-patch+json"),
                body: ByteBuffer(string: #"{"properties": {"設置位置": "玄関"}}"#)
            ) { #expect($0.status == .ok) }
            let changed = try await Self.search(client, "fq=metadata_modified:[\(before) TO *]")
            #expect(changed.names == ["yaizu-aed"])
            #expect(
                try await Self.search(client, #"fq=(metadata_modified:["\#(before)" TO *] OR metadata_created:["\#(before)" TO *])"#).names == [
                    "yaizu-aed"
                ]
            )
            #expect(try await Self.search(client, "fq=metadata_created:[\(before) TO *]").count == 0)
            // The harvester's whole query: organisations and the time together.
            #expect(try await Self.search(client, "fq=organization:122033 OR organization:372013 metadata_modified:[\(before) TO *]").count == 0)
            #expect(
                try await Self.search(client, "fq=organization:222127 OR organization:372013 metadata_modified:[\(before) TO *]").names == [
                    "yaizu-aed"
                ]
            )
            #expect(try await Self.search(client, "fq=-organization:222127&rows=1000").names.allSatisfy { !$0.hasPrefix("yaizu") })
        }
    }

    @Test func sortedByIDPagesCoverEveryDatasetOnceInOrder() async throws {
        try await FeaturesTests.app().test(.router) { client in
            let all = try await Self.search(client, "rows=1000&sort=id asc")
            #expect(all.names == all.names.sorted() && all.count == 12)
            var paged: [String] = []
            for start in stride(from: 0, to: 14, by: 5) {
                paged += try await Self.search(client, "rows=5&start=\(start)&sort=id asc").names
            }
            #expect(paged == all.names)
            #expect(try await Self.search(client, "rows=1000&sort=id desc").names == all.names.reversed())
            // Ties broken by the next clause, then by id: metadata_created is the same for datasets loaded together.
            let created = try await Self.search(client, "rows=1000&sort=metadata_created asc, name desc").names
            #expect(Set(created) == Set(all.names))
            #expect(try await Self.search(client, "fq=res_format:XLSX AND tags:aed&rows=1000").count == 3)
            #expect(try await Self.search(client, "fq=state:active&rows=1000").count == 12)
            // Refused, with the envelope: an unknown field, a date that is not one, an unknown sort key.
            for bad in ["fq=nonsense:1", "fq=metadata_modified:[yesterday TO *]", "sort=size asc"] {
                let response = try await client.execute(
                    uri: "/api/3/action/package_search?" + bad.replacingOccurrences(of: " ", with: "%20"),
                    method: .get
                ) {
                    $0
                }
                #expect(response.status == .conflict, "\(bad)")
                #expect(try FeaturesTests.object(response)["success"] as? Bool == false)
            }
        }
    }

    /// `/catalog/changes`: every dataset once, in the order of its last change, with a cursor to ask from; a deleted
    /// one comes again as a tombstone, and `package_show` answers for it as CKAN does.
    @Test func theCatalogueChangeFeedCarriesTombstones() async throws {
        let fixture = try ReleaseHTTPTests.Fixture()
        try await fixture.app().test(.router) { client in
            func feed(_ query: String) async throws -> [String: Any] {
                try await client.execute(uri: "/catalog/changes" + query, method: .get) { try FeaturesTests.object($0) }
            }
            let first = try await feed("")
            let changes = try #require(first["changes"] as? [[String: Any]])
            #expect(changes.count == 12 && changes.allSatisfy { $0["state"] as? String == "active" })
            let seqs = changes.compactMap { ($0["seq"] as? NSNumber)?.int64Value }
            #expect(seqs == seqs.sorted() && Set(seqs).count == 12)
            let cursor = try #require((first["cursor"] as? NSNumber)?.int64Value)
            #expect(cursor == seqs.last)
            // Paged: two at a time, the same datasets in the same order.
            var paged: [String] = []
            var since: Int64 = 0
            while true {
                let page = try await feed("?since=\(since)&limit=5")
                let items = try #require(page["changes"] as? [[String: Any]])
                if items.isEmpty { break }
                paged += items.compactMap { $0["id"] as? String }
                since = try #require((page["cursor"] as? NSNumber)?.int64Value)
            }
            #expect(paged == changes.compactMap { $0["id"] as? String })
            let nothing = try await feed("?since=\(cursor)")
            #expect((nothing["changes"] as? [Any])?.isEmpty == true && (nothing["cursor"] as? NSNumber)?.int64Value == cursor)

            // Deleted through CKAN: a tombstone after the cursor.
            _ = try await CKANWriteTests.call(
                client,
                "package_delete",
                try CKANWriteTests.post(fixture.yaizuPublisher, json: ["id": "yaizu-public-toilet"])
            )
            let after = try #require(try await feed("?since=\(cursor)")["changes"] as? [[String: Any]])
            #expect(after.count == 1 && after[0]["id"] as? String == "yaizu-public-toilet" && after[0]["state"] as? String == "deleted")
            #expect(after[0]["municipalityCode"] as? String == "222127" && after[0]["standardDataset"] as? String == "public_toilet")
            // Gone from the lists; 403 for the public and another municipality, its tombstone for its own.
            let listed = try await Self.search(client, "rows=1000").names
            #expect(!listed.contains("yaizu-public-toilet"))
            for (token, status) in [(nil, HTTPResponse.Status.forbidden), (fixture.ichikawaPublisher, .forbidden), (fixture.yaizuEditor, .ok)] {
                let headers: HTTPFields = token.map { [.authorization: "Bearer \($0)"] } ?? [:]
                let response = try await client.execute(uri: "/api/3/action/package_show?id=yaizu-public-toilet", method: .get, headers: headers) {
                    $0
                }
                #expect(response.status == status)
                #expect(response.headers[.cacheControl]?.contains("public") != true)
            }
            for bad in ["?since=-1", "?limit=0", "?cursor=3"] {
                let response = try await client.execute(uri: "/catalog/changes" + bad, method: .get) { $0 }
                #expect(response.status == .badRequest, "\(bad)")
            }
        }
    }

    /// `/catalog.jsonld` paged as ckanext-dcat's harvester reads it (Hydra), and only what changed since a moment.
    @Test func theDCATCatalogueIsPagedWithHydra() async throws {
        try await FeaturesTests.app().test(.router) { client in
            func catalog(_ query: String) async throws -> [String: Any] {
                try await client.execute(uri: "/catalog.jsonld" + query, method: .get) { try FeaturesTests.object($0) }
            }
            func ids(_ catalog: [String: Any]) -> [String] {
                (catalog["dcat:dataset"] as? [[String: Any]] ?? []).compactMap { $0["dct:identifier"] as? String }
            }
            let whole = try await catalog("")
            #expect(ids(whole).count == 12 && whole["hydra:view"] == nil)
            var paged: [String] = []
            var next: String? = "/catalog.jsonld?page=1&limit=5"
            var pages = 0
            while let url = next {
                let page = try await catalog(String(url[url.range(of: "/catalog.jsonld")!.upperBound...]))
                paged += ids(page)
                #expect(page["hydra:totalItems"] as? Int == 12)
                let view = try #require(page["hydra:view"] as? [String: Any])
                #expect((view["hydra:last"] as? String)?.hasSuffix("page=3&limit=5") == true)
                next = view["hydra:next"] as? String
                pages += 1
            }
            #expect(pages == 3 && paged == ids(whole).sorted())
            let none = try await catalog("?modified_since=2999-01-01")
            #expect(ids(none).isEmpty)
            #expect(ids(try await catalog("?modified_since=2000-01-01T00:00:00Z")).count == 12)
            let bad = try await client.execute(uri: "/catalog.jsonld?page=0", method: .get) { $0.status }
            #expect(bad == .badRequest)
        }
    }
}
