import Foundation

/// Reads a GeoJSON file (RFC 7946, and the 2008 form with a `"crs"` member) as rows, so that a FeatureCollection
/// is a dataset like a table: the header is the union of the features' property keys in order of first appearance
/// (with `id` first when features have ids and no property is named so), each feature is a row whose cells are its
/// property values (strings as they are, numbers as written, `true`/`false`, nested objects and arrays as their
/// compact JSON text, null as empty), and the row carries the feature's geometry.
///
/// A single Feature, or a bare geometry, is read as one row.
///
/// A JSON array of records is a table too: a top-level array whose elements are all objects (one row per object,
/// the columns the union of their keys as above, no geometry), or an object that holds exactly one such array as
/// `records`, `data`, `result` or `items`, or as CKAN's `result.records` (`member` says which was read). Any other
/// JSON — an array of numbers, an array mixing objects and other values, a deeper document — is not a table
/// (`DatasetError.notATable`, saying what it is). A FeatureCollection file larger than `streamingFrom` is streamed:
/// read twice, feature by feature (`JSONMemberStream`) — once for the columns, once for the rows — so memory does not
/// grow with the file; anything else is parsed whole in memory, up to `maximumBytes`. Malformed JSON is a
/// `GeoJSONError` naming the line and column. A row's line is the line its
/// feature starts on (in a file written on one line every feature is on line 1, so findings also name the
/// feature's number).
///
/// Not Sendable: it hands out its rows in order.
public final class GeoJSONRows: RowSource {
    /// The largest file parsed whole (256 MiB): the parsed tree takes several times the file's size in memory.
    /// A FeatureCollection file is streamed instead, whatever its size.
    public static let defaultMaximumBytes = 256 << 20
    /// Files larger than this (8 MiB) are streamed when they are a FeatureCollection.
    public static let defaultStreamingFrom = 8 << 20

    /// The CRS the file's legacy `"crs"` member names (`urn:ogc:def:crs:EPSG::6668`, `EPSG:4612` …), as written;
    /// nil when it has none (RFC 7946: CRS84).
    public let crsName: String?
    /// What the file is: `FeatureCollection`, `Feature`, a geometry type, or `array` (an array of records).
    public let topLevelType: String
    /// The features (or records) read.
    public let featureCount: Int
    /// True when the file is a JSON array of records rather than GeoJSON.
    public let isRecordArray: Bool
    /// For an array of records inside an object: the member read (`records`, `data`, `result`, `items`,
    /// `result.records`); nil otherwise.
    public let member: String?
    /// True when the features are streamed from the file rather than parsed with the whole document.
    public let isStreamed: Bool

    /// Where the features come from: parsed with the document, or streamed from the file one at a time.
    private enum Feed {
        case memory([(value: JSONValue, line: Int)])
        case stream(URL)
    }

    private let name: String
    private let byteCount: Int
    private let lineEndings: String
    private let feed: Feed
    private let columns: [String]
    private let positions: [String: Int]
    private let idIsColumn: Bool
    private let firstLine: Int
    private var headerDone = false
    /// Features handed out or skipped so far.
    private var featuresRead = 0
    private var stream: JSONMemberStream?
    /// Findings not yet taken: the file's come with the header, each feature's with its row, the rest at the end.
    private var pending: [Finding] = []

    /// Reads the source: a FeatureCollection file larger than `streamingFrom` is streamed, anything else parsed
    /// whole. Throws `GeoJSONError` when it is too large to parse whole or not JSON, and `DatasetError.notATable`
    /// when it is JSON but not GeoJSON or an array of records.
    public convenience init(
        source: InputSource,
        maximumBytes: Int = GeoJSONRows.defaultMaximumBytes,
        streamingFrom: Int = GeoJSONRows.defaultStreamingFrom
    ) throws {
        if case .file(let url) = source {
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
            if let size, size > streamingFrom, let scan = try GeoJSONRows.scan(url, name: source.displayName) {
                self.init(streamed: scan, url: url, name: source.displayName, size: size)
                return
            }
            if let size, size > maximumBytes { throw GeoJSONError.tooLarge(file: source.displayName, size: size, limit: maximumBytes) }
        }
        let bytes: [UInt8]
        switch source {
        case .file(let url):
            bytes = Array(try Data(contentsOf: url))
        case .standardInput:
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        case .bytes(let given, _):
            bytes = given
        }
        try self.init(bytes: bytes, name: source.displayName, maximumBytes: maximumBytes)
    }

    public init(bytes: [UInt8], name: String, maximumBytes: Int = GeoJSONRows.defaultMaximumBytes) throws {
        guard bytes.count <= maximumBytes else { throw GeoJSONError.tooLarge(file: name, size: bytes.count, limit: maximumBytes) }
        self.name = name
        byteCount = bytes.count
        isStreamed = false
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            let (line, column) = JSONParser.position(of: error.offset, in: bytes)
            throw GeoJSONError(code: .malformed, message: "not valid JSON: \(error.message)", file: name, line: line, column: column)
        }
        var lineStarts = [0]
        for (index, byte) in bytes.enumerated() where byte == 0x0A { lineStarts.append(index + 1) }
        func line(of offset: Int) -> Int {
            var low = 0
            var high = lineStarts.count
            while high - low > 1 {
                let middle = (low + high) / 2
                if lineStarts[middle] <= offset { low = middle } else { high = middle }
            }
            return low + 1
        }
        let crlf = bytes.indices.contains { $0 > 0 && bytes[$0] == 0x0A && bytes[$0 - 1] == 0x0D }
        lineEndings = lineStarts.count == 1 ? "none" : (crlf ? "CRLF" : "LF")

        // The features (or records) and the line each starts on.
        var wrapper: Finding?
        var features: [(value: JSONValue, line: Int)] = []
        let type: String
        if case .object = json, let written = json["type"]?.stringValue,
            ["FeatureCollection", "Feature"].contains(written) || RecordGeometry.Kind(rawValue: written) != nil
        {
            type = written
            isRecordArray = false
            member = nil
        } else {
            // Not GeoJSON: a table only as an array of records.
            let found: (elements: [JSONValue], offsets: [Int], member: String?, others: JSONValue?)
            switch GeoJSONRows.recordArray(in: json) {
            case .success(let records): found = records
            case .failure(let refusal):
                let errorLine = refusal.offset.map { line(of: $0) }
                throw DatasetError(
                    code: .notATable,
                    message: "not a table: a JSON document (\(refusal.what(errorLine))), not GeoJSON or an array of records",
                    file: name,
                    line: errorLine ?? 1
                )
            }
            type = "array"
            isRecordArray = true
            member = found.member
            features = zip(found.elements, found.offsets).map { ($0, line(of: $1)) }
            if let member, let others = found.others {
                wrapper = Finding(
                    .jsonOtherMember,
                    .info,
                    line: 1,
                    message: "members of the document besides the records in \"\(member)\"; kept only in this report",
                    before: others.jsonText
                )
            }
        }
        topLevelType = type
        crsName = isRecordArray ? nil : GeoJSONRows.crsName(json["crs"])

        switch type {
        case "array":
            break
        case "FeatureCollection":
            guard case .array(let elements, let offsets)? = json["features"] else {
                throw GeoJSONError(code: .notGeoJSON, message: "a FeatureCollection needs \"features\": […]", file: name, line: 1, column: 1)
            }
            features = zip(elements, offsets).map { ($0, line(of: $1)) }
        case "Feature":
            features = [(json, 1)]
        case let geometry where RecordGeometry.Kind(rawValue: geometry) != nil:
            features = [(.object([("type", .string("Feature")), ("geometry", json), ("properties", .null)]), 1)]
        default:
            throw DatasetError(
                code: .notATable,
                message: "not a table: a JSON document whose \"type\" is \"\(type)\", not a GeoJSON FeatureCollection, Feature or geometry",
                file: name,
                line: 1
            )
        }
        featureCount = features.count
        var collector = ColumnCollector(isRecordArray: isRecordArray)
        for feature in features { collector.add(feature.value) }
        (columns, positions, idIsColumn, numberColumns) = collector.result()
        firstLine = features.first?.line ?? 1
        feed = .memory(features)
        if let wrapper { pending.append(wrapper) }
        if type == "FeatureCollection", let extras = GeoJSONRows.foreignMembers(json, known: GeoJSONRows.collectionMembers) {
            pending.append(GeoJSONRows.foreignMembersFinding(extras))
        }
    }

    /// A FeatureCollection read from the file feature by feature (`scan`'s first pass).
    private init(streamed scan: Scan, url: URL, name: String, size: Int) {
        self.name = name
        byteCount = size
        isStreamed = true
        isRecordArray = false
        member = nil
        topLevelType = "FeatureCollection"
        crsName = GeoJSONRows.crsName(scan.members.first { $0.key == "crs" }?.value)
        lineEndings = scan.lineEndings
        featureCount = scan.featureCount
        (columns, positions, idIsColumn, numberColumns) = scan.columns.result()
        firstLine = scan.firstLine
        feed = .stream(url)
        if let extras = GeoJSONRows.foreignMembers(.object(scan.members), known: GeoJSONRows.collectionMembers) {
            pending.append(GeoJSONRows.foreignMembersFinding(extras))
        }
    }

    /// The members a FeatureCollection has by GeoJSON.
    static let collectionMembers: Set<String> = ["type", "features", "crs", "bbox"]

    static func foreignMembersFinding(_ extras: String) -> Finding {
        Finding(
            .geojsonForeignMember,
            .info,
            line: 1,
            message: "members of the FeatureCollection that are not GeoJSON's; kept only in this report",
            before: extras
        )
    }

    /// What the first pass over a streamed file found.
    private struct Scan {
        var members: [(key: String, value: JSONValue)] = []
        var columns: ColumnCollector
        var featureCount = 0
        var firstLine = 1
        var lineEndings = "none"
    }

    /// The first pass over a file: its top-level members and its features' columns. Nil when the file is not a
    /// FeatureCollection with a "features" array (then it is parsed whole, and refused or read as it says).
    private static func scan(_ url: URL, name: String) throws -> Scan? {
        let stream = try JSONMemberStream(url: url, streamed: "features")
        var scan = Scan(columns: ColumnCollector(isRecordArray: false))
        do {
            while let item = try stream.next() {
                switch item {
                case .member(let key, let value, let line, let column):
                    scan.members.append((key, try stream.parse(value, line: line, column: column)))
                case .element(let bytes, let index, let line, let column):
                    if index == 0 { scan.firstLine = line }
                    scan.featureCount += 1
                    scan.columns.add(try stream.parse(bytes, line: line, column: column))
                }
            }
        } catch {
            // Not an object at the top: not a FeatureCollection (an array of records, say); read whole.
            if stream.consumed <= 1, error.message.hasPrefix("expected an object") { return nil }
            throw GeoJSONError.malformed(error, file: name)
        }
        guard scan.members.first(where: { $0.key == "type" })?.value.stringValue == "FeatureCollection",
            stream.foundStreamed
        else { return nil }
        scan.lineEndings = stream.lineEndings
        return scan
    }

    /// The columns of a set of features (or records): their property keys in order of first appearance, `id` first
    /// when features have ids and no property is named so, and which columns hold only JSON numbers.
    struct ColumnCollector {
        let isRecordArray: Bool
        private var columns: [String] = []
        private var positions: [String: Int] = [:]
        private var numbers = Set<String>()
        private var notNumbers = Set<String>()
        private var ids: (any: Bool, number: Bool, other: Bool) = (false, false, false)

        init(isRecordArray: Bool) { self.isRecordArray = isRecordArray }

        mutating func add(_ feature: JSONValue) {
            let isFeature = !isRecordArray && feature["type"]?.stringValue == "Feature"
            if !isRecordArray, let id = feature["id"], id != .null {
                ids.any = true
                if isFeature, case .number = id { ids.number = true } else if isFeature { ids.other = true }
            }
            guard case .object(let members)? = isRecordArray ? feature : feature["properties"] else { return }
            for member in members {
                if positions[member.key] == nil {
                    positions[member.key] = columns.count
                    columns.append(member.key)
                }
                // An element that is not a Feature gives its keys but no row: its values type nothing.
                guard isRecordArray || isFeature else { continue }
                switch member.value {
                case .number: numbers.insert(member.key)
                case .null: break
                default: notNumbers.insert(member.key)
                }
            }
        }

        func result() -> (columns: [String], positions: [String: Int], idIsColumn: Bool, numberColumns: Set<String>) {
            var columns = self.columns
            var positions = self.positions
            var numberKeys = numbers.subtracting(notNumbers)
            let idIsColumn = !isRecordArray && positions["id"] == nil && ids.any
            if idIsColumn {
                columns.insert("id", at: 0)
                positions = [:]
                for (index, column) in columns.enumerated() { positions[column] = index }
                if ids.number && !ids.other { numberKeys.insert("id") }
            }
            return (columns, positions, idIsColumn, numberKeys)
        }
    }

    /// The next feature (or record) and its line and number; nil at the end.
    private func nextFeature() throws -> (value: JSONValue, line: Int, number: Int)? {
        switch feed {
        case .memory(let features):
            guard featuresRead < features.count else { return nil }
            featuresRead += 1
            return (features[featuresRead - 1].value, features[featuresRead - 1].line, featuresRead)
        case .stream(let url):
            if stream == nil { stream = try JSONMemberStream(url: url, streamed: "features") }
            guard let stream else { return nil }
            do {
                while let item = try stream.next() {
                    guard case .element(let bytes, _, let line, let column) = item else { continue }
                    featuresRead += 1
                    return (try stream.parse(bytes, line: line, column: column), line, featuresRead)
                }
            } catch {
                throw GeoJSONError.malformed(error, file: name)
            }
            return nil
        }
    }

    /// The row of one feature (or record), its findings added to `pending`; nil for an element that is not a Feature.
    private func row(of feature: JSONValue, line: Int, number featureNumber: Int) -> CSVRow? {
        /// The cells of an object's members (properties, or a record's members).
        /// A key repeated in the object: the last value is the cell (as `JSONValue`'s subscript reads it), the
        /// earlier ones are kept in the report.
        func cellsOf(_ members: [(key: String, value: JSONValue)], where place: String) -> [String] {
            var cells = [String](repeating: "", count: columns.count)
            var seen = Set<Int>()
            for (index, member) in members.enumerated() {
                guard let position = positions[member.key] else { continue }
                if !seen.insert(position).inserted {
                    let earlier = members[..<index].last { $0.key == member.key }?.value ?? .null
                    pending.append(
                        Finding(
                            .jsonRepeatedKey,
                            .warning,
                            line: line,
                            message:
                                "the key \"\(member.key)\" is repeated in \(place); the last value is the cell, this earlier one is kept only in this report",
                            before: earlier.jsonText
                        )
                    )
                }
                cells[position] = GeoJSONRows.cell(member.value)
            }
            return cells
        }
        if isRecordArray, case .object(let members) = feature {
            // A record: its members are the cells; every object is a record, even an empty one.
            var row = CSVRow(line: line, cells: cellsOf(members, where: "record \(featureNumber)"))
            row.feature = featureNumber
            return row
        }
        let where_ = "feature \(featureNumber)"
        guard case .object = feature, feature["type"]?.stringValue == "Feature" else {
            pending.append(
                Finding(
                    .geojsonNotFeature,
                    .error,
                    line: line,
                    message: "\(where_) is \(feature.kindDescription) that is not a GeoJSON Feature; kept only in this report",
                    before: feature.jsonText
                )
            )
            return nil
        }
        var cells = [String](repeating: "", count: columns.count)
        var sourceError = false
        switch feature["properties"] {
        case .object(let members)?:
            cells = cellsOf(members, where: "the properties of feature \(featureNumber)")
        case .null?, nil:
            break
        case let other?:
            sourceError = true
            pending.append(
                Finding(
                    .geojsonNotFeature,
                    .error,
                    line: line,
                    message: "the \"properties\" of \(where_) are \(other.kindDescription), not an object; kept only in this report",
                    before: other.jsonText
                )
            )
        }
        if let id = feature["id"], id != .null {
            if idIsColumn {
                cells[0] = GeoJSONRows.cell(id)
            } else {
                pending.append(
                    Finding(
                        .geojsonFeatureID,
                        .info,
                        line: line,
                        message: "the id of \(where_) (a property is also named \"id\"); kept only in this report",
                        before: id.jsonText
                    )
                )
            }
        }
        if let extras = GeoJSONRows.foreignMembers(feature, known: ["type", "id", "geometry", "properties", "bbox"]) {
            pending.append(
                Finding(
                    .geojsonForeignMember,
                    .info,
                    line: line,
                    message: "members of \(where_) that are not GeoJSON's; kept only in this report",
                    before: extras
                )
            )
        }
        var row = CSVRow(line: line, cells: cells)
        row.feature = featureNumber
        row.hasSourceError = sourceError
        let geometryValue = feature["geometry"] ?? .null
        do {
            row.geometry = try RecordGeometry(json: geometryValue)
            if row.geometry == nil || row.geometry?.isEmpty == true {
                pending.append(
                    Finding(
                        .geometryAbsent,
                        .warning,
                        line: line,
                        message: "\(where_) has \(row.geometry == nil ? "no geometry (null)" : "an empty geometry"): kept as a record without a place"
                    )
                )
            }
        } catch {
            row.hasSourceError = true
            pending.append(
                Finding(
                    .geometryUnreadable,
                    .error,
                    line: line,
                    message: "the geometry of \(where_) cannot be read: \(error.message); it is kept only in this report",
                    before: geometryValue.jsonText
                )
            )
        }
        return row
    }

    /// A cell's text for a property value.
    static func cell(_ value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        case .number(let text): text
        case .bool(let value): value ? "true" : "false"
        case .array, .object: value.jsonText
        }
    }

    /// Why a JSON document is not an array of records: what it is, and where its first offending value starts.
    struct NotRecords: Error {
        /// What the document is, given the line of `offset`.
        var what: (Int?) -> String
        var offset: Int?
    }

    /// The members an object may hold its records in (CKAN's `result.records` too).
    static let recordMembers = ["records", "data", "result", "items"]

    /// The array of records a document is or holds: a top-level array of objects, or the one array of objects an
    /// object holds as `records`, `data`, `result`, `items` or `result.records`.
    /// `others`: the object's other members (for `result.records`, `result`'s too), nil when none.
    static func recordArray(in json: JSONValue) -> Result<(elements: [JSONValue], offsets: [Int], member: String?, others: JSONValue?), NotRecords> {
        /// Nil when `value` is a non-empty array of objects; else what it is, and where the first non-object starts.
        func refusal(_ value: JSONValue) -> NotRecords? {
            guard case .array(let elements, let offsets) = value else {
                return NotRecords(what: { _ in value.kindDescription }, offset: nil)
            }
            guard !elements.isEmpty else { return NotRecords(what: { _ in "an empty array: no records" }, offset: nil) }
            guard let first = elements.firstIndex(where: { if case .object = $0 { false } else { true } }) else { return nil }
            var counts: [(kind: String, count: Int)] = []
            for element in elements {
                let kind = element.kindDescription
                if let index = counts.firstIndex(where: { $0.kind == kind }) { counts[index].count += 1 } else { counts.append((kind, 1)) }
            }
            let parts = counts.map { count in
                let noun = count.kind.split(separator: " ", maxSplits: 1).last.map(String.init) ?? count.kind
                return "\(count.count) \(noun)\(count.count == 1 ? "" : "s")"
            }
            let kind = elements[first].kindDescription
            return NotRecords(
                what: { line in
                    "an array of \(parts.joined(separator: ", ")); element \(first + 1)\(line.map { " (line \($0))" } ?? "") is \(kind), and a table needs an array whose elements are all objects"
                },
                offset: offsets[first]
            )
        }
        switch json {
        case .array(let elements, let offsets):
            if let refused = refusal(json) { return .failure(refused) }
            return .success((elements, offsets, nil, nil))
        case .object(let members):
            var found: [(elements: [JSONValue], offsets: [Int], member: String)] = []
            var refused: [(member: String, why: NotRecords)] = []
            for key in recordMembers {
                guard let value = json[key] else { continue }
                if case .array(let elements, let offsets) = value {
                    if let why = refusal(value) { refused.append((key, why)) } else { found.append((elements, offsets, key)) }
                } else if key == "result", case .object = value, let inner = value["records"] {
                    if case .array(let elements, let offsets) = inner, refusal(inner) == nil {
                        found.append((elements, offsets, "result.records"))
                    } else if let why = refusal(inner) {
                        refused.append(("result.records", why))
                    }
                }
            }
            if let only = found.first, found.count == 1 {
                var rest = members.filter { $0.key != only.member }
                if only.member == "result.records" {
                    rest = members.compactMap { member in
                        guard member.key == "result", case .object(let inner) = member.value else { return member }
                        let innerRest = inner.filter { $0.key != "records" }
                        return innerRest.isEmpty ? nil : (member.key, .object(innerRest))
                    }
                }
                return .success((only.elements, only.offsets, only.member, rest.isEmpty ? nil : .object(rest)))
            }
            let keys = "\(members.prefix(5).map { "\"\($0.key)\"" }.joined(separator: ", "))\(members.count > 5 ? ", …" : "")"
            let type = json["type"]?.stringValue.map { " whose \"type\" is \"\($0)\"" } ?? ""
            if found.count > 1 {
                let names = found.map { "\"\($0.member)\"" }.joined(separator: " and ")
                return .failure(
                    NotRecords(
                        what: { _ in "an object\(type) with several arrays of records, \(names): which one is the table is not clear" },
                        offset: nil
                    )
                )
            }
            if let first = refused.first {
                return .failure(
                    NotRecords(what: { line in "an object\(type) whose \"\(first.member)\" is \(first.why.what(line))" }, offset: first.why.offset)
                )
            }
            let noun = members.isEmpty ? "an empty object" : "an object\(type) with \(keys)"
            return .failure(
                NotRecords(
                    what: { _ in
                        "\(noun): no GeoJSON type, and no array of records in \(recordMembers.map { "\"\($0)\"" }.joined(separator: ", "))"
                    },
                    offset: nil
                )
            )
        default:
            return .failure(NotRecords(what: { _ in json.kindDescription }, offset: nil))
        }
    }

    /// The name in a 2008 GeoJSON `"crs"` member: `{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::6668"}}`,
    /// or the `EPSG` form `{"type":"EPSG","properties":{"code":4612}}`.
    static func crsName(_ value: JSONValue?) -> String? {
        guard let value, let properties = value["properties"] else { return nil }
        if let name = properties["name"]?.stringValue { return name }
        if case .number(let code)? = properties["code"] { return "EPSG:\(code)" }
        return nil
    }

    /// The members of an object other than `known`, as a JSON object text; nil when none.
    static func foreignMembers(_ value: JSONValue, known: Set<String>) -> String? {
        guard case .object(let members) = value else { return nil }
        let extra = members.filter { !known.contains($0.key) }
        return extra.isEmpty ? nil : JSONValue.object(extra).jsonText
    }

    public func nextRow() throws -> CSVRow? {
        if !headerDone {
            headerDone = true
            return CSVRow(line: firstLine, cells: columns)
        }
        while let feature = try nextFeature() {
            if let row = row(of: feature.value, line: feature.line, number: feature.number) { return row }
        }
        return nil
    }

    public func takeFindings() -> [Finding] {
        defer { pending.removeAll() }
        return pending
    }

    public func describe(headerLine: Int, metadata: [[String]]) -> SourceDescription {
        SourceDescription(
            file: name,
            format: isRecordArray ? "json" : "geojson",
            bytes: byteCount,
            encoding: "UTF-8",
            byteOrderMark: false,
            encodingBasis: "declared",
            delimiter: "none",
            lineEndings: lineEndings,
            headerLine: max(headerLine, 1),
            metadata: metadata,
            member: member
        )
    }

    public var progress: (read: Int, total: Int?) {
        if let stream { return (stream.consumed, byteCount) }
        return (featureCount == 0 ? byteCount : byteCount * featuresRead / featureCount, byteCount)
    }

    public var hasCellReferences: Bool { false }
    public func cellReference(line: Int, column: Int?) -> String? { nil }
    public var hasGeometry: Bool { !isRecordArray }
    public var readsJSON: Bool { true }
    public var geometryCRSName: String? { crsName }
    public let numberColumns: Set<String>
}

@available(*, unavailable)
extension GeoJSONRows: Sendable {}

/// A GeoJSON file cannot be read.
public struct GeoJSONError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable { case malformed, tooLarge, notGeoJSON }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        /// Not JSON: the position says where it stops being JSON.
        public static let malformed = Code(.malformed)
        /// Larger than the reader's limit.
        public static let tooLarge = Code(.tooLarge)
        /// JSON with a GeoJSON type but not the members that type needs.
        public static let notGeoJSON = Code(.notGeoJSON)
        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    public var message: String
    public var file: String
    public var line: Int
    /// 1-based, in characters.
    public var column: Int

    public init(code: Code, message: String, file: String, line: Int, column: Int) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    /// JSON that breaks inside a streamed file, where the stream says.
    static func malformed(_ failure: JSONMemberStream.Failure, file: String) -> GeoJSONError {
        GeoJSONError(code: .malformed, message: "not valid JSON: \(failure.message)", file: file, line: failure.line, column: failure.column)
    }

    static func tooLarge(file: String, size: Int, limit: Int) -> GeoJSONError {
        GeoJSONError(
            code: .tooLarge,
            message:
                "the file is \(size) bytes; JSON other than a GeoJSON FeatureCollection (which is streamed) is read whole, up to \(limit) bytes (split it, or convert it to CSV first)",
            file: file,
            line: 1,
            column: 1
        )
    }

    public var description: String { "\(file):\(line):\(column): \(code): \(message)" }
}
