import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CivicServer

@Suite struct HTTPTests {
    @Test func etagAnswersNotModifiedAndCachingHeaders() async throws {
        try await FeaturesTests.app().test(.router) { client in
            let etag = try await client.execute(uri: "/collections/yaizu-aed/items?limit=5", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "public, max-age=60")
                #expect(response.headers[.lastModified]?.hasSuffix("GMT") == true)
                let tag = try #require(response.headers[.eTag])
                #expect(tag.hasPrefix("\"") && !tag.hasPrefix("W/"))
                return tag
            }
            try await client.execute(uri: "/collections/yaizu-aed/items?limit=5", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.eTag] == etag)
            }
            try await client.execute(uri: "/collections/yaizu-aed/items?limit=6", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func gzipWhenAccepted() async throws {
        try await FeaturesTests.app().test(.router) { client in
            let plain = try await client.execute(uri: "/datasets/ichikawa-aed.csv", method: .get) { $0.body.readableBytes }
            try await client.execute(uri: "/datasets/ichikawa-aed.csv", method: .get, headers: [.acceptEncoding: "gzip, deflate"]) { response in
                #expect(response.headers[.contentEncoding] == "gzip")
                #expect(response.body.readableBytes < plain / 2)
                // gzip magic number
                #expect(Array(response.body.readableBytesView.prefix(2)) == [0x1F, 0x8B])
            }
        }
    }

    @Test func corsForBrowsers() async throws {
        try await FeaturesTests.app().test(.router) { client in
            try await client.execute(uri: "/collections", method: .get, headers: [.origin: "https://example.jp"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == "*")
            }
        }
    }
}
