import CivicData
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CivicServer

/// Usage per dataset per day: downloads and API requests counted (304s apart), nothing of the client kept, added to
/// the store, shown in the KPI's JSON, pages and the datasets table.
@Suite struct UsageTests {
    @Test func requestsAreClassifiedByDatasetAndKind() {
        func classify(_ target: String) -> (String, Bool)? {
            let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            return UsageCounter.classify(parts[0], query: parts.count > 1 ? parts[1] : nil)
        }
        #expect(classify("/datasets/yaizu-aed.csv").map { "\($0.0) \($0.1)" } == "yaizu-aed true")
        #expect(classify("/datasets/yaizu-aed.geojson?datetime=2026-01-01").map { "\($0.0) \($0.1)" } == "yaizu-aed true")
        #expect(classify("/datasets/yaizu-aed/history.xlsx").map { "\($0.0) \($0.1)" } == "yaizu-aed true")
        #expect(classify("/collections/yaizu-aed/items?limit=10").map { "\($0.0) \($0.1)" } == "yaizu-aed false")
        #expect(classify("/collections/yaizu-aed/tiles/WebMercatorQuad/15/1/2").map { "\($0.0) \($0.1)" } == "yaizu-aed false")
        #expect(classify("/api/3/action/package_show?id=yaizu-aed").map { "\($0.0) \($0.1)" } == "yaizu-aed false")
        #expect(classify("/api/3/action/datastore_search?resource_id=yaizu-aed-csv&limit=5").map { "\($0.0) \($0.1)" } == "yaizu-aed false")
        for other in [
            "/", "/collections/yaizu-aed", "/datasets/yaizu-aed/report.json", "/api/3/action/package_search?q=aed", "/kpi", "/datasets/x.jsonld",
        ] {
            #expect(classify(other) == nil, "\(other)")
        }
    }

    @Test func usageIsCountedKeptAndShownInTheKPI() async throws {
        let folder = try LoadingTests.dataFolder(["yaizu-aed", "ichikawa-aed"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store.inMemory()
        _ = loadDataFolder(folder, into: store, logger: LoadingTests.quiet)
        var configuration = ServerConfiguration(dataDirectory: folder)
        configuration.port = 0
        let site = try Site(configuration: configuration, store: store)
        try await buildApplication(site: site, logger: LoadingTests.quiet).test(.live) { client in
            let csv = try await client.execute(uri: "/datasets/yaizu-aed.csv", method: .get) { $0 }
            let etag = try #require(csv.headers[.eTag])
            let again = try await client.execute(uri: "/datasets/yaizu-aed.csv", method: .get, headers: [.ifNoneMatch: etag]) { $0 }
            #expect(again.status == .notModified)
            #expect(try await client.execute(uri: "/collections/yaizu-aed/items?limit=5", method: .get) { $0.status } == .ok)
            #expect(try await client.execute(uri: "/api/3/action/package_show?id=yaizu-aed", method: .get) { $0.status } == .ok)
            // A tile twice: the second answered before routing (DirectAnswers), counted all the same.
            let tile = "/collections/yaizu-aed/tiles/WebMercatorQuad/10/403/906"
            #expect(try await client.execute(uri: tile, method: .get) { $0.status } == .ok)
            let cached = try await client.execute(uri: tile, method: .get) { $0 }
            #expect(cached.status == .ok)
            // Not counted: a page, an error, another dataset's page of the catalogue.
            _ = try await client.execute(uri: "/collections/yaizu-aed", method: .get) { $0 }
            #expect(try await client.execute(uri: "/datasets/nothing.csv", method: .get) { $0.status } == .notFound)
            #expect(try await client.execute(uri: "/datasets/ichikawa-aed.xlsx", method: .get) { $0.status } == .ok)

            // Pending counts are in the KPI before they reach the store.
            let json = try await client.execute(uri: "/kpi/222127", method: .get) { $0 }
            let yaizu = try JSONDecoder().decode(PortalKPI.Municipality.self, from: Data(json.body.readableBytesView))
            let aed = try #require(yaizu.datasets.first { $0.id == "yaizu-aed" })
            #expect(aed.usage == UsageCount(downloads: 2, apiRequests: 4, notModified: 1))
            #expect(yaizu.usage == aed.usage && yaizu.usageByDay.count == 1)

            site.usage.flush(to: store)
            #expect(site.usage.pending.isEmpty)
            let rows = try store.usage(since: "2000-01-01")
            #expect(rows.map(\.dataset).sorted() == ["ichikawa-aed", "yaizu-aed"])
            #expect(rows.first { $0.dataset == "yaizu-aed" }?.count == UsageCount(downloads: 2, apiRequests: 4, notModified: 1))
            #expect(rows.first?.day == DataFolderSync.day(Date()))
            // Counts add up across flushes.
            _ = try await client.execute(uri: "/datasets/yaizu-aed.geojson", method: .get) { $0 }
            site.usage.flush(to: store)
            #expect(try store.usage(since: "2000-01-01").first { $0.dataset == "yaizu-aed" }?.count.downloads == 3)

            let portal = try await client.execute(uri: "/kpi", method: .get) { $0 }
            let kpi = try JSONDecoder().decode(PortalKPI.self, from: Data(portal.body.readableBytesView))
            #expect(kpi.portal.usage == UsageCount(downloads: 4, apiRequests: 4, notModified: 1))
            let page = String(buffer: try await client.execute(uri: "/kpi?f=html", method: .get) { $0 }.body)
            let today = DataFolderSync.day(Date())
            #expect(page.contains("<tr><th scope=\"row\">\(today)</th><td>4</td><td>4</td><td>1</td></tr>"))
            let municipal = String(buffer: try await client.execute(uri: "/kpi/222127?f=html", method: .get) { $0 }.body)
            #expect(municipal.contains("<tr data-id=\"yaizu-aed\"><th scope=\"row\">焼津市 AED設置箇所一覧</th><td>3</td><td>4</td></tr>"))
            // The datasets table for the 報告, with the same numbers.
            let table = String(buffer: try await client.execute(uri: "/kpi/datasets.csv", method: .get) { $0 }.body)
            let line = try #require(table.split(whereSeparator: \.isNewline).first { $0.contains(",yaizu-aed,") })
            #expect(line.hasPrefix("222127,静岡県焼津市,yaizu-aed,焼津市 AED設置箇所一覧,08 aed,82,93,") && line.hasSuffix(",3,4"))
            let workbook = try await client.execute(uri: "/kpi/datasets.xlsx", method: .get) { $0 }
            #expect(workbook.status == .ok && Array(workbook.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
        }
    }
}
