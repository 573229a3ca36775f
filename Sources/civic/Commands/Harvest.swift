import ArgumentParser
import CivicHarvest
import CivicStore
import Foundation

struct Harvest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "収集 Harvest datasets from other catalogues (CKAN, DCAT-AP, lists of file URLs) into a store.",
        discussion: """
            Reads each source's whole listing — a CKAN portal's package_search (paged, sort=id asc), a DCAT-AP catalogue
            in JSON-LD or Turtle (Hydra pages followed), or a list of file URLs — and asks for each dataset's table
            file (CSV first, else Excel or GeoJSON) with the ETag and Last-Modified of the last harvest. A new or changed
            file goes through the same pipeline as `civic convert` into a new release of its municipality's dataset,
            with its validation report; a 304 or the same bytes is unchanged; a file that cannot be read fails with the
            reason and its last good release stays. A dataset the source no longer lists is removed only after the
            grace period (a tombstone in /catalog/changes); a listing that could not be read whole removes nothing.
            One request at a time, --delay seconds apart, each within --timeout and --max-bytes.

            他のカタログ（CKAN・DCAT-AP・ファイルURLの一覧）からデータセットを収集し、検証して、自治体ごとのリリースとして
            取り込みます。変更のないファイルは条件付きリクエスト（ETag / If-Modified-Since）で確かめ、取り込みません。

            例: civic harvest --db civic.sqlite --config harvest.json
                civic harvest --db civic.sqlite --ckan https://opendata.example.jp/ --name example --municipality 222127

            Exit status 終了コード: 0 every file harvested or unchanged, 1 some failed (listed), 2 a source's catalogue
            could not be read, or the configuration or store could not be used.
            """
    )

    @Option(name: .long, help: ArgumentHelp("データベース SQLite store file.", valueName: "file"))
    var db: String

    @Option(name: .long, help: ArgumentHelp("収集元の設定 harvest.json listing the sources (docs/harvesting.md).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("With --config: harvest only this source.", valueName: "name"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp("A CKAN portal's root URL.", valueName: "url"))
    var ckan: String?

    @Option(name: .long, help: ArgumentHelp("A DCAT-AP catalogue (JSON-LD or Turtle): URL or file.", valueName: "url"))
    var dcat: String?

    @Option(
        name: .long,
        help: ArgumentHelp("A list of file URLs (one a line; optionally a municipality code and a title): URL or file.", valueName: "url")
    )
    var list: String?

    @Option(name: .long, help: ArgumentHelp("The source's name in the store (with --ckan, --dcat, --list).", valueName: "name"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("全国地方公共団体コード of datasets the catalogue attributes to no municipality.", valueName: "code"))
    var municipality: String?

    @Option(name: .long, help: ArgumentHelp("Seconds between requests (default 1).", valueName: "seconds"))
    var delay: Double?

    @Option(name: .long, help: ArgumentHelp("Seconds a request may take (default 30).", valueName: "seconds"))
    var timeout: Double?

    @Option(name: .customLong("max-bytes"), help: ArgumentHelp("Bytes a file may have (default 50000000).", valueName: "n"))
    var maxBytes: Int?

    @Option(
        name: .customLong("grace-days"),
        help: ArgumentHelp("Days before a dataset the source no longer lists is removed (default 7).", valueName: "days")
    )
    var graceDays: Double?

    @Flag(name: .long, help: "Print the reports as JSON.")
    var json = false

    @OptionGroup var schemaOptions: SchemaOptions

    func declaredSources() throws -> [HarvestSource] {
        let given = [(ckan, HarvestSource.Kind.ckan), (dcat, .dcat), (list, .list)].compactMap { url, kind in url.map { (kind, $0) } }
        var sources: [HarvestSource]
        if let config {
            guard given.isEmpty else { throw ValidationError("give --config or one of --ckan, --dcat, --list, not both") }
            sources = try HarvestConfiguration.load(URL(fileURLWithPath: config)).sources
            if let source {
                sources = sources.filter { $0.name == source }
                guard !sources.isEmpty else { throw ValidationError("\(config) has no source named \"\(source)\"") }
            }
        } else {
            guard given.count == 1, let (kind, url) = given.first else { throw ValidationError("give --config, or one of --ckan, --dcat, --list") }
            guard let name else { throw ValidationError("--\(kind.rawValue) needs --name, the source's name in the store") }
            var source = HarvestSource(name: name, type: kind, url: url, municipality: municipality)
            if let problem = source.problem { throw ValidationError(problem) }
            source.municipality = municipality
            sources = [source]
        }
        return sources.map { source in
            var source = source
            if let delay { source.delaySeconds = delay }
            if let timeout { source.timeoutSeconds = timeout }
            if let maxBytes { source.maximumBytes = maxBytes }
            if let graceDays { source.graceDays = graceDays }
            return source
        }
    }

    func run() async throws {
        let sources: [HarvestSource]
        let harvester: Harvester
        do {
            sources = try declaredSources()
            harvester = Harvester(store: try Store(path: db), catalog: try schemaOptions.catalog())
        } catch let error as ValidationError {
            throw error
        } catch {
            printError("error: \(error)")
            throw Status.unreadable
        }
        var reports: [HarvestReport] = []
        for source in sources {
            let report = await harvester.harvest(source)
            reports.append(report)
            if !json { print(report.text) }
        }
        // Replaced and abandoned versions (a release superseded; a harvest killed meanwhile) go, as a server's start does.
        _ = try? harvester.store.collectGarbage()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        }
        if reports.contains(where: { $0.gatherError != nil }) { throw Status.unreadable }
        if reports.contains(where: { $0.count(.failed) > 0 }) { throw Status.invalid }
    }
}
