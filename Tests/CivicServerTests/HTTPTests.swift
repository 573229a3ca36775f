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
            // A refusal to a browser's request (which carries an Origin) keeps its status and shape (it was a 500).
            let headers: HTTPFields = [.origin: "https://example.jp", .accept: "application/json"]
            try await client.execute(uri: "/collections/no-such-collection", method: .get, headers: headers) { response in
                #expect(response.status == .notFound && response.headers[.accessControlAllowOrigin] == "*")
                #expect(String(buffer: response.body).contains("\"code\":\"NotFound\""))
            }
            try await client.execute(uri: "/collections/yaizu-aed/items?limit=0", method: .get, headers: headers) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func headMethodsAndUnknownPaths() async throws {
        try await FeaturesTests.app().test(.router) { client in
            let length = try await client.execute(uri: "/collections", method: .get) { $0.body.readableBytes }
            try await client.execute(uri: "/collections", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.contentLength] == String(length))
            }
            try await client.execute(uri: "/collections", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
                let error = try FeaturesTests.object(response)
                #expect(error["code"] as? String == "MethodNotAllowed")
            }
            try await client.execute(uri: "/no/such/path", method: .get) { response in
                #expect(response.status == .notFound)
                let error = try FeaturesTests.object(response)
                #expect((error["description"] as? String)?.contains("/no/such/path") == true)
            }
        }
    }

    @Test func bboxAcrossTheAntimeridian() async throws {
        try await FeaturesTests.app().test(.router) { client in
            // West 179 > east −179: a thin box across the antimeridian holds none of Japan's points, and is not an error.
            try await client.execute(uri: "/collections/aed/items?bbox=179,0,-179,1", method: .get) { response in
                #expect(response.status == .ok)
                let page = try FeaturesTests.object(response)
                #expect(page["numberMatched"] as? Int == 0)
            }
            // West 130 > east −170 covers Japan (130…180 and −180…−170).
            try await client.execute(uri: "/collections/aed/items?bbox=130,20,-170,46&limit=1", method: .get) { response in
                let page = try FeaturesTests.object(response)
                #expect(page["numberMatched"] as? Int == 82 + 191 + 514)
            }
        }
    }
}
