import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CivicServer

@Suite struct HTMLTests {
    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    @Test func browsersGetPagesJSONClientsGetJSON() async throws {
        try await FeaturesTests.app().test(.router) { client in
            try await client.execute(uri: "/", method: .get, headers: [.accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"]) { response in
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let page = Self.text(response)
                #expect(page.contains("<html lang=\"ja\">") && page.contains("データカタログ"))
                #expect(page.contains("千葉県市川市（122033）") && page.contains("AED設置箇所一覧（全団体）"))
            }
            try await client.execute(uri: "/", method: .get, headers: [.accept: "application/json"]) { response in
                #expect(response.headers[.contentType] == "application/json")
            }
            try await client.execute(uri: "/collections/yaizu-aed?f=html&lang=en", method: .get) { response in
                let page = Self.text(response)
                #expect(page.contains("<html lang=\"en\">") && page.contains("Downloads"))
                #expect(page.contains("role=\"region\" aria-label=\"Map: 焼津市 AED設置箇所一覧\""))
                // MapLibre, served by Civic (no CDN); GeoJSON for a collection this small.
                #expect(page.contains("/static/maplibre/maplibre-gl.js") && page.contains("data-source=\"geojson\""))
                #expect(page.contains("<caption>First 82 records"))
            }
            try await client.execute(uri: "/collections/yaizu-aed/items/0000000001?f=html", method: .get) { response in
                #expect(Self.text(response).contains("<h1>市役所本館</h1>"))
            }
        }
    }

    @Test func errorsAsPagesForBrowsersAndEscaping() async throws {
        try await FeaturesTests.app().test(.router) { client in
            try await client.execute(uri: "/collections/%3Cscript%3E?f=html", method: .get) { response in
                #expect(response.status == .notFound)
                let page = Self.text(response)
                #expect(page.contains("<h1>404 Not Found</h1>"))
                #expect(!page.contains("<script>"))
            }
        }
        #expect(HTMLPages.escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
        #expect(HTMLPages.script("</script><b>") == "\"<\\/script><b>\"")
    }

    @Test func sortbyAndNotAcceptable() async throws {
        try await FeaturesTests.app().test(.router) { client in
            let all = try await client.execute(uri: "/collections/yaizu-aed/items?limit=1000", method: .get) { response in
                try #require(try FeaturesTests.object(response)["features"] as? [[String: Any]]).map { try #require($0["id"] as? String) }
            }
            try await client.execute(uri: "/collections/yaizu-aed/items?sortby=-ID&limit=3", method: .get) { response in
                let ids = try #require(try FeaturesTests.object(response)["features"] as? [[String: Any]]).map { try #require($0["id"] as? String) }
                #expect(ids == Array(all.sorted(by: >).prefix(3)))
            }
            try await client.execute(uri: "/collections/aed/items?sortby=-dataset&limit=1", method: .get) { response in
                let feature = try #require((try FeaturesTests.object(response)["features"] as? [[String: Any]])?.first)
                #expect((feature["properties"] as? [String: Any])?["dataset"] as? String == "yaizu-aed")
            }
            try await client.execute(uri: "/collections/yaizu-aed/items?sortby=nope", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/collections", method: .get, headers: [.accept: "application/xml"]) { response in
                #expect(response.status == .notAcceptable)
            }
        }
    }
}
