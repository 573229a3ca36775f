public import CivicHarvest
public import Foundation
public import Logging

/// How `civic serve` runs.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Folder of datasets (`*/dataset.json` + data files).
    public var dataDirectory: URL
    /// The SQLite store; nil keeps it in memory.
    public var databasePath: String?
    /// The public base URL for links (`https://opendata.example.jp`); nil derives it from each request's Host.
    public var baseURL: String?
    /// Send CORS headers (any origin): on by default, as browsers' map apps need it.
    public var cors: Bool
    /// Largest `limit` a client may ask for (declared in the OpenAPI document, as GDAL reads it).
    public var maximumLimit: Int
    public var defaultLimit: Int
    /// Where the HTML pages load Leaflet (leaflet.js, leaflet.css) from: `/static/leaflet` when the server serves a
    /// local copy (`mapLibraryDirectory`, Debian's libjs-leaflet by default), else a URL of your choice.
    public var mapLibraryURL: String
    /// A folder holding leaflet.js and leaflet.css, served at /static/leaflet (works offline).
    public var mapLibraryDirectory: String?
    /// A folder holding MapLibre GL JS (maplibre-gl.js, maplibre-gl.css), served at /static/maplibre: the copy bundled
    /// with the server by default.
    public var mapLibreDirectory: String? = Bundle.module.url(forResource: "maplibre", withExtension: nil)?.path
    /// Collections of more features than this are drawn from vector tiles on the HTML map, smaller ones from GeoJSON.
    public var mapTilesAbove = 10_000
    /// Background map tiles ({z}/{x}/{y}) and their attribution.
    public var tileURL: String
    public var tileAttribution: String
    /// Log level; request lines (with their request ids) are logged at `info`.
    public var logLevel: Logger.Level
    /// Datasets with more records than this are downloaded (CSV, GeoJSON) as streams read a page at a time,
    /// not built whole and cached.
    public var streamedDownloadRecords = 20_000
    /// Validation reports larger than this (bytes) stream from disk instead of passing through the response cache.
    public var streamedReportBytes = 8 << 20
    /// A folder of `*.schema.json` merged over the bundled schemas (the same id overrides); nil for the bundled ones.
    public var schemasDirectory: URL?
    /// Seconds a replaced version stays in the store for requests that began before the switch (long downloads).
    public var retiredVersionGrace: TimeInterval = 60
    /// The largest file an upload may send (`POST /datasets/{id}/releases`): 413 beyond.
    public var maximumUploadBytes = 256 << 20
    /// The catalogues `civic serve --harvest` gathers from (a `harvest.json`), and how often: each source once at
    /// start, then every `harvestInterval` seconds (docs/harvesting.md).
    public var harvest: HarvestConfiguration?
    public var harvestInterval: TimeInterval = 6 * 3600

    /// swift-log's levels, for callers that do not import Logging.
    public typealias LogLevel = Logger.Level

    /// Debian's libjs-leaflet.
    public static let debianLeaflet = "/usr/share/javascript/leaflet"

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        dataDirectory: URL = URL(fileURLWithPath: "datasets"),
        databasePath: String? = nil,
        baseURL: String? = nil,
        cors: Bool = true,
        maximumLimit: Int = 10_000,
        defaultLimit: Int = 100,
        mapLibraryDirectory: String? = FileManager.default.fileExists(atPath: ServerConfiguration.debianLeaflet + "/leaflet.js")
            ? ServerConfiguration.debianLeaflet : nil,
        mapLibraryURL: String? = nil,
        tileURL: String = "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png",
        tileAttribution: String = "地理院タイル (国土地理院)",
        logLevel: Logger.Level = .info
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.databasePath = databasePath
        self.baseURL = baseURL
        self.cors = cors
        self.maximumLimit = maximumLimit
        self.defaultLimit = defaultLimit
        self.mapLibraryDirectory = mapLibraryDirectory
        self.mapLibraryURL = mapLibraryURL ?? (mapLibraryDirectory != nil ? "/static/leaflet" : "https://unpkg.com/leaflet@1.9.4/dist")
        self.tileURL = tileURL
        self.tileAttribution = tileAttribution
        self.logLevel = logLevel
    }
}
