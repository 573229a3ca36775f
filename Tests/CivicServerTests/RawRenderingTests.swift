import CivicStore
import Foundation
import Testing

@testable import CivicServer

/// Items pages copy each record's stored JSON values instead of decoding and escaping them again: the bytes must be
/// exactly those of the decoded rendering, for every record of every bundled collection (merged ones too), in every
/// page path (file order, a box, a filter).
@Suite struct RawRenderingTests {
    @Test func copiedValuesRenderAsTheDecodedOnesDo() throws {
        let store = try FeaturesTests.store
        let catalogue = Catalogue(datasets: try store.datasets(), failures: [:])
        var compared = 0
        for collection in catalogue.collections {
            let renderer = FeatureRenderer(collection)
            let box = collection.extent
            for query in 0..<3 {
                func page(_ json: Bool) throws -> [StoredFeature] {
                    switch query {
                    case 0: try store.features(in: collection.selector, limit: 100_000, offset: 0, valuesAsJSON: json).features
                    case 1: try store.features(in: collection.selector, bbox: box, limit: 100_000, offset: 0, valuesAsJSON: json).features
                    default:
                        try store.features(
                            in: collection.selector,
                            filters: [0: collection.datasets[0].municipalityCode ?? ""],
                            limit: 100_000,
                            offset: 0,
                            valuesAsJSON: json
                        )
                        .features
                    }
                }
                let decoded = try page(false)
                let copied = try page(true)
                #expect(decoded.count == copied.count, "\(collection.id) query \(query)")
                #expect(copied.allSatisfy { $0.valuesJSON != nil && $0.values.isEmpty })
                for (a, b) in zip(decoded, copied) {
                    var left: [UInt8] = []
                    var right: [UInt8] = []
                    renderer.append(a, to: &left)
                    renderer.append(b, to: &right)
                    #expect(left == right, "\(collection.id) \(a.featureID)")
                    compared += 1
                }
            }
        }
        #expect(compared > 1000)
    }
}
