import CivicData
import CivicGeo
import CivicStore
import Foundation
import Hummingbird
import Synchronization

/// OGC API Features Part 1 (core, GeoJSON, OpenAPI 3.0): landing page, conformance, API definition, collections,
/// items (bbox, limit, offset with `next` links, property filters, f=json|csv), one feature, queryables.
struct FeaturesController: Sendable {
    let store: Store
    let catalogue: Catalogue
    let configuration: ServerConfiguration
    let delivery: Delivery
    let authenticator: Authenticator

    static let conformance = [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        // Part 4 (OGC 20-002, 1.0.0-draft.2): the locking class is written with /req/ there.
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/req/optimistic-locking-etags",
    ]

    func addRoutes(to router: Router<CivicRequestContext>) {
        router.get("/") { request, _ in try self.delivery.respond(request) { try self.landing(request) } }
        router.get("/conformance") { request, _ in
            try self.delivery.respond(request) { try jsonPayload(["conformsTo": FeaturesController.conformance + TilesController.conformance]) }
        }
        router.get("/api") { request, _ in try self.delivery.respond(request) { try self.api(request) } }
        router.get("/collections") { request, _ in try self.delivery.respond(request) { try self.collections(request) } }
        router.get("/collections/:collection") { request, context in
            let id = try context.parameters.require("collection")
            let audience = try self.audience(request, id)
            return try self.delivery.respond(request, audience: audience) { try self.collection(request, id: id) }
        }
        router.get("/collections/:collection/items") { request, context in
            let id = try context.parameters.require("collection")
            let audience = try self.audience(request, id)
            return try self.delivery.respond(request, audience: audience) { try self.items(request, id: id, audience: audience) }
        }
        router.get("/collections/:collection/items/**") { request, context in
            // Feature ids of merged collections hold a slash (<dataset>/<id>); `…/{featureId}/versions` is a
            // feature's time map.
            let id = try context.parameters.require("collection")
            var path = context.parameters.getCatchAll()
            let audience = try self.audience(request, id)
            if VersionsController.isTimeMap(path) {
                path.removeLast()
                let featureID = path.joined(separator: "/")
                // JSON, or the link format: one URL, so kept only when JSON.
                let linkFormat = request.headers[.accept]?.contains("application/link-format") == true
                return try self.delivery.respond(request, cacheable: !linkFormat, audience: audience) {
                    try self.versions.timeMap(request, collection: self.catalogue.collection(id), featureID: featureID, audience: audience)
                }
            }
            let featureID = path.joined(separator: "/")
            return try self.delivery.respond(request, audience: audience) {
                try self.item(request, id: id, featureID: featureID, audience: audience)
            }
        }
        router.get("/collections/:collection/queryables") { request, context in
            let id = try context.parameters.require("collection")
            return try self.delivery.respond(request) { try self.queryables(request, id: id) }
        }
    }

    /// Who reads collection `id` (everyone, for a collection without a status table; 404s come later).
    func audience(_ request: Request, _ id: String) throws -> Audience {
        guard let collection = catalogue[id] else { return .everyone }
        return try Audience.of(request, reading: collection.datasets, authenticator: authenticator)
    }

    var versions: VersionsController {
        VersionsController(store: store, catalogue: catalogue, configuration: configuration)
    }

    // MARK: Landing, conformance, collections

    func landing(_ request: Request) throws -> Payload {
        if HTMLPages.wanted(request) { return HTMLPages.payload(HTMLPages(configuration: configuration, request: request).catalogue(catalogue)) }
        let base = baseURL(request)
        return try jsonPayload([
            "title": "Civic — 自治体標準オープンデータセット",
            "description":
                "Municipal open data (\(catalogue.datasets.count) datasets) as OGC API Features, GeoJSON/CSV downloads, DCAT and a CKAN-compatible API",
            "links": [
                link(base + "/", "self", "application/json", "this document"),
                link(base + "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "the API definition"),
                link(base + "/conformance", "conformance", "application/json", "conformance classes"),
                link(base + "/collections", "data", "application/json", "collections"),
            ],
        ])
    }

    func collections(_ request: Request) throws -> Payload {
        if HTMLPages.wanted(request) { return HTMLPages.payload(HTMLPages(configuration: configuration, request: request).catalogue(catalogue)) }
        let base = baseURL(request)
        return try jsonPayload([
            "links": [link(base + "/collections", "self", "application/json", "collections")],
            "collections": catalogue.collections.map { describe($0, base: base) },
        ])
    }

    func collection(_ request: Request, id: String) throws -> Payload {
        let collection = try catalogue.collection(id)
        if HTMLPages.wanted(request) { return try html(collection, request) }
        return try jsonPayload(describe(collection, base: baseURL(request)))
    }

    /// The dataset page: metadata, downloads, map and the first records.
    func html(_ collection: Catalogue.Collection, _ request: Request) throws -> Payload {
        // The table of the first records leaves out those kept from this reader, as the items do.
        let audience = try Audience.of(request, reading: collection.datasets, authenticator: authenticator)
        let page = try store.features(in: collection.selector, hidden: audience.hiddenRecords(collection.selector), limit: 100, offset: 0)
        let pages = HTMLPages(configuration: configuration, request: request)
        // `map=tiles` or `map=geojson` chooses the map's source (by default, the collection's size does).
        let map = request.uri.queryParameters["map"].map { $0 == "tiles" }
        return HTMLPages.payload(
            pages.collection(collection, features: page.features, renderer: catalogue.renderer(collection), failures: catalogue.failures, tiles: map)
        )
    }

    func describe(_ collection: Catalogue.Collection, base: String) -> [String: Any] {
        let url = base + "/collections/" + FeaturesController.escape(collection.id)
        var description: [String: Any] = [
            "id": collection.id,
            "title": collection.title,
            "description": collection.description,
            "itemType": "feature",
            "crs": OutputCRS.offered,
            "storageCrs": OutputCRS.crs84URI,
            "links": [
                link(url, "self", "application/json", collection.title),
                link(url + "/items", "items", "application/geo+json", "features"),
                link(url + "/items?f=csv", "items", "text/csv", "features as CSV"),
                link(url + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "queryables"),
                // The change feed, live (Server-Sent Events of CloudEvents; `hub` as pygeoapi's Pub/Sub links its broker).
                link(url + "/changes", "hub", "text/event-stream", "changes as they happen (Server-Sent Events)"),
            ]
                + collection.datasets.map {
                    link(base + "/datasets/" + FeaturesController.escape($0.id) + ".csv", "enclosure", "text/csv", $0.title + " (CSV)")
                },
        ]
        if let extent = collection.extent {
            description["extent"] = [
                "spatial": ["bbox": [[extent.minX, extent.minY, extent.maxX, extent.maxY]], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"]
            ]
        }
        return description
    }

    // MARK: Items

    struct ItemsQuery {
        var limit: Int
        var offset: Int
        var bbox: StoredDataset.Envelope?
        /// The eastern half of a bbox that crosses the antimeridian.
        var bboxEast: StoredDataset.Envelope?
        var filters: [Int: String]
        var municipality: String?
        var sortBy: [(column: Int?, descending: Bool)] = []
        var format: String
        var crs = OutputCRS(uri: OutputCRS.crs84URI)!
        var bboxNumbers: [Double]?
        var bboxCRS = OutputCRS(uri: OutputCRS.crs84URI)!
        /// `datetime`: the collection as it was at this instant (its versions, from the change log).
        var moment: Date?

        /// The live records in file order: no box, filter, sort or instant.
        var isPlain: Bool { bbox == nil && filters.isEmpty && sortBy.isEmpty && moment == nil }
    }

    /// Reads and checks the query: unknown parameters, bad limits or boxes are 400s that say what was wrong.
    func parse(_ request: Request, collection: Catalogue.Collection) throws -> ItemsQuery {
        var query = ItemsQuery(limit: configuration.defaultLimit, offset: 0, bbox: nil, filters: [:], municipality: nil, format: "json")
        // Column name → index, made only when a parameter names a column (hashing every name was 3 % of a page).
        lazy var columns = Dictionary(collection.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for (rawName, rawValue) in request.uri.queryParameters {
            let name = rawName.percentDecoded
            let value = rawValue.percentDecoded
            switch name {
            case "limit":
                guard let limit = Int(value), (1...configuration.maximumLimit).contains(limit) else {
                    throw APIError.badParameter("limit must be a whole number from 1 to \(configuration.maximumLimit)")
                }
                query.limit = limit
            case "offset":
                // Any whole number ≥ 0; one past every feature (even past Int.max) is simply an empty page.
                guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                    throw APIError.badParameter("offset must be a whole number ≥ 0")
                }
                query.offset = Int(value) ?? Int.max
            case "bbox":
                // `bbox=a,b,c,d` (OpenAPI form, not exploded); repeated `bbox=a&bbox=b…` is read as one list too.
                let joined = request.uri.queryParameters.getAll("bbox").map { $0.percentDecoded }
                    .joined(separator: ",")
                let numbers = joined.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard numbers.count == 4 || numbers.count == 6, numbers.allSatisfy({ $0?.isFinite == true }) else {
                    throw APIError.badParameter("bbox must be 4 numbers: the lower corner then the upper (minLon,minLat,maxLon,maxLat in CRS84)")
                }
                let n = numbers.map { $0! }
                query.bboxNumbers = n.count == 4 ? n : [n[0], n[1], n[3], n[4]]
            case "bbox-crs", "crs":
                guard let crs = OutputCRS(uri: value) else {
                    throw APIError.badParameter("\(name) must be one of the collection's CRSs: \(OutputCRS.offered.joined(separator: ", "))")
                }
                if name == "crs" { query.crs = crs } else { query.bboxCRS = crs }
            case "f":
                guard ["json", "geojson", "csv", "html"].contains(value) else { throw APIError.badParameter("f must be json, csv or html") }
                query.format = value
            case "lang":
                guard ["ja", "en"].contains(value) else { throw APIError.badParameter("lang must be ja or en") }
            case "datetime":
                query.moment = try VersionsController.instant(value)
            case "sortby":
                // OGC API Features Part 3 form: +name or -name, comma-separated (+ may arrive as a space).
                for key in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !key.isEmpty {
                    let descending = key.hasPrefix("-")
                    let name = key.hasPrefix("-") || key.hasPrefix("+") ? String(key.dropFirst()) : key
                    guard let column = columns[name] else {
                        throw APIError.badParameter("sortby: '\(name)' is not a property of this collection (see its queryables)")
                    }
                    let isDataset = collection.isMerged && column == collection.columns.count - 1
                    query.sortBy.append((isDataset ? nil : column, descending))
                }
            case "municipality" where collection.isMerged:
                guard value.utf8.count == 6, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                    throw APIError.badParameter("municipality must be a 6-digit 全国地方公共団体コード")
                }
                query.municipality = value
            default:
                guard let column = columns[name], name != "dataset" || !collection.isMerged else {
                    throw APIError.badParameter(
                        "unknown parameter '\(name)'; use limit, offset, bbox, f\(collection.isMerged ? ", municipality" : "") or a queryable (see /collections/\(collection.id)/queryables)"
                    )
                }
                query.filters[column] = value
            }
        }
        if let numbers = query.bboxNumbers {
            if query.bboxCRS.isStorage {
                guard (-90...90).contains(numbers[1]), (-90...90).contains(numbers[3]), numbers[1] <= numbers[3] else {
                    throw APIError.badParameter("bbox: latitudes must be within ±90, the southern first (CRS84 is lon,lat)")
                }
                if numbers[0] > numbers[2] {
                    // West > east: the box crosses the antimeridian (OGC API Features 1.0, 7.15.3).
                    query.bbox = StoredDataset.Envelope(minX: numbers[0], minY: numbers[1], maxX: 180, maxY: numbers[3])
                    query.bboxEast = StoredDataset.Envelope(minX: -180, minY: numbers[1], maxX: numbers[2], maxY: numbers[3])
                    return query
                }
            } else {
                guard numbers[0] <= numbers[2], numbers[1] <= numbers[3] else {
                    throw APIError.badParameter("bbox: the lower corner must come first")
                }
            }
            guard let box = try query.bboxCRS.toCRS84(numbers) else {
                throw APIError.badParameter("bbox cannot be converted from \(query.bboxCRS.uri)")
            }
            query.bbox = StoredDataset.Envelope(minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: box.maxY)
        }
        return query
    }

    func items(_ request: Request, id: String, audience: Audience = .everyone) throws -> Payload {
        let collection = try catalogue.collection(id)
        let query = try parse(request, collection: collection)
        var selector = collection.selector
        if collection.isMerged, let municipality = query.municipality {
            selector = .merged(collection.datasets.filter { $0.municipalityCode == municipality })
        }
        if query.format == "html" || (request.uri.queryParameters["f"] == nil && HTMLPages.wanted(request)) {
            return try html(collection, request)
        }
        let hidden = audience.hiddenRecords(selector)
        // A plain page in file order whose features were all written before (`RenderedFeatures`): its records' keys
        // follow from the snapshot's counts, so nothing needs reading.
        if query.isPlain, query.crs.isStorage, query.format != "csv", hidden == nil,
            let (keys, total) = selector.filePageKeys(limit: query.limit, offset: query.offset),
            let kept = delivery.renders.all(collection: collection.id, records: keys)
        {
            return geoJSONPage(request, collection, query, numberMatched: total, headers: [:], recordsOnly: true, features: kept.map(PagePiece.init))
        }
        let page: FeaturePage
        var memento: Date?
        if let moment = query.moment {
            (page, memento) = try versions.page(collection, selector: selector, query: query, at: moment, audience: audience)
        } else {
            page = try store.features(
                in: selector,
                bbox: query.bbox,
                alsoIn: query.bboxEast,
                filters: query.filters,
                hidden: hidden,
                sortBy: query.sortBy,
                limit: query.limit,
                offset: query.offset,
                // GeoJSON copies the stored values' JSON; CSV needs them decoded.
                valuesAsJSON: query.format != "csv"
            )
        }
        let renderer = catalogue.renderer(collection)
        var headers: HTTPFields = [:]
        if query.moment != nil {
            headers = VersionsController.mementoHeaders(memento, original: baseURL(request) + "/collections/" + Self.escape(collection.id) + "/items")
        }
        if query.format == "csv" {
            let output = ByteWriter()
            let writer = try CSVWriter(output: output)
            // Lines and polygons as WKT in a last column, as in the downloads.
            let shapes = collection.datasets.contains(where: \.hasShapes)
            try writer.writeHeader(collection.columns + (shapes ? [RecordGeometry.wktColumn] : []))
            for feature in page.features {
                var row = renderer.values(of: feature)
                if shapes {
                    if feature.geometry == nil, let x = feature.longitude, let y = feature.latitude {
                        row.append(RecordGeometry(x: x, y: y).wkt)
                    } else {
                        row.append(FeatureRenderer.wkt(feature.geometry))
                    }
                }
                try writer.writeRow(row, line: feature.line)
            }
            return Payload(bytes: output.bytes, contentType: "text/csv; charset=utf-8", headers: headers)
        }
        let points: [(Double, Double)?]? = query.crs.isStorage ? nil : try FeaturesController.converted(page.features, to: query.crs)
        let shapes = query.crs.isStorage || !page.features.contains { $0.geometry != nil } ? nil : try ShapeConverter(query.crs)
        // The live records in CRS84: copied when an earlier page wrote them, else written (and kept when written
        // before: `RenderedFeatures`).
        let kept =
            query.crs.isStorage && query.moment == nil ? delivery.renders.lookup(collection: collection.id, records: page.features.map(\.key)) : nil
        var rendered: [UInt8] = []
        rendered.reserveCapacity(page.features.count * (renderer.keysLength + 512))
        let ranges = page.features.enumerated().map { index, feature -> Range<Int>? in
            if kept?.found[index] != nil { return nil }
            let start = rendered.count
            renderer.append(feature, to: &rendered, point: points.map { $0[index] }, shapes: shapes, precision: query.crs.precision)
            return start..<rendered.count
        }
        var written: [(record: Int64, entry: RenderedFeatures.Entry)] = []
        let features = page.features.enumerated().map { index, feature -> PagePiece in
            if let entry = kept?.found[index] { return PagePiece(entry) }
            let bytes = rendered[ranges[index] ?? 0..<0]
            let hash = bytes.withUnsafeBytes { ContentHash.of(raw: $0) }
            if let kept, kept.admit[index] {
                written.append(
                    (feature.key, RenderedFeatures.Entry(featureID: feature.featureID, dataset: feature.datasetID, bytes: Array(bytes), hash: hash))
                )
            }
            return PagePiece(bytes: bytes, hash: hash, featureID: feature.featureID)
        }
        if let kept { delivery.renders.remember(collection: kept.collection, written) }
        // A plain page of one dataset's records stays right after an edit of other records that changes no count (not
        // one without hidden records: an edit that shows one changes the page; nor one of the past).
        return geoJSONPage(
            request,
            collection,
            query,
            numberMatched: page.numberMatched,
            headers: headers,
            recordsOnly: query.isPlain && hidden == nil,
            features: features
        )
    }

    /// A feature of a page as written: its bytes, their fingerprint and its id.
    struct PagePiece {
        var bytes: ArraySlice<UInt8>
        var hash: UInt64
        var featureID: String

        init(bytes: ArraySlice<UInt8>, hash: UInt64, featureID: String) {
            self.bytes = bytes
            self.hash = hash
            self.featureID = featureID
        }

        init(_ kept: RenderedFeatures.Entry) { self.init(bytes: kept.bytes[...], hash: kept.hash, featureID: kept.featureID) }
    }

    /// An items page as GeoJSON: the counts, the links and `features` (written before), straight into the buffer
    /// NIO sends, tagged from the fingerprints of the head and of each feature (not hashed again byte by byte).
    /// `recordsOnly`: the page lists one dataset's records in file order, and stays right in the response cache after
    /// an edit of other records of it that changes no count.
    private func geoJSONPage(
        _ request: Request,
        _ collection: Catalogue.Collection,
        _ query: ItemsQuery,
        numberMatched: Int,
        headers: HTTPFields,
        recordsOnly: Bool,
        features: [PagePiece]
    ) -> Payload {
        let base = baseURL(request)
        let itemsURL = base + "/collections/" + FeaturesController.escape(collection.id) + "/items"
        let encoded = FeaturesController.encodedQuery(request)
        let count = features.count
        var head: [UInt8] = []
        head.reserveCapacity(2048)
        JSONBytes.appendASCII(#"{"type":"FeatureCollection","numberMatched":"#, to: &head)
        JSONBytes.appendInteger(numberMatched, to: &head)
        JSONBytes.appendASCII(#","numberReturned":"#, to: &head)
        JSONBytes.appendInteger(count, to: &head)
        JSONBytes.appendASCII(#","timeStamp":"#, to: &head)
        JSONBytes.appendString(FeaturesController.timeStamp(), to: &head)
        var links: [[String: Any]] = [
            link(itemsURL + FeaturesController.queryString(encoded, offset: query.offset), "self", "application/geo+json", "this page"),
            link(
                itemsURL + FeaturesController.queryString(encoded, offset: query.offset, format: "csv"),
                "alternate",
                "text/csv",
                "this page as CSV"
            ),
            link(base + "/collections/" + FeaturesController.escape(collection.id), "collection", "application/json", collection.title),
        ]
        if query.offset + count < numberMatched, count > 0 {
            links.append(
                link(
                    itemsURL + FeaturesController.queryString(encoded, offset: query.offset + count),
                    "next",
                    "application/geo+json",
                    "next page"
                )
            )
        }
        if query.offset > 0 {
            links.append(
                link(
                    itemsURL + FeaturesController.queryString(encoded, offset: max(0, query.offset - query.limit)),
                    "prev",
                    "application/geo+json",
                    "previous page"
                )
            )
        }
        JSONBytes.appendASCII(#","links":"#, to: &head)
        appendLinks(links, to: &head)
        JSONBytes.appendASCII(#","features":["#, to: &head)
        var buffer = ByteBufferAllocator().buffer(capacity: features.reduce(head.count + 2 + count) { $0 + $1.bytes.count })
        buffer.writeBytes(head)
        var parts: [UInt64] = [ContentHash.of(head)]
        parts.reserveCapacity(count + 2)
        for (index, feature) in features.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(0x2C)) }
            buffer.writeBytes(feature.bytes)
            parts.append(feature.hash)
        }
        buffer.writeStaticString("]}")
        parts.append(UInt64(buffer.readableBytes))
        var headers = headers
        headers[.contentCRS] = "<\(query.crs.uri)>"
        var payload = Payload(bytes: [], contentType: "application/geo+json", headers: headers)
        payload.buffer = buffer
        payload.etag = "\"\(String(ContentHash.of(parts), radix: 16))-\(buffer.readableBytes)\""
        if recordsOnly, !collection.isMerged, let dataset = collection.datasets.first {
            payload.scope = .records(dataset: dataset.id, ids: Set(features.map(\.featureID)))
        }
        return payload
    }

    func item(_ request: Request, id: String, featureID: String, audience: Audience = .everyone) throws -> Payload {
        let collection = try catalogue.collection(id)
        var crs = OutputCRS(uri: OutputCRS.crs84URI)!
        var moment: Date?
        for (name, rawValue) in request.uri.queryParameters {
            let value = rawValue.percentDecoded
            switch name {
            case "f" where ["json", "geojson", "html"].contains(value): continue
            case "lang" where ["ja", "en"].contains(value): continue
            case "crs":
                guard let chosen = OutputCRS(uri: value) else {
                    throw APIError.badParameter("crs must be one of: \(OutputCRS.offered.joined(separator: ", "))")
                }
                crs = chosen
            case "datetime":
                moment = try VersionsController.instant(value)
            default: throw APIError.badParameter("unknown parameter '\(name)' for a single feature; use f=json, crs or datetime")
            }
        }
        let wanted = featureID.percentDecoded
        let feature: StoredFeature
        var headers: HTTPFields = [.contentCRS: "<\(crs.uri)>"]
        let itemURL = baseURL(request) + "/collections/" + FeaturesController.escape(collection.id) + "/items/" + featureID
        if let moment {
            // The feature as it was then (404 before it was made, 410 while it was deleted).
            let (past, memento) = try versions.feature(collection, id: wanted, at: moment, audience: audience)
            feature = past
            headers.append(contentsOf: VersionsController.mementoHeaders(memento, original: itemURL))
        } else if let current = try store.feature(in: collection.selector, id: wanted), !audience.hides(current.datasetID, current.values) {
            feature = current
            headers[.link] = "<\(itemURL)/versions>; rel=\"timemap\"; type=\"application/json\""
        } else {
            // 410 for a feature deleted (the log says so), 404 for one never there.
            try versions.requireNotDeleted(collection, id: wanted, audience: audience)
            throw APIError.notFound("no feature '\(featureID)' in collection '\(id)'")
        }
        let renderer = catalogue.renderer(collection)
        if HTMLPages.wanted(request) {
            return HTMLPages.payload(
                HTMLPages(configuration: configuration, request: request).feature(feature, collection: collection, renderer: renderer)
            )
        }
        var out: [UInt8] = []
        let point = crs.isStorage ? nil : try FeaturesController.converted([feature], to: crs).first
        let shapes = crs.isStorage || feature.geometry == nil ? nil : try ShapeConverter(crs)
        renderer.append(feature, to: &out, point: point, shapes: shapes, precision: crs.precision)
        out.removeLast()  // re-open the feature object to add its links
        let base = baseURL(request) + "/collections/" + FeaturesController.escape(collection.id)
        JSONBytes.appendASCII(#","links":"#, to: &out)
        out.append(
            contentsOf: try JSONSerialization.data(
                withJSONObject: [
                    link(base + "/items/" + renderer.id(of: feature), "self", "application/geo+json", "this feature"),
                    link(base, "collection", "application/json", collection.title),
                    link(base + "/items/" + renderer.id(of: feature) + "/versions", "timemap", "application/json", "this feature's versions"),
                ],
                options: [.withoutEscapingSlashes]
            )
        )
        out.append(0x7D)
        if crs.isStorage, moment == nil, let dataset = collection.datasets.first(where: { $0.id == feature.datasetID }) {
            // The record's strong tag, which If-Match on a PUT, PATCH or DELETE compares (Part 4).
            headers[.eTag] = EditedRecord.tag(
                featureID: feature.featureID,
                values: feature.values,
                longitude: feature.longitude,
                latitude: feature.latitude,
                geometry: feature.geometry,
                columns: dataset.columns
            )
        }
        var payload = Payload(bytes: out, contentType: "application/geo+json", headers: headers)
        if !collection.isMerged, moment == nil { payload.scope = .records(dataset: feature.datasetID, ids: [feature.featureID]) }
        return payload
    }

    /// The properties clients may filter on, as JSON Schema (OGC API Features Part 3 queryables).
    func queryables(_ request: Request, id: String) throws -> Payload {
        let collection = try catalogue.collection(id)
        let schema = collection.datasets.first?.schema
        var properties: [String: Any] = [:]
        for (index, column) in collection.columns.enumerated() {
            let field = schema?.fields.first { $0.name == column }
            var property: [String: Any] = ["title": column, "type": collection.numeric[index] ? "number" : "string"]
            if let english = field?.civic?.english { property["description"] = english }
            // The values the dataset's schema (the one it was loaded with) allows.
            if let allowed = field?.allowedValues, field?.kind != .flag { property["enum"] = allowed }
            properties[column] = property
        }
        properties["geometry"] = ["format": collection.datasets.contains(where: \.hasShapes) ? "geometry-any" : "geometry-point"]
        return try jsonPayload(
            [
                "$schema": "https://json-schema.org/draft/2019-09/schema",
                "$id": baseURL(request) + "/collections/" + FeaturesController.escape(collection.id) + "/queryables",
                "type": "object",
                "title": collection.title,
                "properties": properties,
            ],
            contentType: "application/schema+json"
        )
    }

    // MARK: Helpers

    /// The features' points in another CRS (nil for those without coordinates or that fail).
    static func converted(_ features: [StoredFeature], to crs: OutputCRS) throws -> [(Double, Double)?] {
        let located = features.enumerated().compactMap { index, feature in
            feature.longitude.flatMap { x in feature.latitude.map { (index, (x, $0)) } }
        }
        let converted = try crs.convert(located.map(\.1))
        var points = [(Double, Double)?](repeating: nil, count: features.count)
        for (position, (index, _)) in located.enumerated() { points[index] = converted[position] }
        return points
    }

    func baseURL(_ request: Request) -> String {
        FeaturesController.baseURL(request, configuration: configuration)
    }

    static func baseURL(_ request: Request, configuration: ServerConfiguration) -> String {
        if let base = configuration.baseURL { return base }
        let host = request.head.authority ?? "\(configuration.host):\(configuration.port)"
        return "http://" + host
    }

    /// Now, to the second, as RFC 3339 (a page's `timeStamp`): formatted once a second, not once a page.
    static func timeStamp() -> String {
        let now = Date()
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        if let text = lastTimeStamp.withLock({ $0.second == second ? $0.text : nil }) { return text }
        let text = now.formatted(.iso8601)
        lastTimeStamp.withLock { $0 = (second, text) }
        return text
    }

    private static let lastTimeStamp = Mutex<(second: Int64, text: String)>((-1, ""))

    static func escape(_ text: String) -> String {
        // Ids are usually as they would be encoded already (Foundation's encoding was 2 % of a page).
        if isPlain(text.utf8, plainPathBytes) { return text }
        return text.addingPercentEncoding(withAllowedCharacters: pathAllowed) ?? text
    }

    private static let pathAllowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))
    private static let plainPathBytes = plainBytes(pathAllowed)

    /// The ASCII bytes `allowed` keeps as they are, but `%` (an escape, which would be decoded or encoded).
    private static func plainBytes(_ allowed: CharacterSet) -> [Bool] {
        (0..<128).map { byte in byte != 0x25 && allowed.contains(Unicode.Scalar(UInt8(byte))) }
    }

    /// True when every byte of `text` is one `plain` marks: encoding would leave it as it is.
    private static func isPlain(_ text: some Sequence<UInt8>, _ plain: [Bool]) -> Bool {
        text.allSatisfy { $0 < 0x80 && plain[Int($0)] }
    }

    /// The request's query parameters as the client meant them (decoded), encoded again so links survive any
    /// character: each `name=value` with its name, made once per page for all its links.
    static func encodedQuery(_ request: Request) -> [(name: String, pair: String)] {
        func encode(_ text: Substring) -> String {
            // Already as it would be encoded (no escapes, nothing to escape): as it is.
            if isPlain(text.utf8, plainQueryBytes) { return String(text) }
            let decoded = text.percentDecoded
            return decoded.addingPercentEncoding(withAllowedCharacters: queryAllowed) ?? decoded
        }
        return request.uri.queryParameters.map { name, value in (name: String(name), pair: "\(encode(name))=\(encode(value))") }
    }

    private static let queryAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#?"))
    private static let plainQueryBytes = plainBytes(queryAllowed)

    /// The request's query with `offset` (and `f`) replaced, so `next` keeps every filter.
    static func queryString(_ encoded: [(name: String, pair: String)], offset: Int, format: String? = nil) -> String {
        var parts = encoded.filter { $0.name != "offset" && !(format != nil && $0.name == "f") }.map(\.pair)
        if let format { parts.append("f=\(format)") }
        parts.append("offset=\(offset)")
        return "?" + parts.joined(separator: "&")
    }

    func api(_ request: Request) throws -> Payload {
        try jsonPayload(
            OpenAPIDocument.make(base: baseURL(request), catalogue: catalogue, configuration: configuration),
            contentType: "application/vnd.oai.openapi+json;version=3.0"
        )
    }
}

func link(_ href: String, _ rel: String, _ type: String, _ title: String) -> [String: Any] {
    ["href": href, "rel": rel, "type": type, "title": title]
}

/// Links (as `link` makes them) written as a JSON array straight into a page's bytes: Foundation's
/// JSONSerialization of these few objects was 12 % of an uncached items page (perf).
func appendLinks(_ links: [[String: Any]], to out: inout [UInt8]) {
    out.append(0x5B)
    for (index, link) in links.enumerated() {
        if index > 0 { out.append(0x2C) }
        out.append(0x7B)
        var first = true
        for key in ["href", "rel", "type", "title"] {
            guard let value = link[key] as? String else { continue }
            if !first { out.append(0x2C) }
            first = false
            JSONBytes.appendString(key, to: &out)
            out.append(0x3A)
            JSONBytes.appendString(value, to: &out)
        }
        out.append(0x7D)
    }
    out.append(0x5D)
}
