import CivicData
import CivicExcel
import CivicStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CivicServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The server over the bundled real datasets (datasets/ in the repository), through Hummingbird's router tester.
@Suite struct FeaturesTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Some datasets did not load.
    struct NotLoaded: Error, CustomStringConvertible {
        var failed: [String: String]
        var description: String { "datasets not loaded: \(failed)" }
    }

    /// Loaded once for every suite here; if loading fails, the tests that use it fail instead of the run crashing.
    /// Being shared, it is never released: its temporary reports folder is removed when the test process exits.
    static let loaded: Result<Store, any Error> = Result { () throws -> Store in
        let store = try Store.inMemory()
        let summary = loadDataFolder(repository.appendingPathComponent("datasets"), into: store)
        guard summary.failed.isEmpty, summary.folderError == nil else { throw NotLoaded(failed: summary.failed) }
        atexit {
            if case .success(let store) = FeaturesTests.loaded { try? FileManager.default.removeItem(at: store.reportsDirectory) }
        }
        return store
    }

    static var store: Store { get throws { try loaded.get() } }

    static func app() throws -> some ApplicationProtocol {
        try buildApplication(configuration: ServerConfiguration(dataDirectory: repository.appendingPathComponent("datasets")), store: store)
    }

    /// The response's JSON object; a failed test, not a crashed run, when the body is not one.
    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    @Test func landingConformanceAndCollections() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let links = try #require(try Self.object(response)["links"] as? [[String: Any]])
                #expect(Set(links.compactMap { $0["rel"] as? String }).isSuperset(of: ["self", "service-desc", "conformance", "data"]))
            }
            try await client.execute(uri: "/conformance", method: .get) { response in
                let classes = try #require(try Self.object(response)["conformsTo"] as? [String])
                #expect(classes.contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"))
            }
            try await client.execute(uri: "/collections", method: .get) { response in
                let ids = try #require(try Self.object(response)["collections"] as? [[String: Any]]).map { try #require($0["id"] as? String) }
                #expect(ids.contains("yaizu-aed") && ids.contains("ichikawa-aed") && ids.contains("takamatsu-aed"))
                #expect(ids.contains("aed") && ids.contains("evacuation_space") && ids.contains("public_facility"))
            }
            try await client.execute(uri: "/collections/aed", method: .get) { response in
                let extent = try #require(
                    ((try Self.object(response)["extent"] as? [String: Any])?["spatial"] as? [String: Any])?["bbox"] as? [[Double]]
                )
                #expect(extent[0][0] > 130 && extent[0][2] < 141)
            }
        }
    }

    @Test func followingNextYieldsEveryFeatureOnce() async throws {
        try await Self.app().test(.router) { client in
            var uri: String? = "/collections/aed/items?limit=70"
            var ids: [String] = []
            var matched = 0
            while let current = uri {
                uri = try await client.execute(uri: current, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/geo+json")
                    let page = try Self.object(response)
                    matched = try #require(page["numberMatched"] as? Int)
                    let features = try #require(page["features"] as? [[String: Any]])
                    #expect(page["numberReturned"] as? Int == features.count)
                    ids += try features.map { try #require($0["id"] as? String) }
                    let next = try #require(page["links"] as? [[String: Any]]).first { $0["rel"] as? String == "next" }?["href"] as? String
                    return next.map { href in URL(string: href).map { $0.path + "?" + ($0.query ?? "") } ?? href }
                }
            }
            // 焼津市 82 + 市川市 191 + 高松市 514 AED records.
            #expect(matched == 82 + 191 + 514)
            #expect(ids.count == matched && Set(ids).count == matched)
        }
    }

    @Test func bboxMunicipalityAndPropertyFilters() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/collections/aed/items?bbox=138.30,34.85,138.35,34.90&limit=1000", method: .get) { response in
                let features = try #require(try Self.object(response)["features"] as? [[String: Any]])
                #expect(!features.isEmpty)
                for feature in features {
                    let point = try #require((feature["geometry"] as? [String: Any])?["coordinates"] as? [Double])
                    #expect((138.30...138.35).contains(point[0]) && (34.85...34.90).contains(point[1]))
                }
            }
            try await client.execute(uri: "/collections/aed/items?municipality=122033&limit=1", method: .get) { response in
                let page = try Self.object(response)
                #expect(page["numberMatched"] as? Int == 191)
            }
            let name = "%E5%B8%82%E5%BD%B9%E6%89%80%E6%9C%AC%E9%A4%A8"  // 市役所本館
            try await client.execute(uri: "/collections/yaizu-aed/items?%E5%90%8D%E7%A7%B0=\(name)", method: .get) { response in
                let features = try #require(try Self.object(response)["features"] as? [[String: Any]])
                #expect(!features.isEmpty)
                #expect(features.allSatisfy { ($0["properties"] as? [String: Any])?["名称"] as? String == "市役所本館" })
            }
        }
    }

    @Test(arguments: [
        ("/collections/aed/items?limit=0", 400), ("/collections/aed/items?limit=abc", 400), ("/collections/aed/items?limit=10001", 400),
        ("/collections/aed/items?offset=-1", 400), ("/collections/aed/items?bbox=1,2,3", 400), ("/collections/aed/items?bbox=10,50,0,40", 400),
        ("/collections/aed/items?unknown=1", 400), ("/collections/aed/items?crs=EPSG:4326", 400), ("/collections/aed/items?f=xml", 400),
        ("/collections/nope/items", 404), ("/collections/yaizu-aed/items/nope", 404), ("/datasets/nope.csv", 404),
        ("/collections/aed/items?municipality=1", 400),
    ])
    func badRequestsSayWhatWasWrong(uri: String, status: Int) async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status.code == status)
                let error = try Self.object(response)
                #expect(!(error["description"] as? String ?? "").isEmpty)
                #expect(error["code"] is String)
            }
        }
    }

    @Test func oneFeatureInADatasetAndInTheMergedCollection() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/collections/yaizu-aed/items/0000000001", method: .get) { response in
                let feature = try Self.object(response)
                #expect(feature["id"] as? String == "0000000001")
                #expect((feature["properties"] as? [String: Any])?["地方公共団体名"] as? String == "静岡県焼津市")
            }
            try await client.execute(uri: "/collections/aed/items/yaizu-aed/0000000001", method: .get) { response in
                let feature = try Self.object(response)
                #expect(feature["id"] as? String == "yaizu-aed/0000000001")
                #expect((feature["properties"] as? [String: Any])?["dataset"] as? String == "yaizu-aed")
            }
        }
    }

    @Test func downloadsAndReports() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/datasets/ichikawa-aed.csv", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("全国地方公共団体コード,ID,地方公共団体名"))
                #expect(text.components(separatedBy: "\r\n").count == 191 + 2)
            }
            try await client.execute(uri: "/datasets/ichikawa-aed.csv?bom=true", method: .get) { response in
                #expect(Array(Data(response.body.readableBytesView).prefix(3)) == [0xEF, 0xBB, 0xBF])
            }
            try await client.execute(uri: "/datasets/ichikawa-aed.csv?encoding=cp932", method: .get) { response in
                #expect(response.headers[.contentType] == "text/csv; charset=Shift_JIS")
                #expect(String(data: Data(response.body.readableBytesView), encoding: .shiftJIS)?.hasPrefix("全国地方公共団体コード") == true)
            }
            try await client.execute(uri: "/datasets/ichikawa-aed.xlsx", method: .get) { response in
                #expect(response.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                let bytes = Array(response.body.readableBytesView)
                let reader = try DatasetReader.open(.bytes(bytes, name: "ichikawa-aed.xlsx"))
                let collector = FindingCollector()
                let report = ReportBuilder(sink: collector)
                var records = 0
                while try reader.next(reportingTo: report) != nil { records += 1 }
                #expect(records == 191 && reader.schema.id == "aed")
                #expect(reader.sourceDescription.sheet == "AED設置箇所一覧")
                #expect(collector.findings.filter { $0.code.rawValue.hasPrefix("workbook.") }.isEmpty)
            }
            try await client.execute(uri: "/datasets/yaizu-aed.geojson", method: .get) { response in
                let collection = try Self.object(response)
                #expect((collection["features"] as? [Any])?.count == 82)
            }
            try await client.execute(uri: "/datasets/takamatsu-aed/report.json", method: .get) { response in
                let report = try Self.object(response)
                #expect((report["recognition"] as? [String: Any])?["layout"] as? String == "nonStandard")
                #expect((report["summary"] as? [String: Any])?["records"] as? Int == 514)
            }
        }
    }

    /// Large datasets stream their CSV and GeoJSON a page at a time: the same bytes as the cached path.
    @Test func streamedDownloadsMatchTheCachedOnes() async throws {
        let uris = [
            "/datasets/ichikawa-aed.csv", "/datasets/ichikawa-aed.csv?encoding=cp932", "/datasets/ichikawa-aed.geojson",
            "/datasets/ichikawa-aed/report.json",
        ]
        let cached = try await Self.app().test(.router) { client in
            var cached: [String: [UInt8]] = [:]
            for uri in uris {
                cached[uri] = try await client.execute(uri: uri, method: .get) { response in Array(response.body.readableBytesView) }
            }
            return cached
        }
        var configuration = ServerConfiguration(dataDirectory: Self.repository.appendingPathComponent("datasets"))
        configuration.streamedDownloadRecords = 10
        configuration.streamedReportBytes = 100
        try await buildApplication(configuration: configuration, store: try Self.store).test(.router) { client in
            for uri in uris {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(Array(response.body.readableBytesView) == cached[uri], "\(uri)")
                    let etag = try #require(response.headers[.eTag])
                    try await client.execute(uri: uri, method: .get, headers: [.ifNoneMatch: etag]) { again in
                        #expect(again.status == .notModified)
                    }
                }
            }
            try await client.execute(uri: "/datasets/ichikawa-aed.csv?bom=maybe", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            // The workbook is written once into the store's folder and streamed from there.
            for _ in 0..<2 {
                try await client.execute(uri: "/datasets/ichikawa-aed.xlsx", method: .get) { response in
                    #expect(response.status == .ok && response.headers[.contentDisposition]?.contains("ichikawa-aed.xlsx") == true)
                    let reader = try DatasetReader.open(.bytes(Array(response.body.readableBytesView), name: "ichikawa-aed.xlsx"))
                    var records = 0
                    let report = ReportBuilder()
                    while try reader.next(reportingTo: report) != nil { records += 1 }
                    #expect(records == 191)
                }
            }
            let written = try FileManager.default.contentsOfDirectory(atPath: try Self.store.reportsDirectory.path)
            #expect(written.filter { $0.hasPrefix("ichikawa-aed.") && $0.hasSuffix(".xlsx") }.count == 1)
        }
    }

    @Test func apiDocumentDeclaresTheLimit() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/api", method: .get) { response in
                let document = try Self.object(response)
                #expect(document["openapi"] as? String == "3.0.3")
                let items = try #require((document["paths"] as? [String: Any])?["/collections/{collection}/items"] as? [String: Any])
                let parameters = try #require((items["get"] as? [String: Any])?["parameters"] as? [[String: Any]])
                let limit = parameters.first { $0["name"] as? String == "limit" }!
                #expect((limit["schema"] as? [String: Any])?["maximum"] as? Int == 10_000)
            }
            try await client.execute(uri: "/collections/yaizu-aed/queryables", method: .get) { response in
                let properties = try #require(try Self.object(response)["properties"] as? [String: Any])
                #expect(properties["名称"] != nil && properties["緯度"] != nil)
            }
            try await client.execute(uri: "/health", method: .get) { response in
                let health = try Self.object(response)
                #expect(health["status"] as? String == "ok")
            }
        }
    }
}
