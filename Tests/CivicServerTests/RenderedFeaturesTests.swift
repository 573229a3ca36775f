import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import CivicServer

/// Items pages keep each feature as they wrote it (`RenderedFeatures`) and make later pages of the same records from
/// those bytes — without reading the store when the page's records follow from the counts. The pages must be exactly
/// what reading gives, and an edit (update, creation, deletion) must show at once in every page that holds the record.
@Suite struct RenderedFeaturesTests {
    typealias Fixture = ReleaseHTTPTests.Fixture

    /// The features of a page, and its count, asked in a form of its own (`variant` times `&lang=ja` added) so that
    /// the response cache cannot answer (the benchmark varies the Host instead).
    static func page(_ client: some TestClientProtocol, _ uri: String, variant: Int) async throws -> (features: [NSDictionary], matched: Int) {
        let response = try await client.execute(uri: uri + String(repeating: "&lang=ja", count: variant), method: .get) { $0 }
        #expect(response.status == .ok, "\(uri)")
        #expect(response.headers[.xCache] == "MISS", "\(uri) (\(variant)) answered from the response cache")
        let body = try ReleaseHTTPTests.json(response)
        let features = try #require(body["features"] as? [[String: Any]]).map { NSDictionary(dictionary: $0) }
        return (features, try #require(body["numberMatched"] as? Int))
    }

    static func value(_ feature: NSDictionary, _ key: String) -> Any? { (feature["properties"] as? [String: Any])?[key] }

    @Test func keptFeaturesAreTheReadOnesAndEditsShowAtOnce() async throws {
        let fixture = try Fixture()
        let site = try Site(configuration: fixture.configuration, store: fixture.store)
        let app = try buildApplication(site: site, logger: LoadingTests.quiet)
        try await app.test(.router) { client in
            let uri = "/collections/yaizu-aed/items?limit=10&offset=5"
            let read = try await Self.page(client, uri, variant: 0)
            #expect(read.features.count == 10 && read.matched == 82)
            // Kept the second time they are written (the doorkeeper), then the page is made of them.
            #expect(site.delivery.renders.count.features == 0)
            let second = try await Self.page(client, uri, variant: 1)
            #expect(site.delivery.renders.count.features == 10 && second.features == read.features)
            let before = site.delivery.renders.pagesWithoutReading.load(ordering: .relaxed)
            let kept = try await Self.page(client, uri, variant: 2)
            #expect(site.delivery.renders.pagesWithoutReading.load(ordering: .relaxed) == before + 1)
            #expect(kept.features == read.features && kept.matched == read.matched)
            // The merged collection keeps its own (ids with the dataset, the dataset column).
            let mergedURI = "/collections/aed/items?limit=100&municipality=222127"
            let merged = try await Self.page(client, mergedURI, variant: 0)
            _ = try await Self.page(client, mergedURI, variant: 1)
            let mergedKept = try await Self.page(client, mergedURI, variant: 3)
            #expect(mergedKept.features == merged.features && merged.features.count == 82)
            #expect(merged.features.contains { ($0["id"] as? String)?.hasPrefix("yaizu-aed/") == true })

            // An update: the page holds the new value, the other features as they were.
            let edited = try #require(read.features.first?["id"] as? String)
            try await client.execute(
                uri: "/collections/yaizu-aed/items/\(edited)",
                method: .patch,
                headers: EditHTTPTests.headers(fixture.yaizuPublisher, "application/merge-patch+json"),
                body: ByteBuffer(string: #"{"properties": {"設置位置": "１階ロビー"}}"#)
            ) { response in
                #expect(response.status == .ok)
            }
            let updated = try await Self.page(client, uri, variant: 3)
            #expect(Self.value(updated.features[0], "設置位置") as? String == "１階ロビー")
            #expect(Array(updated.features.dropFirst()) == Array(read.features.dropFirst()))
            let mergedUpdated = try await Self.page(client, mergedURI, variant: 4)
            let inMerged = try #require(mergedUpdated.features.first { $0["id"] as? String == "yaizu-aed/\(edited)" })
            #expect(Self.value(inMerged, "設置位置") as? String == "１階ロビー")

            // A deletion leaves a gap: the page is read (the next record moves up) and still right.
            let deleted = try #require(read.features[1]["id"] as? String)
            try await client.execute(
                uri: "/collections/yaizu-aed/items/\(deleted)",
                method: .delete,
                headers: EditHTTPTests.headers(fixture.yaizuPublisher)
            ) { response in
                #expect(response.status == .noContent)
            }
            let afterDeletion = try await Self.page(client, uri, variant: 4)
            #expect(afterDeletion.matched == 81)
            #expect(!afterDeletion.features.contains { $0["id"] as? String == deleted })
            #expect(Array(afterDeletion.features.prefix(1)) == Array(updated.features.prefix(1)))
            #expect(Array(afterDeletion.features[1...8]) == Array(updated.features[2...9]))
            let again = try await Self.page(client, uri, variant: 5)
            #expect(again.features == afterDeletion.features)

            // A creation comes last in file order, in the last page.
            try await client.execute(
                uri: "/collections/yaizu-aed/items",
                method: .post,
                headers: EditHTTPTests.headers(fixture.yaizuPublisher),
                body: ByteBuffer(string: #"{"type": "Feature", "properties": {"全国地方公共団体コード": "222127", "ID": "0000001000", "名称": "新設"}}"#)
            ) { response in
                #expect(response.status == .created)
            }
            let last = try await Self.page(client, "/collections/yaizu-aed/items?limit=10&offset=75", variant: 5)
            #expect(last.matched == 82 && last.features.last?["id"] as? String == "0000001000")
        }
    }

    /// A page in another CRS or of the past is written anew, not from CRS84 features.
    @Test func otherCRSsAndThePastAreWrittenAnew() async throws {
        let fixture = try Fixture()
        let site = try Site(configuration: fixture.configuration, store: fixture.store)
        try await buildApplication(site: site, logger: LoadingTests.quiet).test(.router) { client in
            _ = try await Self.page(client, "/collections/yaizu-aed/items?limit=3", variant: 1)
            let plain = try await Self.page(client, "/collections/yaizu-aed/items?limit=3", variant: 0)
            let projected = try await Self.page(
                client,
                "/collections/yaizu-aed/items?limit=3&crs=http://www.opengis.net/def/crs/EPSG/0/6677",
                variant: 0
            )
            let point = try #require((plain.features[0]["geometry"] as? [String: Any])?["coordinates"] as? [Double])
            let converted = try #require((projected.features[0]["geometry"] as? [String: Any])?["coordinates"] as? [Double])
            #expect(point[0] > 138 && point[0] < 139 && abs(converted[0]) > 1000)
            #expect(site.delivery.renders.count.features == 3)
        }
    }

    /// The budget bounds the bytes kept; features looked up lately stay, the oldest go first.
    @Test func theBudgetBoundsWhatIsKept() {
        let renders = RenderedFeatures(maximumBytes: 64_000)
        let entry = { (n: Int) in RenderedFeatures.Entry(featureID: "\(n)", dataset: "d", bytes: Array(repeating: UInt8(n % 200), count: 500)) }
        renders.remember(collection: renders.lookup(collection: "c", records: []).collection, (1...10).map { (Int64($0), entry($0)) })
        for n in 11...400 {
            _ = renders.lookup(collection: "c", records: [1])
            renders.remember(collection: 0, [(Int64(n), entry(n))])
            #expect(renders.count.bytes <= 64_000)
        }
        // A feature larger than a 64th of the budget is not kept.
        renders.remember(collection: 0, [(401, RenderedFeatures.Entry(featureID: "401", dataset: "d", bytes: Array(repeating: 0, count: 1001)))])
        #expect(renders.lookup(collection: "c", records: [401]).found[0] == nil)
        #expect(renders.lookup(collection: "c", records: [1]).found[0]?.bytes == entry(1).bytes)
        #expect(renders.lookup(collection: "c", records: [2]).found[0] == nil)
        #expect(renders.lookup(collection: "c", records: [400]).found[0]?.featureID == "400")
        // A feature is admitted the second time it is looked up without being kept.
        #expect(renders.lookup(collection: "c", records: [5000]).admit == [false])
        #expect(renders.lookup(collection: "c", records: [5000]).admit == [true])
        // Another collection's features are its own.
        #expect(renders.lookup(collection: "other", records: [400]).found[0] == nil)
        // An edit's carried cache keeps every dataset's features but the edited one's.
        #expect(RenderedFeatures(carrying: renders, without: "d").count.features == 0)
        #expect(RenderedFeatures(carrying: renders, without: "e").count.features == renders.count.features)
    }
}
