import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CivicServer

/// OGC API Features Part 2 on 焼津市 AED: coordinates in JGD2011 (lat,lon) and 平面直角座標系 VIII系 (X north, Y east).
@Suite struct CRSTests {
    static let zone8 = "http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F6676"
    static let jgd2011 = "http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F6668"

    static func coordinates(_ feature: [String: Any]) throws -> [Double] {
        try #require((feature["geometry"] as? [String: Any])?["coordinates"] as? [Double])
    }

    @Test func featuresInAPlaneZoneAndInJGD2011() async throws {
        try await FeaturesTests.app().test(.router) { client in
            try await client.execute(uri: "/collections/yaizu-aed", method: .get) { response in
                let collection = try FeaturesTests.object(response)
                #expect(try #require(collection["crs"] as? [String]).contains("http://www.opengis.net/def/crs/EPSG/0/6676"))
                #expect(collection["storageCrs"] as? String == "http://www.opengis.net/def/crs/OGC/1.3/CRS84")
            }
            // cs2cs EPSG:6668 EPSG:6676 on 34.866918 138.323171 → X −125686.9670, Y −16166.8798.
            try await client.execute(uri: "/collections/yaizu-aed/items/0000000001?crs=\(Self.zone8)", method: .get) { response in
                #expect(response.headers[.contentCRS] == "<http://www.opengis.net/def/crs/EPSG/0/6676>")
                let point = try Self.coordinates(try FeaturesTests.object(response))
                #expect(abs(point[0] - -125686.967) < 0.002 && abs(point[1] - -16166.880) < 0.002)
            }
            try await client.execute(uri: "/collections/yaizu-aed/items?limit=1&crs=\(Self.jgd2011)", method: .get) { response in
                let features = try #require(try FeaturesTests.object(response)["features"] as? [[String: Any]])
                #expect(try Self.coordinates(try #require(features.first)) == [34.866918, 138.323171])  // lat, lon as EPSG:6668 defines
            }
        }
    }

    @Test func bboxInAPlaneZone() async throws {
        try await FeaturesTests.app().test(.router) { client in
            let reference = try await client.execute(uri: "/collections/yaizu-aed/items?bbox=138.30,34.85,138.35,34.90", method: .get) {
                try #require(try FeaturesTests.object($0)["numberMatched"] as? Int)
            }
            // The same box in VIII系 encloses it (corners transformed, then enclosed): at least as many points.
            let north = "-127500,-18300,-122000,-13700"
            try await client.execute(uri: "/collections/yaizu-aed/items?bbox=\(north)&bbox-crs=\(Self.zone8)", method: .get) { response in
                #expect(response.status == .ok)
                let matched = try #require(try FeaturesTests.object(response)["numberMatched"] as? Int)
                #expect(matched >= reference && reference > 0)
            }
            try await client.execute(uri: "/collections/yaizu-aed/items?crs=EPSG:6676", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
