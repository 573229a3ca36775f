import CivicData
import CivicGeo
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

    /// Appends the feature; `point` replaces its CRS84 coordinates (already in the output CRS's axis order). A
    /// line or polygon (GeoJSON input) is written with its `bbox`, converted into `shapes`' CRS when given.
    func append(
        _ feature: StoredFeature,
        to out: inout [UInt8],
        point: (Double, Double)?? = nil,
        shapes: ShapeConverter? = nil,
        precision: Int = 7
    ) {
        JSONBytes.appendASCII(#"{"type":"Feature","id":"#, to: &out)
        JSONBytes.appendString(id(of: feature), to: &out)
        let coordinates: (Double, Double)? =
            if let point { point } else if let x = feature.longitude, let y = feature.latitude { (x, y) } else { nil }
        if let text = feature.geometry {
            if let shape = FeatureRenderer.shape(text, converter: shapes), let bounds = shape.bounds {
                JSONBytes.appendASCII(#","bbox":["#, to: &out)
                for (index, value) in bounds.enumerated() {
                    if index > 0 { out.append(0x2C) }
                    JSONBytes.appendFixed(value, precision: precision, to: &out)
                }
                JSONBytes.appendASCII(#"],"geometry":"#, to: &out)
                shape.appendJSON(to: &out, precision: precision)
            } else {
                // Stored by the loader from a valid RecordGeometry; a shape that no longer converts is left out.
                JSONBytes.appendASCII(#","geometry":null"#, to: &out)
            }
        } else if let (x, y) = coordinates {
            JSONBytes.appendASCII(#","geometry":{"type":"Point","coordinates":["#, to: &out)
            JSONBytes.appendFixed(x, precision: precision, to: &out)
            out.append(0x2C)
            JSONBytes.appendFixed(y, precision: precision, to: &out)
            JSONBytes.appendASCII("]}", to: &out)
        } else {
            JSONBytes.appendASCII(#","geometry":null"#, to: &out)
        }
        JSONBytes.appendASCII(#","properties":{"#, to: &out)
        if let json = feature.valuesJSON {
            appendProperties(json: json, datasetID: feature.datasetID, to: &out)
            JSONBytes.appendASCII("}}", to: &out)
            return
        }
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

    /// The properties from the stored JSON array of strings, copied as they are (they were escaped by the same
    /// `JSONBytes.appendString` when stored): "" is null, a numeric column's number is written bare — the bytes the
    /// decoded values would give, without making a String of each.
    private func appendProperties(json: [UInt8], datasetID: String, to out: inout [UInt8]) {
        json.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            var index = 0
            while index < count && bytes[index] != 0x5B { index += 1 }
            index += 1
            for column in 0..<keys.count {
                if column > 0 { out.append(0x2C) }
                out.append(contentsOf: keys[column])
                if collection.isMerged && column == keys.count - 1 {
                    JSONBytes.appendString(datasetID, to: &out)
                    continue
                }
                // The next string literal; none left (fewer values than columns) is null.
                while index < count && bytes[index] != 0x22 && bytes[index] != 0x5D { index += 1 }
                guard index < count, bytes[index] == 0x22 else {
                    JSONBytes.appendASCII("null", to: &out)
                    continue
                }
                let start = index
                index += 1
                var escaped = false
                while index < count && bytes[index] != 0x22 {
                    if bytes[index] == 0x5C {
                        escaped = true
                        index += 2
                    } else {
                        index += 1
                    }
                }
                let end = min(index, count - 1)
                index += 1
                if end == start + 1 {
                    JSONBytes.appendASCII("null", to: &out)
                } else if !escaped && collection.numeric[column]
                    && JSONBytes.isJSONNumber(bytes: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<end]))
                {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<end]))
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...end]))
                }
            }
        }
    }

    /// A stored shape (GeoJSON text, CRS84), converted when asked.
    static func shape(_ text: String, converter: ShapeConverter?) -> RecordGeometry? {
        guard let json = try? JSONParser.parse(Array(text.utf8)), var geometry = try? RecordGeometry(json: json) else { return nil }
        if let converter, !converter.convert(&geometry) { return nil }
        return geometry
    }

    /// The shape as Well-Known Text (CRS84), for CSV.
    static func wkt(_ text: String?) -> String {
        text.flatMap { shape($0, converter: nil)?.wkt } ?? ""
    }
}

/// Converts stored shapes (CRS84) into an output CRS, in its axis order (OGC API Features Part 2). Not Sendable: it
/// owns a PROJ transformation; one per response.
final class ShapeConverter {
    private let transform: CoordinateTransform
    private let northFirst: Bool

    init(_ crs: OutputCRS) throws {
        transform = try CoordinateTransform(from: .crs84, to: crs.crs)
        northFirst = crs.northFirst
    }

    /// False when a vertex cannot be transformed.
    func convert(_ geometry: inout RecordGeometry) -> Bool {
        var failed = false
        geometry.transformPositions { x, y in
            if !transform.transform(x: &x, y: &y).isEmpty { failed = true }
            if northFirst { swap(&x, &y) }
        }
        return !failed
    }
}

@available(*, unavailable)
extension ShapeConverter: Sendable {}
