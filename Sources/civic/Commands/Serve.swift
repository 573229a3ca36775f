import ArgumentParser
import CivicHarvest
import CivicServer
import Foundation
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "配信 Serve the datasets: OGC API Features, GeoJSON/CSV downloads and validation reports.",
        discussion: """
            Loads every folder of --data holding a dataset.json (the standard dataset, 全国地方公共団体コード, licence,
            attribution, CRS…) into the store, through the same pipeline as `civic convert`, and serves:
              /                                  landing page (OGC API Features)
              /collections                       one collection per dataset, and one per standard dataset merging every
                                                 municipality's (filter with municipality=<全国地方公共団体コード>)
              /collections/{id}/items            GeoJSON (bbox, limit, offset, property filters, f=csv)
              /datasets/{id}.csv | .geojson      downloads (CSV: bom=true, encoding=cp932 for Excel)
              /datasets/{id}/report.json         the validation report
            With --db the store is a file: the server answers at once from it, and loads new and changed files in the
            background (a dataset switches to its new version when its load completes; a failed load keeps the last
            good version and is shown on /health). A missing, unreadable or empty --data folder removes nothing.

            例: civic serve                       (the bundled datasets/ on http://127.0.0.1:8080)
                civic serve --data /srv/opendata --db /var/lib/civic/civic.sqlite --host 0.0.0.0 --port 80
            """
    )

    @Option(name: .long, help: ArgumentHelp("データの場所 Folder of datasets (each with a dataset.json).", valueName: "dir"))
    var data = "datasets"

    @Option(name: .long, help: ArgumentHelp("データベース SQLite store file (default: in memory).", valueName: "file"))
    var db: String?

    @OptionGroup var schemaOptions: SchemaOptions

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on.")
    var port = 8080

    @Option(name: .long, help: ArgumentHelp("Public base URL for links (default: from each request's Host).", valueName: "url"))
    var baseURL: String?

    @Flag(name: .long, help: "Do not send CORS headers.")
    var noCORS = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "地図ライブラリ Folder with leaflet.js and leaflet.css, served at /static/leaflet (default: Debian's libjs-leaflet when installed).",
            valueName: "dir"
        )
    )
    var mapLibraryDir: String?

    @Option(
        name: .long,
        help: ArgumentHelp("URL the HTML pages load Leaflet from (default: /static/leaflet when a folder is served).", valueName: "url")
    )
    var mapLibraryURL: String?

    @Option(name: .long, help: ArgumentHelp("背景地図 Tile URL template for the HTML maps (default: 地理院タイル).", valueName: "url"))
    var tiles = "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"

    @Option(name: .long, help: ArgumentHelp("Attribution shown for the tiles.", valueName: "text"))
    var tileAttribution = "地理院タイル (国土地理院)"

    @Option(
        name: .long,
        help: ArgumentHelp("収集 Harvest the sources of this harvest.json at start and then every --harvest-every.", valueName: "file")
    )
    var harvest: String?

    @Option(
        name: .customLong("harvest-every"),
        help: ArgumentHelp("How often to harvest: 30m, 6h, 1d or seconds (default 6h).", valueName: "interval")
    )
    var harvestEvery = "6h"

    @Option(name: .long, help: "ログ Log level: trace, debug, info (each request, with its id), notice, warning, error.")
    var logLevel = "info"

    func level() throws -> ServerConfiguration.LogLevel {
        guard let level = ServerConfiguration.LogLevel(rawValue: logLevel) else {
            throw ValidationError("--log-level takes trace, debug, info, notice, warning, error or critical")
        }
        return level
    }

    func run() async throws {
        var configuration = ServerConfiguration(
            host: host,
            port: port,
            dataDirectory: URL(fileURLWithPath: data),
            databasePath: db,
            baseURL: baseURL,
            cors: !noCORS,
            mapLibraryDirectory: mapLibraryDir
                ?? (FileManager.default.fileExists(atPath: ServerConfiguration.debianLeaflet + "/leaflet.js")
                    ? ServerConfiguration.debianLeaflet : nil),
            mapLibraryURL: mapLibraryURL,
            tileURL: tiles,
            tileAttribution: tileAttribution,
            logLevel: try level()
        )
        configuration.schemasDirectory = schemaOptions.directory
        if let harvest {
            do {
                configuration.harvest = try HarvestConfiguration.load(URL(fileURLWithPath: harvest))
            } catch {
                throw ValidationError("--harvest: \(error)")
            }
            guard let interval = Serve.interval(harvestEvery) else {
                throw ValidationError("--harvest-every takes 30m, 6h, 1d or a number of seconds (at least 60)")
            }
            configuration.harvestInterval = interval
        }
        try await runServer(configuration: configuration)
    }

    /// Seconds from `30m`, `6h`, `1d` or a number of seconds; nil below a minute (a harvest is not a poll).
    static func interval(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let unit = text.last.flatMap { units[$0] }
        guard let number = Double(unit == nil ? text : String(text.dropLast())) else { return nil }
        let seconds = number * (unit ?? 1)
        return seconds >= 60 ? seconds : nil
    }
}
