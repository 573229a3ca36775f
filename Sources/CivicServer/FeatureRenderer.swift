import CivicData
import CivicStore
import Foundation

/// Writes features of a collection as GeoJSON (RFC 7946), byte by byte, with keys encoded once.
struct FeatureRenderer: Sendable {
    let collection: Catalogue.Collection
    private let keys: [[UInt8]]

    init(_ collection: Catalogue.Collection) {
        self.collection = collection
        keys = collection.columns.map { name in
            var key: [UInt8] = []
            JSONBytes.appendString(name, to: &key)
            key.append(0x3A)
            return key
        }
    }

    /// The id clients use: the feature id, prefixed with the dataset in a merged collection.
    func id(of feature: StoredFeature) -> String {
        collection.isMerged ? "\(feature.datasetID)/\(feature.featureID)" : feature.featureID
    }

    /// The property values in the collection's column order.
    func values(of feature: StoredFeature) -> [String] {
        guard collection.isMerged else { return feature.values }
        return Array(feature.values.prefix(collection.columns.count - 1)) + [feature.datasetID]
    }

    func append(_ feature: StoredFeature, to out: inout [UInt8]) {
        JSONBytes.appendASCII(#"{"type":"Feature","id":"#, to: &out)
        JSONBytes.appendString(id(of: feature), to: &out)
        if let x = feature.longitude, let y = feature.latitude {
            JSONBytes.appendASCII(#","geometry":{"type":"Point","coordinates":["#, to: &out)
            JSONBytes.appendFixed(x, precision: 7, to: &out)
            out.append(0x2C)
            JSONBytes.appendFixed(y, precision: 7, to: &out)
            JSONBytes.appendASCII("]}", to: &out)
        } else {
            JSONBytes.appendASCII(#","geometry":null"#, to: &out)
        }
        JSONBytes.appendASCII(#","properties":{"#, to: &out)
        let values = values(of: feature)
        for index in 0..<keys.count {
            if index > 0 { out.append(0x2C) }
            out.append(contentsOf: keys[index])
            let value = index < values.count ? values[index] : ""
            if value.isEmpty {
                JSONBytes.appendASCII("null", to: &out)
            } else if collection.numeric[index] && JSONBytes.isJSONNumber(value) {
                out.append(contentsOf: value.utf8)
            } else {
                JSONBytes.appendString(value, to: &out)
            }
        }
        JSONBytes.appendASCII("}}", to: &out)
    }
}
