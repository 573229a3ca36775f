import CivicData
import CivicGeo
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

@testable import CivicServer

#if canImport(Glibc)
import Glibc
#endif

/// OGC API Tiles (docs/tiles.md): the tilesets, TileJSON and Mapbox Vector Tiles of the bundled collections — each
/// point in the tile that holds it (and in its neighbours' buffers), attributes typed; polygons clipped and wound as
/// the spec says; clusters that keep the count; tiles kept in the cache until an edit touches them, and only those.
/// The tiles are read back by `MVTReader` below (the real clients' check, with the PyPI `mapbox-vector-tile`
/// decoder, is integration/clients/test_tiles.py).
@Suite struct TilesTests {
    typealias Fixture = ReleaseHTTPTests.Fixture

    static func tileOf(_ longitude: Double, _ latitude: Double, zoom: Int) -> (x: Int, y: Int) {
        let (x, y) = TileProjection(zoom: zoom, x: 0, y: 0, extent: 1).project(longitude: longitude, latitude: latitude)
        return (Int(x), Int(y))
    }

    static func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get) { $0 }
    }

    @Test func everyPointIsInItsTileWithTypedAttributes() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let items = try ReleaseHTTPTests.json(try await Self.get(client, "/collections/yaizu-aed/items?limit=1000"))
            let features = try #require(items["features"] as? [[String: Any]])
            var byTile: [String: Set<String>] = [:]
            for feature in features {
                let point = try #require((feature["geometry"] as? [String: Any])?["coordinates"] as? [Double])
                let (x, y) = Self.tileOf(point[0], point[1], zoom: 15)
                byTile["15/\(y)/\(x)", default: []].insert(try #require(feature["id"] as? String))
            }
            for (address, ids) in byTile {
                let response = try await Self.get(client, "/collections/yaizu-aed/tiles/WebMercatorQuad/\(address)")
                #expect(response.status == .ok && response.headers[.contentType] == "application/vnd.mapbox-vector-tile")
                let layer = try #require(try MVTReader.layers(Array(buffer: response.body))["yaizu-aed"])
                let inside = layer.filter { feature in
                    feature.points.contains { $0.x >= 0 && $0.x < 4096 && $0.y >= 0 && $0.y < 4096 }
                }
                #expect(Set(inside.compactMap { $0.properties["id"] as? String }) == ids, "\(address)")
                #expect(layer.allSatisfy { $0.type == 1 && $0.extent == 4096 })
            }
            // Numbers as numbers, text as text.
            let first = try #require(features.first)
            let properties = try #require(first["properties"] as? [String: Any])
            let point = try #require((first["geometry"] as? [String: Any])?["coordinates"] as? [Double])
            let (x, y) = Self.tileOf(point[0], point[1], zoom: 15)
            let tile = try await Self.get(client, "/collections/yaizu-aed/tiles/WebMercatorQuad/15/\(y)/\(x)")
            let decoded = try #require(
                try MVTReader.layers(Array(buffer: tile.body))["yaizu-aed"]?.first { $0.properties["id"] as? String == first["id"] as? String }
            )
            #expect(decoded.properties["緯度"] as? Double == properties["緯度"] as? Double)
            #expect(decoded.properties["名称"] as? String == properties["名称"] as? String)
            #expect(decoded.properties["全国地方公共団体コード"] as? String == "222127")
            // Outside the matrix, or not a number: 404; an empty tile: no bytes.
            #expect(try await Self.get(client, "/collections/yaizu-aed/tiles/WebMercatorQuad/3/8/0").status == .notFound)
            #expect(try await Self.get(client, "/collections/yaizu-aed/tiles/WebMercatorQuad/23/0/0").status == .notFound)
            #expect(try await Self.get(client, "/collections/yaizu-aed/tiles/WebMercatorQuad/a/0/0").status == .notFound)
            #expect(try await Self.get(client, "/collections/yaizu-aed/tiles/WorldCRS84Quad/0/0/0").status == .notFound)
            let empty = try await Self.get(client, "/collections/yaizu-aed/tiles/WebMercatorQuad/5/0/0")
            #expect(empty.status == .ok && empty.body.readableBytes == 0)
        }
    }

    @Test func tilesetsTileJSONAndConformance() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let conformance = try ReleaseHTTPTests.json(try await Self.get(client, "/conformance"))["conformsTo"] as? [String]
            #expect(conformance?.contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt") == true)
            let sets = try ReleaseHTTPTests.json(try await Self.get(client, "/collections/aed/tiles"))
            #expect((sets["tilesets"] as? [[String: Any]])?.first?["tileMatrixSetURI"] as? String == TilesController.matrixSetURI)
            let tileset = try ReleaseHTTPTests.json(try await Self.get(client, "/collections/aed/tiles/WebMercatorQuad"))
            let item = try #require((tileset["links"] as? [[String: Any]])?.first { $0["rel"] as? String == "item" })
            let href = try #require(item["href"] as? String)
            #expect(href.contains("/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}?v=") && item["templated"] as? Bool == true)
            let tileJSON = try ReleaseHTTPTests.json(try await Self.get(client, "/collections/aed/tiles/WebMercatorQuad?f=tilejson"))
            #expect(tileJSON["tilejson"] as? String == "3.0.0")
            let template = try #require((tileJSON["tiles"] as? [String])?.first)
            let layer = try #require((tileJSON["vector_layers"] as? [[String: Any]])?.first)
            #expect(layer["id"] as? String == "aed" && (layer["fields"] as? [String: String])?["緯度"] == "Number")
            // The pinned URL is immutable; the same tile unpinned is cached as usual.
            let path = try #require(URL(string: template.replacingOccurrences(of: "{z}/{y}/{x}", with: "0/0/0")))
            let pinned = try await Self.get(client, path.path + "?" + (path.query ?? ""))
            #expect(pinned.headers[.cacheControl]?.contains("immutable") == true)
            let plain = try await Self.get(client, "/collections/aed/tiles/WebMercatorQuad/0/0/0")
            #expect(plain.headers[.cacheControl]?.contains("immutable") != true && plain.headers[.eTag] == pinned.headers[.eTag])
            let matrices = try ReleaseHTTPTests.json(try await Self.get(client, "/tileMatrixSets/WebMercatorQuad"))
            #expect((matrices["tileMatrices"] as? [Any])?.count == 23)
        }
    }

    /// An edit of one record remakes the tiles it was and is in, and no others (their cached bytes and ETags stay).
    @Test func anEditChangesTheTilesOfItsRecordOnly() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let record = try ReleaseHTTPTests.json(try await Self.get(client, "/collections/yaizu-aed/items/0000000001"))
            let point = try #require((record["geometry"] as? [String: Any])?["coordinates"] as? [Double])
            let (x, y) = Self.tileOf(point[0], point[1], zoom: 16)
            let home = "/collections/yaizu-aed/tiles/WebMercatorQuad/16/\(y)/\(x)"
            // Another tile with AEDs, far away; and the tile the record moves to.
            let far = try #require(
                (try ReleaseHTTPTests.json(try await Self.get(client, "/collections/yaizu-aed/items?limit=1000"))["features"] as? [[String: Any]])?
                    .compactMap { ($0["geometry"] as? [String: Any])?["coordinates"] as? [Double] }
                    .map { Self.tileOf($0[0], $0[1], zoom: 16) }
                    .first { abs($0.x - x) > 3 || abs($0.y - y) > 3 }
            )
            let farURI = "/collections/yaizu-aed/tiles/WebMercatorQuad/16/\(far.y)/\(far.x)"
            let target = (x: point[0] + 0.01, y: point[1])
            let (tx, ty) = Self.tileOf(target.x, target.y, zoom: 16)
            let destination = "/collections/yaizu-aed/tiles/WebMercatorQuad/16/\(ty)/\(tx)"
            let before = (
                home: try await Self.get(client, home), far: try await Self.get(client, farURI), destination: try await Self.get(client, destination)
            )
            #expect(String(buffer: before.home.body).contains(try #require((record["properties"] as? [String: Any])?["名称"] as? String)))
            func patch(_ body: String) async throws {
                try await client.execute(
                    uri: "/collections/yaizu-aed/items/0000000001",
                    method: .patch,
                    headers: EditHTTPTests.headers(fixture.yaizuPublisher, "application/merge-patch+json"),
                    body: ByteBuffer(string: body)
                ) { #expect($0.status == .ok, "\(String(buffer: $0.body))") }
            }
            // A new name: its tile changes; the far one is the cached bytes still.
            try await patch(#"{"properties": {"名称": "タイル試験の施設"}}"#)
            let renamed = try await Self.get(client, home)
            #expect(renamed.headers[.eTag] != before.home.headers[.eTag] && String(buffer: renamed.body).contains("タイル試験の施設"))
            let kept = try await Self.get(client, farURI)
            #expect(kept.headers[.eTag] == before.far.headers[.eTag] && kept.headers[HTTPField.Name("X-Cache")!] == "HIT")
            // Moved: the tile it left and the tile it entered change; the far one stays.
            try await patch(#"{"geometry": {"type": "Point", "coordinates": [\#(target.x), \#(target.y)]}}"#)
            let left = try await Self.get(client, home)
            let entered = try await Self.get(client, destination)
            #expect(!String(buffer: left.body).contains("タイル試験の施設") && String(buffer: entered.body).contains("タイル試験の施設"))
            #expect(entered.headers[.eTag] != before.destination.headers[.eTag])
            #expect(try await Self.get(client, farURI).headers[HTTPField.Name("X-Cache")!] == "HIT")
            #expect(left.headers[HTTPField.Name("X-Cache")!] == "MISS" && entered.headers[HTTPField.Name("X-Cache")!] == "MISS")
        }
    }

    /// On a live server a tile asked again is answered from the cache before routing (`DirectAnswers`) with the bytes
    /// and headers the route gives; a request with credentials is routed; answers on a connection keep their order
    /// when a routed one is still being made; after an edit the tile is made again.
    @Test func cachedTilesAreAnsweredBeforeRoutingAsTheRouteAnswers() async throws {
        let fixture = try Fixture()
        var configuration = fixture.configuration
        configuration.port = 0
        let site = try Site(configuration: configuration, store: fixture.store)
        try await buildApplication(site: site).test(.live) { client in
            let port = try #require(client.port)
            let record = try ReleaseHTTPTests.json(try await Self.get(client, "/collections/yaizu-aed/items/0000000001"))
            let point = try #require((record["geometry"] as? [String: Any])?["coordinates"] as? [Double])
            let (x, y) = Self.tileOf(point[0], point[1], zoom: 14)
            let tile = "/collections/yaizu-aed/tiles/WebMercatorQuad/14/\(y)/\(x)"
            let xCache = HTTPField.Name("X-Cache")!
            let gzip: HTTPFields = [.acceptEncoding: "gzip"]
            let first = try await client.execute(uri: tile, method: .get, headers: gzip) { $0 }
            #expect(first.headers[xCache] == "MISS" && site.delivery.directAnswered.load(ordering: .relaxed) == 0)
            let direct = try await client.execute(uri: tile, method: .get, headers: gzip) { $0 }
            #expect(site.delivery.directAnswered.load(ordering: .relaxed) == 1)
            // Credentials go to the routes (what a reader sees may differ); the answer is the same bytes here.
            var withToken = gzip
            withToken[.authorization] = "Bearer \(fixture.yaizuPublisher)"
            let routed = try await client.execute(uri: tile, method: .get, headers: withToken) { $0 }
            #expect(site.delivery.directAnswered.load(ordering: .relaxed) == 1)
            #expect(direct.status == .ok && direct.body == routed.body && direct.body == first.body && direct.body.readableBytes > 0)
            for name in [HTTPField.Name.contentType, .eTag, .cacheControl, .vary, .contentEncoding, .lastModified, xCache, .contentLength] {
                #expect(direct.headers[name] == routed.headers[name], "\(name)")
            }
            #expect(direct.headers[.contentEncoding] == "gzip" && direct.headers[.date] != nil && direct.headers[.server] == "Civic")
            // If-None-Match: 304 before routing too.
            let etag = try #require(direct.headers[.eTag])
            let unchanged = try await client.execute(uri: tile, method: .get, headers: [.ifNoneMatch: etag]) { $0 }
            #expect(unchanged.status == .notModified && unchanged.body.readableBytes == 0)
            #expect(site.delivery.directAnswered.load(ordering: .relaxed) == 2)
            // An Accept the server refuses is refused, as by the routes.
            let refused = try await client.execute(uri: tile, method: .get, headers: [.accept: "image/png"]) { $0 }
            #expect(refused.status == .notAcceptable)

            // Pipelined on one connection: a page the routes make, then a cached tile. The tile waits its turn.
            let host = "localhost:\(port)"
            let socket = try RawConnection(port: port)
            _ = try socket.exchange("GET \(tile) HTTP/1.1\r\nHost: \(host)\r\n\r\n", responses: 1)
            _ = try socket.exchange("GET \(tile) HTTP/1.1\r\nHost: \(host)\r\n\r\n", responses: 1)
            let before = site.delivery.directAnswered.load(ordering: .relaxed)
            let text = try socket.exchange(
                "GET /collections/yaizu-aed/items?limit=100 HTTP/1.1\r\nHost: \(host)\r\n\r\nGET \(tile) HTTP/1.1\r\nHost: \(host)\r\n\r\n",
                responses: 2
            )
            let page = try #require(text.range(of: "application/geo+json"))
            let mvt = try #require(text.range(of: "application/vnd.mapbox-vector-tile"))
            #expect(page.lowerBound < mvt.lowerBound)
            // The tile came after the page, through the routes: nothing is answered ahead of an earlier request.
            #expect(site.delivery.directAnswered.load(ordering: .relaxed) == before)

            // An edit of the record: the tile is made again (the new cache has no direct answers yet).
            try await client.execute(
                uri: "/collections/yaizu-aed/items/0000000001",
                method: .patch,
                headers: EditHTTPTests.headers(fixture.yaizuPublisher, "application/merge-patch+json"),
                body: ByteBuffer(string: #"{"properties": {"名称": "直接応答の試験"}}"#)
            ) { #expect($0.status == .ok) }
            let after = try await client.execute(uri: tile, method: .get) { $0 }
            #expect(after.headers[xCache] == "MISS" && String(buffer: after.body).contains("直接応答の試験"))
            let again = try await client.execute(uri: tile, method: .get) { $0 }
            #expect(again.headers[xCache] == "HIT" && again.body == after.body && site.delivery.directAnswered.load(ordering: .relaxed) == 1)
        }
    }

    /// A plain socket, to send requests pipelined on one connection and read the answers as they come.
    final class RawConnection {
        let socket: Int32

        init(port: Int) throws { socket = try LoopbackSocket.connect(port: port) }

        deinit { Glibc.close(socket) }

        /// Sends `request` and reads until `responses` whole answers (by their Content-Length) have come, or 10 s.
        func exchange(_ request: String, responses: Int) throws -> String {
            LoopbackSocket.send(request, on: socket)
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            let deadline = Date().addingTimeInterval(10)
            while Self.complete(received) < responses, Date() < deadline {
                let read = recv(socket, &buffer, buffer.count, 0)
                if read > 0 { received += buffer[0..<read] }
            }
            guard Self.complete(received) >= responses else { throw CancellationError() }
            return String(decoding: received, as: UTF8.self)
        }

        /// How many whole responses `bytes` holds.
        static func complete(_ bytes: [UInt8]) -> Int {
            var count = 0
            var start = 0
            let separator: [UInt8] = [13, 10, 13, 10]
            while let end = bytes[start...].firstRange(of: separator) {
                let head = String(decoding: bytes[start..<end.lowerBound], as: UTF8.self)
                let length =
                    head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                guard end.upperBound + length <= bytes.count else { break }
                count += 1
                start = end.upperBound + length
            }
            return count
        }
    }

    /// 2,460 points (焼津市's AEDs 30 times, each copy moved a little): a tile of more than 2,000 shows clusters whose
    /// counts add up to every point; at zoom 17, where no tile has that many, every point is there.
    @Test func densePointsClusterWithTheirCountsKept() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-clusters-\(UUID().uuidString)")
        let dataset = folder.appendingPathComponent("dense-aed")
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = FeaturesTests.repository.appendingPathComponent("datasets/yaizu-aed/data.csv")
        let lines = try String(contentsOf: source, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        var text = lines[0] + "\n"
        for copy in 0..<30 {
            for (index, line) in lines.dropFirst().enumerated() {
                var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                cells[1] = String(format: "%010d", copy * 1000 + index)
                cells[8] = String(format: "%.6f", (Double(cells[8]) ?? 0) + Double(copy) * 0.0003)
                cells[9] = String(format: "%.6f", (Double(cells[9]) ?? 0) + Double(copy) * 0.0003)
                text += cells.joined(separator: ",") + "\n"
            }
        }
        try Data(text.utf8).write(to: dataset.appendingPathComponent("data.csv"))
        try Data(#"{"id": "dense-aed", "title": "dense", "municipalityCode": "222127", "dataset": "aed", "file": "data.csv"}"#.utf8)
            .write(to: dataset.appendingPathComponent("dataset.json"))
        var logger = Logger(label: "civic-test")
        logger.logLevel = .critical
        let store = try Store.inMemory()
        defer { try? FileManager.default.removeItem(at: store.reportsDirectory) }
        let load = loadDataFolder(folder, into: store, logger: logger)
        let total = try #require(try store.dataset(id: "dense-aed")).featureCount
        #expect(total == 2460, "\(load)")
        let app = try buildApplication(configuration: ServerConfiguration(dataDirectory: folder), store: store, logger: logger)
        try await app.test(.router) { client in
            for zoom in [8, 17] {
                let extent = try #require(try store.dataset(id: "dense-aed")?.extent)
                let (x0, y0) = Self.tileOf(extent.minX, extent.maxY, zoom: zoom)
                let (x1, y1) = Self.tileOf(extent.maxX, extent.minY, zoom: zoom)
                var counted = 0
                var clusters = 0
                for x in x0...x1 {
                    for y in y0...y1 {
                        let response = try await Self.get(client, "/collections/dense-aed/tiles/WebMercatorQuad/\(zoom)/\(y)/\(x)")
                        for feature in try MVTReader.layers(Array(buffer: response.body))["dense-aed"] ?? [] {
                            // Each tile's own points (not those in its buffer, which its neighbour counts).
                            guard feature.points.allSatisfy({ $0.x >= 0 && $0.x < 4096 && $0.y >= 0 && $0.y < 4096 }) else { continue }
                            if let count = feature.properties["point_count"] as? Double {
                                clusters += 1
                                counted += Int(count)
                            } else {
                                counted += 1
                            }
                        }
                    }
                }
                #expect(counted == total, "zoom \(zoom)")
                #expect(zoom == 8 ? clusters > 0 && clusters < 300 : clusters == 0, "zoom \(zoom): \(clusters) clusters")
            }
        }
    }

    /// Polygons (都島区's 町丁目, real GeoJSON): clipped to each tile and its buffer, exterior rings of positive area,
    /// holes negative, every polygon of the collection in the tiles that cover it.
    @Test func polygonsAreClippedAndWound() async throws {
        let folder = try ShapesTests.polygonFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "civic-test")
        logger.logLevel = .critical
        let store = try Store.inMemory()
        defer { try? FileManager.default.removeItem(at: store.reportsDirectory) }
        _ = loadDataFolder(folder, into: store, logger: logger)
        let app = try buildApplication(configuration: ServerConfiguration(dataDirectory: folder), store: store, logger: logger)
        try await app.test(.router) { client in
            // 都島区 at zoom 14: a few tiles; every polygon is in at least one, and each tile's rings are valid MVT rings.
            let rings = try ShapesTests.rings()
            let xs = rings.flatMap { $0.map { $0[0] } }
            let ys = rings.flatMap { $0.map { $0[1] } }
            let (x0, y0) = Self.tileOf(xs.min()!, ys.max()!, zoom: 14)
            let (x1, y1) = Self.tileOf(xs.max()!, ys.min()!, zoom: 14)
            var seen: Set<String> = []
            var pieces = 0
            for x in x0...x1 {
                for y in y0...y1 {
                    let response = try await Self.get(client, "/collections/miyakojima/tiles/WebMercatorQuad/14/\(y)/\(x)")
                    for feature in try MVTReader.layers(Array(buffer: response.body))["miyakojima"] ?? [] {
                        #expect(feature.type == 3)
                        if let id = feature.properties["id"] as? String { seen.insert(id) }
                        for (index, ring) in feature.rings.enumerated() {
                            pieces += 1
                            // Within the tile and its buffer of 64 units.
                            #expect(ring.allSatisfy { $0.x >= -64 && $0.x <= 4160 && $0.y >= -64 && $0.y <= 4160 })
                            #expect(ring.count >= 3)
                            #expect(feature.ringIsExterior[index] == (VectorTile.area(ring) > 0))
                        }
                        #expect(feature.ringIsExterior.first == true)
                    }
                }
            }
            #expect(seen.count == 47 && pieces >= 47)
        }
    }
}

/// A small Mapbox Vector Tile reader for the tests: layers → features with their type, properties and geometry
/// (points, or rings with whether each is an exterior ring by the order it came in: an exterior ring starts a
/// polygon, holes follow it — the reader does not decide by winding, so that the test can check the winding).
enum MVTReader {
    struct Feature {
        var type = 0
        var extent = 4096
        var properties: [String: Any] = [:]
        var points: [VectorTile.TilePoint] = []
        var rings: [[VectorTile.TilePoint]] = []
        var ringIsExterior: [Bool] = []
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0
        var atEnd: Bool { index >= bytes.count }
        mutating func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.count else { throw ReadError() }
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        mutating func field() throws -> (Int, Int) {
            let key = try varint()
            return (Int(key >> 3), Int(key & 7))
        }
        mutating func bytes(_ count: Int) throws -> [UInt8] {
            guard index + count <= bytes.count else { throw ReadError() }
            defer { index += count }
            return Array(bytes[index..<index + count])
        }
        mutating func message() throws -> [UInt8] { try bytes(Int(try varint())) }
        mutating func skip(_ wire: Int) throws {
            switch wire {
            case 0: _ = try varint()
            case 1: _ = try bytes(8)
            case 2: _ = try message()
            case 5: _ = try bytes(4)
            default: throw ReadError()
            }
        }
    }

    struct ReadError: Error {}

    static func layers(_ bytes: [UInt8]) throws -> [String: [Feature]] {
        var tile = Reader(bytes: bytes)
        var layers: [String: [Feature]] = [:]
        while !tile.atEnd {
            let (field, wire) = try tile.field()
            guard field == 3, wire == 2 else {
                try tile.skip(wire)
                continue
            }
            var layer = Reader(bytes: try tile.message())
            var name = ""
            var keys: [String] = []
            var values: [Any] = []
            var raw: [[UInt8]] = []
            var extent = 4096
            while !layer.atEnd {
                let (field, wire) = try layer.field()
                switch (field, wire) {
                case (1, 2): name = String(decoding: try layer.message(), as: UTF8.self)
                case (2, 2): raw.append(try layer.message())
                case (3, 2): keys.append(String(decoding: try layer.message(), as: UTF8.self))
                case (4, 2):
                    var value = Reader(bytes: try layer.message())
                    while !value.atEnd {
                        let (kind, wire) = try value.field()
                        switch kind {
                        case 1: values.append(String(decoding: try value.message(), as: UTF8.self))
                        case 3: values.append(Double(bitPattern: try value.bytes(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }))
                        case 4, 5: values.append(Int64(bitPattern: try value.varint()))
                        case 6:
                            let zigzag = try value.varint()
                            values.append(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
                        case 7: values.append(try value.varint() != 0)
                        default: try value.skip(wire)
                        }
                    }
                case (5, 0): extent = Int(try layer.varint())
                default: try layer.skip(wire)
                }
            }
            layers[name] = try raw.map { try feature($0, keys: keys, values: values, extent: extent) }
        }
        return layers
    }

    static func feature(_ bytes: [UInt8], keys: [String], values: [Any], extent: Int) throws -> Feature {
        var reader = Reader(bytes: bytes)
        var feature = Feature()
        feature.extent = extent
        var tags: [Int] = []
        var commands: [UInt32] = []
        while !reader.atEnd {
            let (field, wire) = try reader.field()
            switch (field, wire) {
            case (2, 2):
                var packed = Reader(bytes: try reader.message())
                while !packed.atEnd { tags.append(Int(try packed.varint())) }
            case (3, 0): feature.type = Int(try reader.varint())
            case (4, 2):
                var packed = Reader(bytes: try reader.message())
                while !packed.atEnd { commands.append(UInt32(try packed.varint())) }
            default: try reader.skip(wire)
            }
        }
        for pair in stride(from: 0, to: tags.count - 1, by: 2) where tags[pair] < keys.count && tags[pair + 1] < values.count {
            let value = values[tags[pair + 1]]
            feature.properties[keys[tags[pair]]] = (value as? Int64).map { Double($0) } ?? value
        }
        var x: Int32 = 0
        var y: Int32 = 0
        var index = 0
        var ring: [VectorTile.TilePoint] = []
        var polygonStarted = false
        while index < commands.count {
            let command = commands[index] & 7
            let count = Int(commands[index] >> 3)
            index += 1
            if command == 7 {
                feature.rings.append(ring)
                // The first ring, or one of positive area after a polygon's holes, starts a polygon (spec 4.3.4.4).
                let exterior = !polygonStarted || VectorTile.area(ring) > 0
                feature.ringIsExterior.append(exterior)
                polygonStarted = true
                ring = []
                continue
            }
            for _ in 0..<count {
                let dx = Int32(bitPattern: commands[index] >> 1) ^ -Int32(bitPattern: commands[index] & 1)
                let dy = Int32(bitPattern: commands[index + 1] >> 1) ^ -Int32(bitPattern: commands[index + 1] & 1)
                index += 2
                x += dx
                y += dy
                let point = VectorTile.TilePoint(x: x, y: y)
                if feature.type == 1 { feature.points.append(point) } else { ring.append(point) }
            }
        }
        return feature
    }
}
