import CivicData
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CivicServer

/// What harvesters compare: a resource's size (the CSV download's bytes, measured in the background), and
/// conditional requests by date (If-Modified-Since) besides ETags.
@Suite struct ResourceMetadataTests {
    /// `site` once its downloads are measured (the background check runs at its start).
    static func measured(_ site: Site) async throws -> Site {
        let datasets = try site.store.datasets().filter { $0.standard != ShelterStatus.schemaID }
        let deadline = Date().addingTimeInterval(30)
        while datasets.contains(where: { site.sizes.csvBytes($0) == nil }), Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        return site
    }

    @Test func theCSVResourceCarriesTheDownloadsSize() async throws {
        let store = try Store.inMemory()
        let folder = try LoadingTests.dataFolder(["yaizu-aed", "ichikawa-public-facility"])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = loadDataFolder(folder, into: store, logger: LoadingTests.quiet)
        let site = try await Self.measured(try Site(configuration: ServerConfiguration(dataDirectory: folder), store: store))
        try await buildApplication(site: site, logger: LoadingTests.quiet).test(.router) { client in
            for id in ["yaizu-aed", "ichikawa-public-facility"] {
                let csv = try await client.execute(uri: "/datasets/\(id).csv", method: .get) { $0 }
                // Answers made after the size was measured (none was cached before).
                let show = try await client.execute(uri: "/api/3/action/package_show?id=\(id)", method: .get) { $0 }
                let package = try #require(try FeaturesTests.object(show)["result"] as? [String: Any])
                let resource = try #require((package["resources"] as? [[String: Any]])?.first { $0["format"] as? String == "CSV" })
                #expect(resource["size"] as? Int == csv.body.readableBytes, "\(id)")
                let dcat = try await client.execute(uri: "/datasets/\(id).jsonld", method: .get) { $0 }
                let distributions = try #require(try FeaturesTests.object(dcat)["dcat:distribution"] as? [[String: Any]])
                let byteSize = try #require(distributions.first?["dcat:byteSize"] as? [String: Any])
                #expect(byteSize["@value"] as? Int == csv.body.readableBytes)
            }
        }
    }

    @Test func conditionalRequestsByDate() async throws {
        try await FeaturesTests.app().test(.router) { client in
            let first = try await client.execute(uri: "/datasets/yaizu-aed.csv", method: .get) { $0 }
            let modified = try #require(first.headers[.lastModified])
            let date = try #require(Delivery.parseHTTPDate(modified))
            let same = try await client.execute(uri: "/datasets/yaizu-aed.csv", method: .get, headers: [.ifModifiedSince: modified]) { $0 }
            #expect(same.status == .notModified && same.body.readableBytes == 0)
            let earlier = Delivery.httpDate(date.addingTimeInterval(-60))
            #expect(try await client.execute(uri: "/datasets/yaizu-aed.csv", method: .get, headers: [.ifModifiedSince: earlier]) { $0.status } == .ok)
            // If-None-Match decides when both are sent (RFC 9110 §13.2.2); a date in another form is ignored.
            let both: HTTPFields = [.ifModifiedSince: modified, .ifNoneMatch: "\"other\""]
            #expect(try await client.execute(uri: "/datasets/yaizu-aed.csv", method: .get, headers: both) { $0.status } == .ok)
            #expect(
                try await client.execute(uri: "/datasets/yaizu-aed.csv", method: .get, headers: [.ifModifiedSince: "yesterday"]) { $0.status } == .ok
            )
            // Answers made anew each time (the KPI's usage counts) have no Last-Modified and are never 304 by date.
            let kpi = try await client.execute(uri: "/kpi", method: .get, headers: [.ifModifiedSince: Delivery.httpDate(Date())]) { $0 }
            #expect(kpi.status == .ok && kpi.headers[.lastModified] == nil)
        }
    }

    /// A large dataset is measured once its revision has stayed live a while (one edited record by record is not
    /// written whole again after every edit); a small one at once.
    @Test func aLargeDatasetIsMeasuredOnceItsRevisionSettles() async throws {
        let store = try Store.inMemory()
        let folder = try LoadingTests.dataFolder(["yaizu-aed"])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = loadDataFolder(folder, into: store, logger: LoadingTests.quiet)
        let dataset = try #require(try store.dataset(id: "yaizu-aed"))
        func waited(_ sizes: DownloadSizes) async throws -> TimeInterval {
            let started = Date()
            sizes.measure(store)
            while sizes.csvBytes(dataset) == nil, Date().timeIntervalSince(started) < 20 { try await Task.sleep(nanoseconds: 20_000_000) }
            return Date().timeIntervalSince(started)
        }
        let settling = DownloadSizes(measuredAtOnce: 10, settleSeconds: 1)
        #expect(try await waited(settling) >= 1)
        let atOnce = DownloadSizes()
        #expect(try await waited(atOnce) < 1)
        #expect(settling.csvBytes(dataset) == atOnce.csvBytes(dataset) && (atOnce.csvBytes(dataset) ?? 0) > 1000)
    }
}
