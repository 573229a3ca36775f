import CivicData
import CivicGeo
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird

/// OGC API – Tiles (docs/tiles.md) for every collection: `/collections/{id}/tiles` (the tilesets),
/// `/collections/{id}/tiles/WebMercatorQuad` (the tileset; TileJSON 3.0.0 with `f=tilejson`),
/// `/collections/{id}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}` (Mapbox Vector Tiles; row = y,
/// col = x), `/tileMatrixSets` and `/tileMatrixSets/WebMercatorQuad`. A tile is cached until an edit touches
/// it (`Payload.Scope.tile`); its URL pinned to the collection's version (`?v=`, as the tileset's links give it)
/// is `immutable`.
struct TilesController: Sendable {
    let store: Store
    let catalogue: Catalogue
    let configuration: ServerConfiguration
    let delivery: Delivery
    let authenticator: Authenticator

    static let matrixSet = "WebMercatorQuad"
    static let matrixSetURI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
    static let contentType = "application/vnd.mapbox-vector-tile"
    static let conformance = [
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    ]

    func addRoutes(to router: Router<CivicRequestContext>) {
        router.get("/tileMatrixSets") { request, _ in try self.delivery.respond(request) { try self.matrixSets(request) } }
        router.get("/tileMatrixSets/:set") { request, context in
            let set = try context.parameters.require("set")
            return try self.delivery.respond(request) { try self.matrixSet(set) }
        }
        router.get("/collections/:collection/tiles") { request, context in
            let id = try context.parameters.require("collection")
            return try self.delivery.respond(request) { try self.tilesets(request, id: id) }
        }
        router.get("/collections/:collection/tiles/:set") { request, context in
            let id = try context.parameters.require("collection")
            let set = try context.parameters.require("set")
            return try self.delivery.respond(request) { try self.tileset(request, id: id, set: set) }
        }
        router.get("/collections/:collection/tiles/:set/:z/:y/:x") { request, context in
            let id = try context.parameters.require("collection")
            let set = try context.parameters.require("set")
            let (z, y, x) = try Self.address(context)
            let collection = try catalogue.collection(id)
            guard set == Self.matrixSet else { throw APIError.notFound("no tile matrix set '\(set)'; use \(Self.matrixSet)") }
            let audience = try Audience.of(request, reading: collection.datasets, authenticator: authenticator)
            var pinned = false
            for (name, value) in request.uri.queryParameters {
                switch name {
                case "v": pinned = String(value) == Self.version(collection)
                case "f" where value == "mvt": continue
                default: throw APIError.badParameter("unknown parameter '\(name)' for a tile; use v (the tileset's version)")
                }
            }
            return try self.delivery.respond(
                request,
                audience: audience,
                // One cache entry for the tile, pinned or not; the pinned URL may be kept for ever.
                key: "/collections/\(id)/tiles/\(set)/\(z)/\(y)/\(x)",
                cacheControl: pinned ? "public, max-age=31536000, immutable" : nil,
                // Asked again, a tile is answered from the cache before routing (DirectAnswers).
                direct: true
            ) {
                // Made only when the cache does not have it.
                let maker = TileMaker(store: store, collection: collection, audience: audience)
                let outer = TileProjection(zoom: z, x: x, y: y, extent: Double(TileMaker.extent)).bounds(buffer: Double(TileMaker.buffer))
                var payload = Payload(bytes: try maker.tile(zoom: z, x: x, y: y), contentType: Self.contentType)
                payload.scope = .tile(
                    datasets: Set(collection.datasets.map(\.id)),
                    bounds: StoredDataset.Envelope(minX: outer.west, minY: outer.south, maxX: outer.east, maxY: outer.north)
                )
                return payload
            }
        }
    }

    /// The tile's matrix, row and column: 404 outside the matrix set (as OGC API Tiles asks) or when not numbers.
    static func address(_ context: CivicRequestContext) throws -> (Int, Int, Int) {
        let parts = try ["z", "y", "x"].map { name -> Int in
            let text = try context.parameters.require(name)
            let digits = text.hasSuffix(".mvt") ? String(text.dropLast(4)) : text
            // A path that does not name a tile with numbers names none (404, as outside the matrix).
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw APIError.notFound("no tile '\(text)': the \(name) of a tile is a whole number ≥ 0")
            }
            // Too large for a number: outside every matrix.
            return Int(digits) ?? Int.max
        }
        let (z, y, x) = (parts[0], parts[1], parts[2])
        guard z <= TileMaker.maximumZoom, x < 1 << z, y < 1 << z else {
            throw APIError.notFound("no tile \(z)/\(y)/\(x) in \(matrixSet) (zoom 0–\(TileMaker.maximumZoom), row and column below 2^zoom)")
        }
        return (z, y, x)
    }

    /// The collection's version for pinned tile URLs: its datasets' versions and edits.
    static func version(_ collection: Catalogue.Collection) -> String {
        var hash = FNV1a()
        for dataset in collection.datasets { hash.add(dataset.id + "@" + dataset.revision + ";") }
        return String(hash.value, radix: 36)
    }

    // MARK: Documents

    func matrixSets(_ request: Request) throws -> Payload {
        let base = FeaturesController.baseURL(request, configuration: configuration)
        return try jsonPayload([
            "tileMatrixSets": [
                [
                    "id": Self.matrixSet, "title": "Google Maps Compatible for the World", "uri": Self.matrixSetURI,
                    "links": [link(base + "/tileMatrixSets/" + Self.matrixSet, "self", "application/json", Self.matrixSet)],
                ]
            ]
        ])
    }

    /// The WebMercatorQuad definition (OGC 17-083r4 annex, 2D TMS 2.0 JSON), zoom 0–22.
    func matrixSet(_ id: String) throws -> Payload {
        guard id == Self.matrixSet else { throw APIError.notFound("no tile matrix set '\(id)'; use \(Self.matrixSet)") }
        let origin = 20037508.3427892
        let matrices: [[String: Any]] = (0...TileMaker.maximumZoom).map { zoom in
            let size = 1 << zoom
            return [
                "id": String(zoom), "scaleDenominator": 559082264.0287178 / Double(size),
                "cellSize": 156543.03392804097 / Double(size), "cornerOfOrigin": "topLeft",
                "pointOfOrigin": [-origin, origin], "tileWidth": 256, "tileHeight": 256, "matrixWidth": size, "matrixHeight": size,
            ]
        }
        return try jsonPayload([
            "id": Self.matrixSet, "title": "Google Maps Compatible for the World", "uri": Self.matrixSetURI,
            "crs": "http://www.opengis.net/def/crs/EPSG/0/3857", "orderedAxes": ["X", "Y"],
            "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible", "tileMatrices": matrices,
        ])
    }

    func tilesets(_ request: Request, id: String) throws -> Payload {
        let collection = try catalogue.collection(id)
        return try jsonPayload(["tilesets": [try summary(collection, request)], "links": []])
    }

    private func summary(_ collection: Catalogue.Collection, _ request: Request) throws -> [String: Any] {
        let base = FeaturesController.baseURL(request, configuration: configuration) + "/collections/" + FeaturesController.escape(collection.id)
        return [
            "title": collection.title, "dataType": "vector", "crs": "http://www.opengis.net/def/crs/EPSG/0/3857",
            "tileMatrixSetURI": Self.matrixSetURI,
            "links": [
                link(base + "/tiles/" + Self.matrixSet, "self", "application/json", "\(collection.title) (\(Self.matrixSet))"),
                link(
                    FeaturesController.baseURL(request, configuration: configuration) + "/tileMatrixSets/" + Self.matrixSet,
                    "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                    "application/json",
                    Self.matrixSet
                ),
            ],
        ]
    }

    /// The tileset: OGC API Tiles' metadata, or TileJSON 3.0.0 (`f=tilejson`), its tile URLs pinned to the
    /// collection's version.
    func tileset(_ request: Request, id: String, set: String) throws -> Payload {
        let collection = try catalogue.collection(id)
        guard set == Self.matrixSet else { throw APIError.notFound("no tile matrix set '\(set)'; use \(Self.matrixSet)") }
        let root = FeaturesController.baseURL(request, configuration: configuration)
        let base = root + "/collections/" + FeaturesController.escape(collection.id)
        let template = base + "/tiles/\(Self.matrixSet)/{z}/{y}/{x}?v=" + Self.version(collection)
        let fields = Dictionary(
            collection.columns.enumerated().map { index, name in
                (name, index < collection.numeric.count && collection.numeric[index] ? "Number" : "String")
            },
            uniquingKeysWith: { first, _ in first }
        )
        let bounds: [Double] = collection.extent.map { [$0.minX, $0.minY, $0.maxX, $0.maxY] } ?? [-180, -85.0511, 180, 85.0511]
        var format = "json"
        for (name, value) in request.uri.queryParameters {
            guard name == "f", ["json", "tilejson"].contains(value) else { throw APIError.badParameter("use f=json or f=tilejson") }
            format = String(value)
        }
        if format == "tilejson" {
            let center: [Double] = [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 10]
            let layer: [String: Any] = ["id": collection.id, "fields": fields, "minzoom": 0, "maxzoom": TileMaker.maximumZoom]
            let tileJSON: [String: Any] = [
                "tilejson": "3.0.0", "name": collection.title, "tiles": [template], "minzoom": 0, "maxzoom": TileMaker.maximumZoom,
                "bounds": bounds, "center": center, "attribution": collection.datasets.compactMap(\.attribution).first ?? "",
                "vector_layers": [layer],
            ]
            return try jsonPayload(tileJSON)
        }
        var document = try summary(collection, request)
        var links = document["links"] as? [[String: Any]] ?? []
        var item = link(
            base + "/tiles/\(Self.matrixSet)/{tileMatrix}/{tileRow}/{tileCol}?v=" + Self.version(collection),
            "item",
            Self.contentType,
            "a tile (Mapbox Vector Tile)"
        )
        item["templated"] = true
        links += [
            item, link(base + "/tiles/\(Self.matrixSet)?f=tilejson", "alternate", "application/vnd.mapbox.tile+json", "TileJSON"),
            link(base, "http://www.opengis.net/def/rel/ogc/1.0/geodata", "application/json", collection.title),
        ]
        document["links"] = links
        document["layers"] = [
            [
                "id": collection.id, "title": collection.title, "dataType": "vector",
                "geometryDimension": collection.datasets.contains(where: \.hasShapes) ? 2 : 0,
                "propertiesSchema": [
                    "type": "object",
                    "properties": fields.mapValues { ["type": $0 == "Number" ? "number" : "string"] },
                ],
            ]
        ]
        document["boundingBox"] = [
            "lowerLeft": [bounds[0], bounds[1]], "upperRight": [bounds[2], bounds[3]], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        ]
        return try jsonPayload(document)
    }
}

extension TileMaker {
    /// The tiles of `collection` as `audience` may see them.
    init(store: Store, collection: Catalogue.Collection, audience: Audience) {
        var hides: (@Sendable (String, [String]) -> Bool)?
        if !audience.hidden.isEmpty {
            let reader = audience
            hides = { reader.hides($0, $1) }
        }
        self.init(
            store: store,
            layer: collection.id,
            selector: collection.selector,
            datasets: collection.datasets,
            merged: collection.isMerged,
            hidden: hides
        )
    }
}
