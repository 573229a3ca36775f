/// Writes records as an RFC 7946 FeatureCollection, or as RFC 8142 GeoJSON text sequences (one feature per
/// record, each after an RS byte and followed by LF). Coordinates are longitude, latitude (WGS 84 / JGD2011, which
/// agree at the metre level). Streams: nothing is held per record. Not Sendable.
public final class GeoJSONWriter {
    /// How the features are framed.
    public enum Framing: Sendable {
        /// `{"type":"FeatureCollection","features":[…]}`.
        case featureCollection
        /// RFC 8142: `RS feature LF` per record.
        case textSequence
    }

    public let framing: Framing
    /// Decimals kept in coordinates (7 ≈ 1 cm).
    public let precision: Int
    /// Features written so far.
    public private(set) var featureCount = 0

    private let output: ByteWriter
    /// `"name":` per column, encoded once.
    private let keys: [[UInt8]]
    private let numeric: [Bool]
    /// Output column index of each property.
    private let properties: [Int]
    private let idColumn: Int?
    private var line: [UInt8] = []
    /// Records without geometry are written with `"geometry":null` (GeoJSON input: every feature is kept) instead
    /// of being left out (tables: a record without a point is no feature).
    public var writesNullGeometry = false

    /// - Parameters:
    ///   - columns: the output header (property names, in order).
    ///   - schema: decides which properties are numbers and which column gives the feature id.
    ///   - properties: the columns written as properties (default: all). `DatasetReader.suppliedColumns` leaves
    ///     out the standard fields the file does not have, which would be null in every feature.
    public init(
        output: ByteWriter,
        columns: [String],
        schema: Schema,
        properties: [Int]? = nil,
        framing: Framing = .featureCollection,
        precision: Int = 7,
        numeric columnsNumeric: [Bool]? = nil
    ) {
        self.output = output
        self.framing = framing
        self.precision = precision
        let selected = properties ?? Array(columns.indices)
        self.properties = selected
        keys = selected.map { columns[$0] }.map { name in
            var key: [UInt8] = []
            JSONBytes.appendString(name, to: &key)
            key.append(0x3A)
            return key
        }
        numeric =
            columnsNumeric.map { flags in selected.map { flags[$0] } }
            ?? schema.kinds(of: selected.map { columns[$0] }).map { $0?.isNumeric == true }
        idColumn = schema.civic.idField.flatMap { columns.firstIndex(of: $0) }
        line.reserveCapacity(4096)
    }

    /// Writes the opening of the collection.
    public func begin() throws {
        if framing == .featureCollection {
            try output.write(#"{"type":"FeatureCollection","features":["#)
        }
    }

    /// Writes one record as a feature: its geometry (GeoJSON input), else a Point from its coordinates. Returns
    /// false (writing nothing) when it has neither, unless `writesNullGeometry`.
    @discardableResult
    public func write(_ record: NormalizedRecord) throws -> Bool {
        let point = record.longitude.flatMap { longitude in record.latitude.map { (longitude, $0) } }
        guard record.geometry != nil || point != nil || writesNullGeometry else { return false }
        // Built in a local buffer: no exclusivity checks on a class property per byte run.
        var line = self.line
        self.line = []
        line.removeAll(keepingCapacity: true)
        defer { self.line = line }
        switch framing {
        case .featureCollection:
            if featureCount > 0 { line.append(0x2C) }
            line.append(0x0A)
        case .textSequence:
            line.append(0x1E)
        }
        JSONBytes.appendASCII(#"{"type":"Feature","#, to: &line)
        if let idColumn, !record.values[idColumn].isEmpty {
            JSONBytes.appendASCII(#""id":"#, to: &line)
            JSONBytes.appendString(record.values[idColumn], to: &line)
            line.append(0x2C)
        }
        JSONBytes.appendASCII(#""geometry":"#, to: &line)
        if let geometry = record.geometry, !geometry.isEmpty {
            geometry.appendJSON(to: &line, precision: precision)
        } else if let (longitude, latitude) = point {
            JSONBytes.appendASCII(#"{"type":"Point","coordinates":["#, to: &line)
            JSONBytes.appendFixed(longitude, precision: precision, to: &line)
            line.append(0x2C)
            JSONBytes.appendFixed(latitude, precision: precision, to: &line)
            JSONBytes.appendASCII("]}", to: &line)
        } else {
            JSONBytes.appendASCII("null", to: &line)
        }
        JSONBytes.appendASCII(#","properties":{"#, to: &line)
        let values = record.values
        for index in 0..<keys.count {
            if index > 0 { line.append(0x2C) }
            line.append(contentsOf: keys[index])
            let column = properties[index]
            let value = column < values.count ? values[column] : ""
            if value.isEmpty {
                JSONBytes.appendASCII("null", to: &line)
            } else if numeric[index] && JSONBytes.isJSONNumber(value) {
                line.append(contentsOf: value.utf8)
            } else {
                JSONBytes.appendString(value, to: &line)
            }
        }
        JSONBytes.appendASCII("}}", to: &line)
        if framing == .textSequence { line.append(0x0A) }
        try output.write(line)
        featureCount += 1
        return true
    }

    /// Closes the collection and flushes.
    public func finish() throws {
        if framing == .featureCollection {
            try output.write(featureCount > 0 ? "\n]}\n" : "]}\n")
        }
        try output.flush()
    }
}

@available(*, unavailable)
extension GeoJSONWriter: Sendable {}
