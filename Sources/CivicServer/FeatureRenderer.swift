import CivicData
import CivicGeo
import CivicStore
import Foundation

/// Writes features of a collection as GeoJSON (RFC 7946), byte by byte, with keys encoded once.
struct FeatureRenderer: Sendable {
    let collection: Catalogue.Collection
    /// Every column's `"name":` (after a comma but the first) followed by `null`, one after another: `keyEnds[i]` is
    /// where column i's key ends (its value goes there) and `keyEnds[i] + 4` where its `null` does.
    private let keyBytes: [UInt8]
    private let keyStarts: [Int]
    private let keyEnds: [Int]
    /// The bytes of all keys with null values: a feature's properties take about this plus its values.
    var keysLength: Int { keyBytes.count }

    init(_ collection: Catalogue.Collection) {
        self.collection = collection
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var ends: [Int] = []
        for (index, name) in collection.columns.enumerated() {
            starts.append(bytes.count)
            if index > 0 { bytes.append(0x2C) }
            JSONBytes.appendString(name, to: &bytes)
            bytes.append(0x3A)
            ends.append(bytes.count)
            bytes += Array("null".utf8)
        }
        keyBytes = bytes
        keyStarts = starts
        keyEnds = ends
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
        for index in 0..<keyStarts.count {
            out.append(contentsOf: keyBytes[keyStarts[index]..<keyEnds[index]])
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
    /// decoded values would give, without making a String of each. Written into a scratch buffer with `memcpy` and
    /// appended once (an array append per key and value was most of an uncached page's time).
    private func appendProperties(json stored: [UInt8], datasetID: String, to out: inout [UInt8]) {
        // No values at all are all nulls (an empty buffer may have no address to read from).
        let json = stored.isEmpty ? Array("[]".utf8) : stored
        var merged: [UInt8] = []
        if collection.isMerged { JSONBytes.appendString(datasetID, to: &merged) }
        // At most every key with a null, the values as stored, and the dataset id.
        let bound = keyBytes.count + json.count + merged.count
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { buffer in
            guard let target = buffer.baseAddress else { return }
            var written = 0
            json.withUnsafeBufferPointer { bytes in
                keyBytes.withUnsafeBufferPointer { keyBuffer in
                    guard let source = bytes.baseAddress, let keyBase = keyBuffer.baseAddress else { return }
                    let count = bytes.count
                    var index = 0
                    while index < count && source[index] != 0x5B { index += 1 }
                    index += 1
                    let columns = keyStarts.count
                    // Null columns next to each other are one run of `"key":null` pieces: copied at once when a value
                    // (or the end) comes.
                    var nulls = -1
                    func flushNulls(before end: Int) {
                        guard nulls >= 0 else { return }
                        (target + written).update(from: keyBase + keyStarts[nulls], count: end - keyStarts[nulls])
                        written += end - keyStarts[nulls]
                        nulls = -1
                    }
                    defer { flushNulls(before: keyBytes.count) }
                    for column in 0..<columns {
                        let keyStart = keyStarts[column]
                        let keyEnd = keyEnds[column]
                        if collection.isMerged && column == columns - 1 {
                            flushNulls(before: keyStart)
                            (target + written).update(from: keyBase + keyStart, count: keyEnd - keyStart)
                            written += keyEnd - keyStart
                            merged.withUnsafeBufferPointer { id in
                                if let base = id.baseAddress { (target + written).update(from: base, count: id.count) }
                            }
                            written += merged.count
                            continue
                        }
                        // The next string literal; none left (fewer values than columns) is null.
                        while index < count && source[index] != 0x22 && source[index] != 0x5D { index += 1 }
                        guard index < count, source[index] == 0x22 else {
                            if nulls < 0 { nulls = column }
                            continue
                        }
                        let start = index
                        index += 1
                        var escaped = false
                        while index < count && source[index] != 0x22 {
                            if source[index] == 0x5C {
                                escaped = true
                                index += 2
                            } else {
                                index += 1
                            }
                        }
                        let end = min(index, count - 1)
                        index += 1
                        if end == start + 1 {
                            if nulls < 0 { nulls = column }
                            continue
                        }
                        flushNulls(before: keyStart)
                        (target + written).update(from: keyBase + keyStart, count: keyEnd - keyStart)
                        written += keyEnd - keyStart
                        if !escaped && collection.numeric[column]
                            && JSONBytes.isJSONNumber(bytes: UnsafeBufferPointer(start: source + start + 1, count: end - start - 1))
                        {
                            (target + written).update(from: source + start + 1, count: end - start - 1)
                            written += end - start - 1
                        } else {
                            (target + written).update(from: source + start, count: end - start + 1)
                            written += end - start + 1
                        }
                    }
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<written]))
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
