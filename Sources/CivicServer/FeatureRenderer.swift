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

    /// Appends the feature; `point` replaces its CRS84 coordinates (already in the output CRS's axis order).
    func append(_ feature: StoredFeature, to out: inout [UInt8], point: (Double, Double)?? = nil, precision: Int = 7) {
        JSONBytes.appendASCII(#"{"type":"Feature","id":"#, to: &out)
        JSONBytes.appendString(id(of: feature), to: &out)
        let coordinates: (Double, Double)? =
            if let point { point } else if let x = feature.longitude, let y = feature.latitude { (x, y) } else { nil }
        if let (x, y) = coordinates {
            JSONBytes.appendASCII(#","geometry":{"type":"Point","coordinates":["#, to: &out)
            JSONBytes.appendFixed(x, precision: precision, to: &out)
            out.append(0x2C)
            JSONBytes.appendFixed(y, precision: precision, to: &out)
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
