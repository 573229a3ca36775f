import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CivicServer

@Suite struct CKANTests {
    static func result(_ response: TestResponse) throws -> Any {
        let envelope = try FeaturesTests.object(response)
        #expect(envelope["success"] as? Bool == true)
        #expect((envelope["help"] as? String)?.contains("/api/3/action/help_show") == true)
        return envelope["result"]!
    }

    @Test func packagesOrganisationsAndResources() async throws {
        try await FeaturesTests.app().test(.router) { client in
            for prefix in ["/api/3/action/", "/api/action/"] {
                try await client.execute(uri: prefix + "package_list", method: .get) { response in
                    let names = try #require(try Self.result(response) as? [String])
                    // The folder's 9 datasets and the status tables of its 3 shelter lists (docs/shelter-status.md).
                    #expect(names.count == 12 && names.contains("yaizu-aed") && names.contains("yaizu-public-toilet"))
                    #expect(names.contains("yaizu-evacuation-space-status"))
                }
            }
            try await client.execute(uri: "/api/3/action/package_show?id=yaizu-aed", method: .get) { response in
                let package = try #require(try Self.result(response) as? [String: Any])
                #expect(package["title"] as? String == "焼津市 AED設置箇所一覧")
                #expect((package["organization"] as? [String: Any])?["name"] as? String == "222127")
                let resources = try #require(package["resources"] as? [[String: Any]])
                #expect(resources.map { $0["format"] as? String } == ["CSV", "GeoJSON", "XLSX", "JSON", "OGC API"])
                #expect(package["license_id"] as? String == "cc-by-4.0")
            }
            try await client.execute(uri: "/api/3/action/organization_show?id=122033&include_datasets=true", method: .get) { response in
                let organization = try #require(try Self.result(response) as? [String: Any])
                #expect(organization["title"] as? String == "千葉県市川市")
                #expect(organization["package_count"] as? Int == 4)
                #expect((organization["packages"] as? [Any])?.count == 4)
            }
            try await client.execute(uri: "/api/3/action/organization_list", method: .get) { response in
                let names = try Self.result(response) as? [String]
                #expect(names == ["122033", "222127", "372013"])
            }
            try await client.execute(uri: "/api/3/action/resource_show?id=ichikawa-aed-geojson", method: .get) { response in
                let resource = try #require(try Self.result(response) as? [String: Any])
                #expect((resource["url"] as? String)?.hasSuffix("/datasets/ichikawa-aed.geojson") == true)
            }
        }
    }

    @Test func searchWithQueryFiltersPagingAndSort() async throws {
        try await FeaturesTests.app().test(.router) { client in
            let body = ByteBuffer(string: #"{"q": "AED", "rows": 2, "start": 0, "sort": "name asc"}"#)
            try await client.execute(uri: "/api/action/package_search", method: .post, headers: [.contentType: "application/json"], body: body) {
                response in
                let result = try #require(try Self.result(response) as? [String: Any])
                #expect(result["count"] as? Int == 3)
                #expect((result["results"] as? [[String: Any]])?.map { $0["name"] as? String } == ["ichikawa-aed", "takamatsu-aed"])
            }
            try await client.execute(uri: "/api/3/action/package_search?q=AED&rows=2&start=2&sort=name%20asc", method: .get) { response in
                let result = try #require(try Self.result(response) as? [String: Any])
                #expect((result["results"] as? [[String: Any]])?.map { $0["name"] as? String } == ["yaizu-aed"])
            }
            try await client.execute(uri: "/api/3/action/package_search?fq=organization:222127&rows=100", method: .get) { response in
                let result = try #require(try Self.result(response) as? [String: Any])
                #expect(result["count"] as? Int == 5)
            }
            try await client.execute(uri: "/api/3/action/package_search?fq=tags:evacuation_space", method: .get) { response in
                let result = try #require(try Self.result(response) as? [String: Any])
                #expect(result["count"] as? Int == 3)
            }
        }
    }

    @Test func datastoreSearch() async throws {
        try await FeaturesTests.app().test(.router) { client in
            try await client.execute(uri: "/api/3/action/datastore_search?resource_id=ichikawa-aed-csv&limit=5&offset=5", method: .get) { response in
                let result = try #require(try Self.result(response) as? [String: Any])
                #expect(result["total"] as? Int == 191)
                let records = try #require(result["records"] as? [[String: Any]])
                #expect(records.count == 5 && records[0]["_id"] as? Int == 6)
                #expect((result["fields"] as? [[String: Any]])?.first?["id"] as? String == "_id")
            }
            let filters = #"{"ID":"0000000003"}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await client.execute(uri: "/api/3/action/datastore_search?resource_id=yaizu-aed-csv&filters=\(filters)", method: .get) { response in
                let result = try #require(try Self.result(response) as? [String: Any])
                #expect(result["total"] as? Int == 1)
            }
            try await client.execute(uri: "/api/3/action/datastore_search?resource_id=yaizu-aed-csv&q=%E5%B8%82%E5%BD%B9%E6%89%80", method: .get) {
                response in
                let result = try #require(try Self.result(response) as? [String: Any])
                #expect(try #require(result["total"] as? Int) > 0)
            }
        }
    }

    @Test(arguments: [
        ("/api/3/action/package_show?id=nope", 404, "Not Found Error"), ("/api/3/action/package_show", 409, "Validation Error"),
        ("/api/3/action/package_search?rows=-1", 409, "Validation Error"), ("/api/3/action/nonsense", 400, "Bad request"),
        ("/api/3/action/datastore_search?resource_id=yaizu-aed-geojson", 404, "Not Found Error"),
    ])
    func errorsUseTheEnvelope(uri: String, status: Int, type: String) async throws {
        try await FeaturesTests.app().test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status.code == status)
                let envelope = try FeaturesTests.object(response)
                #expect(envelope["success"] as? Bool == false)
                #expect((envelope["error"] as? [String: Any])?["__type"] as? String == type)
            }
        }
    }

    @Test func dcatCatalogue() async throws {
        try await FeaturesTests.app().test(.router) { client in
            try await client.execute(uri: "/catalog.jsonld", method: .get) { response in
                #expect(response.headers[.contentType] == "application/ld+json")
                let catalog = try FeaturesTests.object(response)
                #expect(catalog["@type"] as? String == "dcat:Catalog")
                let datasets = try #require(catalog["dcat:dataset"] as? [[String: Any]])
                #expect(datasets.count == 12)
                let yaizu = datasets.first { $0["dct:identifier"] as? String == "yaizu-aed" }!
                #expect((yaizu["dct:publisher"] as? [String: Any])?["foaf:name"] as? String == "静岡県焼津市")
                #expect((yaizu["dct:license"] as? [String: Any])?["@id"] as? String == "https://creativecommons.org/licenses/by/4.0/")
                #expect((yaizu["dcat:distribution"] as? [Any])?.count == 4)
                // Its KPI scores as DQV measurements (docs/kpi.md).
                let measurements = try #require(yaizu["dqv:hasQualityMeasurement"] as? [[String: Any]])
                let conformance = try #require(
                    measurements.first { (($0["dqv:isMeasurementOf"] as? [String: Any])?["@id"] as? String)?.hasSuffix("/kpi#conformance") == true }
                )
                // 93: the 2019 layout (legacy) scores 8 of its 15; 2 scores and 5 + 9 parts.
                #expect((conformance["dqv:value"] as? [String: Any])?["@value"] as? Int == 93 && measurements.count == 16)
                #expect(((yaizu["dct:spatial"] as? [String: Any])?["dcat:bbox"] as? [String: Any])?["@value"] is String)
            }
            try await client.execute(uri: "/datasets/ichikawa-aed.jsonld", method: .get) { response in
                let dataset = try FeaturesTests.object(response)
                #expect(dataset["@type"] as? String == "dcat:Dataset")
            }
        }
    }
}
