import CivicData
import CivicStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import CivicHarvest
@testable import CivicServer

/// `civic harvest` against a second Civic server (its CKAN API and its DCAT catalogue) and against static catalogue
/// files on loopback (Hummingbird's FileMiddleware, which answers conditional requests as a web server does), with a
/// CP932 CSV, an .xlsx and an .xls from real municipal publishers.
@Suite struct HarvestTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let quiet: Logger = {
        var logger = Logger(label: "civic-test")
        logger.logLevel = .critical
        return logger
    }()

    /// A temporary folder, removed by the caller.
    static func folder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-harvest-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A store in a temporary folder (a file: the reports live beside it).
    static func store(in folder: URL, _ name: String) throws -> Store {
        try Store(path: folder.appendingPathComponent("\(name).sqlite").path)
    }

    /// A data folder for the source server: 焼津市's AED list (UTF-8) and 岩国市's (CP932, 2019 layout, as published).
    static func sourceData(in folder: URL) throws -> URL {
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repository.appendingPathComponent("datasets/yaizu-aed"), to: data.appendingPathComponent("yaizu-aed"))
        let iwakuni = data.appendingPathComponent("iwakuni-aed")
        try FileManager.default.createDirectory(at: iwakuni, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("iwakuni_aed_cp932.csv"), to: iwakuni.appendingPathComponent("aed.csv"))
        try Data(
            #"{"id": "iwakuni-aed", "title": "岩国市 AED設置場所一覧", "municipalityCode": "352080", "municipality": "山口県岩国市", "file": "aed.csv", "license": "CC-BY-4.0"}"#
                .utf8
        ).write(to: iwakuni.appendingPathComponent("dataset.json"))
        return data
    }

    static func outcomes(_ report: HarvestReport) -> [String: HarvestReport.Outcome] {
        Dictionary(report.items.compactMap { item in item.dataset.map { ($0, item.outcome) } }, uniquingKeysWith: { first, _ in first })
    }

    @Test func harvestsASecondCivicServerIncrementallyWithDeletionsAfterTheGracePeriod() async throws {
        let folder = try Self.folder("civic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.sourceData(in: folder)
        let sourceStore = try Self.store(in: folder, "source")
        let loaded = loadDataFolder(data, into: sourceStore, logger: Self.quiet)
        #expect(loaded.failed.isEmpty)
        var configuration = ServerConfiguration(dataDirectory: data)
        configuration.port = 0
        let site = try Site(configuration: configuration, store: sourceStore)
        let destination = try Self.store(in: folder, "portal")

        try await buildApplication(site: site, logger: Self.quiet).test(.live) { client in
            let port = try #require(client.port)
            var source = HarvestSource(name: "civic-b", type: .ckan, url: "http://127.0.0.1:\(port)/")
            source.delaySeconds = 0
            source.graceDays = 1
            var harvester = Harvester(store: destination)

            // First harvest: both datasets new, each of its own municipality, read by the pipeline.
            let first = await harvester.harvest(source)
            #expect(first.gatherError == nil)
            #expect(Self.outcomes(first) == ["yaizu-aed": .new, "iwakuni-aed": .new])
            #expect(first.downloaded == 2 && first.notModified == 0)
            let iwakuni = try #require(try destination.dataset(id: "iwakuni-aed"))
            #expect(iwakuni.municipalityCode == "352080" && iwakuni.standard == "aed" && iwakuni.recordCount == 174, "\(first.text)")
            #expect(iwakuni.origin == "/harvest/civic-b" && iwakuni.license == "CC-BY-4.0")
            #expect(try destination.dataset(id: "yaizu-aed")?.municipalityCode == "222127")
            #expect(try destination.releases(of: "iwakuni-aed").first?.author == "harvest:civic-b")

            // Nothing changed: conditional requests only (304), no download, no release.
            let second = await harvester.harvest(source)
            #expect(Self.outcomes(second) == ["yaizu-aed": .unchanged, "iwakuni-aed": .unchanged])
            #expect(second.downloaded == 0 && second.notModified == 2 && second.bytes == 0)
            #expect(try destination.releases(of: "iwakuni-aed").count == 1)

            // One file changes at the source (a row less): only it is fetched, into release 2.
            let file = data.appendingPathComponent("iwakuni-aed/aed.csv")
            var bytes = try Data(contentsOf: file)
            let lastRow = try #require(bytes.dropLast(2).lastIndex(of: 0x0A))
            bytes = bytes.prefix(lastRow + 1)
            try bytes.write(to: file)
            #expect(loadDataFolder(data, into: sourceStore, logger: Self.quiet).loaded == ["iwakuni-aed"])
            try site.refresh()
            let third = await harvester.harvest(source)
            #expect(Self.outcomes(third) == ["yaizu-aed": .unchanged, "iwakuni-aed": .changed])
            #expect(third.downloaded == 1 && third.notModified == 1)
            #expect(try destination.dataset(id: "iwakuni-aed")?.recordCount == 173)
            #expect(try destination.releases(of: "iwakuni-aed").first?.number == 2)

            // A dataset deleted at the source is missing, kept through the grace period, then removed (a tombstone).
            try FileManager.default.removeItem(at: data.appendingPathComponent("yaizu-aed"))
            #expect(loadDataFolder(data, into: sourceStore, logger: Self.quiet).removed == ["yaizu-aed"])
            try site.refresh()
            let fourth = await harvester.harvest(source)
            #expect(Self.outcomes(fourth) == ["yaizu-aed": .missing, "iwakuni-aed": .unchanged])
            #expect(try destination.dataset(id: "yaizu-aed") != nil)
            let later = Date().addingTimeInterval(2 * 86_400)
            harvester.now = { later }
            let fifth = await harvester.harvest(source)
            #expect(Self.outcomes(fifth) == ["yaizu-aed": .deleted, "iwakuni-aed": .unchanged])
            #expect(try destination.dataset(id: "yaizu-aed") == nil)
            let tombstone = try #require(try destination.catalogEntries()["yaizu-aed"])
            #expect(tombstone.deleted)
            #expect(try destination.harvestItems(source: "civic-b").keys.count == 1)
            #expect(try destination.harvestRuns(source: "civic-b", limit: 10).count == 5)

            // The same server as a DCAT-AP catalogue (JSON-LD, Hydra-paged): the same datasets, under another source.
            var dcat = HarvestSource(name: "civic-b-dcat", type: .dcat, url: "http://127.0.0.1:\(port)/catalog.jsonld?page=1&limit=1")
            dcat.delaySeconds = 0
            dcat.prefix = "dcat-"
            let viaDCAT = await Harvester(store: destination).harvest(dcat)
            #expect(viaDCAT.gatherError == nil)
            #expect(Self.outcomes(viaDCAT) == ["dcat-iwakuni-aed": .new])
            #expect(try destination.dataset(id: "dcat-iwakuni-aed")?.municipalityCode == "352080")
        }
    }

    /// Static files on loopback as a web server serves them (ETag, Last-Modified, 304).
    static func staticServer(_ root: URL) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: FileMiddleware(root.path, searchForIndexHtml: false))
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: quiet)
    }

    @Test func harvestsStaticCataloguesOfCP932FilesAndWorkbooks() async throws {
        let root = try Self.folder("static")
        defer { try? FileManager.default.removeItem(at: root) }
        for (fixture, name) in [
            ("iwakuni_aed_cp932.csv", "352080_aed.csv"), ("ube_evacuation.xlsx", "ube_evacuation.xlsx"),
            ("ube_cultural_property.xls", "ube_cultural_property.xls"),
        ] {
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(fixture), to: root.appendingPathComponent(name))
        }
        let destination = try Self.store(in: root, "portal")
        try await Self.staticServer(root).test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let turtle = try String(contentsOf: Self.fixtures.appendingPathComponent("catalog.ttl"), encoding: .utf8)
                .replacingOccurrences(of: "{BASE}", with: base)
            try Data(turtle.utf8).write(to: root.appendingPathComponent("catalog.ttl"))

            // DCAT-AP in Turtle: the municipality from the publisher's name; a CP932 CSV and a workbook.
            var source = HarvestSource(name: "yamaguchi", type: .dcat, url: base + "/catalog.ttl")
            source.delaySeconds = 0
            let first = await Harvester(store: destination).harvest(source)
            #expect(first.gatherError == nil, "\(first.gatherError ?? "")")
            let items = Dictionary(first.items.compactMap { item in item.dataset.map { ($0, item) } }, uniquingKeysWith: { first, _ in first })
            let aed = try #require(items["iwakuni-aed"])
            #expect(aed.outcome == .new && aed.encoding == "CP932" && aed.standard == "aed" && aed.records == 174, "\(first.text)")
            #expect(aed.leftAside == [base + "/352080_aed.pdf"])
            let evacuation = try #require(items["ube-evacuation"])
            #expect(evacuation.outcome == .new && evacuation.format == "xlsx" && (evacuation.records ?? 0) > 100)
            #expect(try destination.dataset(id: "iwakuni-aed")?.municipalityCode == "352080")
            // The catalogue's dct:accrualPeriodicity, for the freshness KPI.
            #expect(try destination.dataset(id: "iwakuni-aed")?.updateFrequency == .annual)
            #expect(try destination.dataset(id: "ube-evacuation")?.municipalityCode == "352021")
            #expect(try destination.dataset(id: "ube-evacuation")?.title == "宇部市 緊急避難場所及び避難所")
            let skipped = first.items.filter { $0.outcome == .skipped }
            #expect(skipped.count == 1 && skipped.first?.reason?.contains("PDF") == true)

            // Again: the web server answers 304 to the conditional requests.
            let second = await Harvester(store: destination).harvest(source)
            #expect(second.count(.unchanged) == 2 && second.notModified == 2 && second.downloaded == 0)

            // A list of URLs: the .xls read, a missing file failed with its status, another file over the size limit.
            let list = "# 宇部市\n\(base)/ube_cultural_property.xls\t352021\t宇部市 文化財一覧\n\(base)/gone.csv 352021\n"
            try Data(list.utf8).write(to: root.appendingPathComponent("urls.txt"))
            var urls = HarvestSource(name: "ube-list", type: .list, url: base + "/urls.txt")
            urls.delaySeconds = 0
            let listed = await Harvester(store: destination).harvest(urls)
            let xls = try #require(listed.items.first { $0.url?.hasSuffix(".xls") == true })
            #expect(xls.outcome == .new && xls.format == "xls" && xls.dataset == "ube_cultural_property")
            #expect(try destination.dataset(id: "ube_cultural_property")?.title == "宇部市 文化財一覧")
            let gone = try #require(listed.items.first { $0.url?.hasSuffix("gone.csv") == true })
            #expect(gone.outcome == .failed && gone.reason == "HTTP 404")

            var small = HarvestSource(name: "small", type: .list, url: base + "/urls.txt")
            small.delaySeconds = 0
            small.maximumBytes = 4096
            let limited = await Harvester(store: destination).harvest(small)
            let tooLarge = try #require(limited.items.first { $0.url?.hasSuffix(".xls") == true })
            #expect(tooLarge.outcome == .failed && tooLarge.reason?.contains("limit of 4096") == true)
        }
    }

    @Test func aCatalogueThatCannotBeReadWholeRemovesNothing() async throws {
        let root = try Self.folder("safety")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("iwakuni_aed_cp932.csv"),
            to: root.appendingPathComponent("aed.csv")
        )
        let destination = try Self.store(in: root, "portal")
        try await Self.staticServer(root).test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            try Data("\(base)/aed.csv 352080\n".utf8).write(to: root.appendingPathComponent("urls.txt"))
            var source = HarvestSource(name: "iwakuni", type: .list, url: base + "/urls.txt")
            source.delaySeconds = 0
            source.graceDays = 0
            var harvester = Harvester(store: destination)
            // The file is named aed.csv: its dataset id is not the standard dataset's (the merged collection's) id.
            #expect(await harvester.harvest(source).items.map(\.dataset) == ["352080-aed"])
            let later = Date().addingTimeInterval(30 * 86_400)
            harvester.now = { later }

            // A mistyped list URL, a list emptied by mistake, a list that is not a list: nothing marked missing.
            for (url, text) in [(base + "/no-such-list.txt", nil), (base + "/empty.txt", ""), (base + "/bad.txt", "not a url\n")] {
                if let text { try Data(text.utf8).write(to: root.appendingPathComponent(URL(string: url)?.lastPathComponent ?? "")) }
                var broken = source
                broken.url = url
                let report = await harvester.harvest(broken)
                #expect(report.gatherError != nil, "\(url)")
                #expect(report.count(.missing) == 0 && report.count(.deleted) == 0)
                #expect(try destination.dataset(id: "352080-aed")?.recordCount == 174)
            }
            // A listing that is whole and lacks the file: removed (grace 0) — the path the mistakes above never take.
            try Data("# none any more\n\(base)/other.csv 352080\n".utf8).write(to: root.appendingPathComponent("urls.txt"))
            let report = await harvester.harvest(source)
            #expect(report.items.first { $0.dataset == "352080-aed" }?.outcome == .deleted)
            #expect(try destination.dataset(id: "352080-aed") == nil)
        }
    }

    @Test func aHarvestNeverTakesOverADatasetOfAnotherOrigin() async throws {
        let root = try Self.folder("origin")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("iwakuni_aed_cp932.csv"),
            to: root.appendingPathComponent("yaizu-aed.csv")
        )
        let destination = try Self.store(in: root, "portal")
        let data = try Self.sourceData(in: root)
        _ = loadDataFolder(data, into: destination, logger: Self.quiet)
        let before = try #require(try destination.dataset(id: "yaizu-aed"))
        try await Self.staticServer(root).test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            try Data("\(base)/yaizu-aed.csv 352080\n".utf8).write(to: root.appendingPathComponent("urls.txt"))
            var source = HarvestSource(name: "other", type: .list, url: base + "/urls.txt")
            source.delaySeconds = 0
            let report = await Harvester(store: destination).harvest(source)
            // A fresh id next to the data folder's dataset, which stays as it was.
            #expect(report.items.first?.outcome == .new && report.items.first?.dataset == "yaizu-aed-2")
            #expect(try destination.dataset(id: "yaizu-aed") == before)
            // The data folder's sync leaves harvested datasets (their origin is no folder).
            _ = loadDataFolder(data, into: destination, logger: Self.quiet)
            #expect(try destination.dataset(id: "yaizu-aed-2") != nil)
        }
    }

    @Test func requestsAreSpacedByTheSourcesDelay() async throws {
        let root = try Self.folder("delay")
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["a.csv", "b.csv"] {
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("iwakuni_aed_cp932.csv"), to: root.appendingPathComponent(name))
        }
        let destination = try Self.store(in: root, "portal")
        try await Self.staticServer(root).test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            try Data("\(base)/a.csv 352080\n\(base)/b.csv 352080\n".utf8).write(to: root.appendingPathComponent("urls.txt"))
            var source = HarvestSource(name: "polite", type: .list, url: base + "/urls.txt")
            source.delaySeconds = 0.4
            let started = Date()
            let report = await Harvester(store: destination).harvest(source)
            #expect(report.requests == 3 && report.count(.new) == 2)
            // Three requests, two waits between them.
            #expect(Date().timeIntervalSince(started) >= 0.8)
        }
    }

    @Test func theServersHarvestJobPublishesWhatItGathersAndShowsItsRuns() async throws {
        let folder = try Self.folder("schedule")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.sourceData(in: folder)
        let sourceStore = try Self.store(in: folder, "source")
        _ = loadDataFolder(data, into: sourceStore, logger: Self.quiet)
        var sourceConfiguration = ServerConfiguration(dataDirectory: data)
        sourceConfiguration.port = 0
        let sourceSite = try Site(configuration: sourceConfiguration, store: sourceStore)
        try await buildApplication(site: sourceSite, logger: Self.quiet).test(.live) { client in
            var source = HarvestSource(name: "member", type: .ckan, url: "http://127.0.0.1:\(try #require(client.port))")
            source.delaySeconds = 0
            let portal = try Self.store(in: folder, "portal")
            let site = try Site(configuration: ServerConfiguration(dataDirectory: folder.appendingPathComponent("none")), store: portal)
            let schedule = HarvestSchedule(
                configuration: HarvestConfiguration(sources: [source]),
                interval: 3600,
                grace: 60,
                store: portal,
                catalog: .bundled,
                logger: Self.quiet
            )
            let job = Task { await schedule.run(refreshing: site) }
            defer { job.cancel() }
            let deadline = Date().addingTimeInterval(30)
            while try portal.harvestRuns(source: "member", limit: 1).isEmpty, Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
            try await Task.sleep(nanoseconds: 100_000_000)
            try await buildApplication(site: site, logger: Self.quiet).test(.router) { portalClient in
                // The portal's CKAN API lists what the job gathered (the routes were made again after it).
                let search = try await portalClient.execute(uri: "/api/3/action/package_search?fq=organization:352080", method: .get) { $0 }
                let result = try #require(try JSONSerialization.jsonObject(with: Data(search.body.readableBytesView)) as? [String: Any])
                let packages = try #require((result["result"] as? [String: Any])?["results"] as? [[String: Any]])
                #expect(packages.map { $0["name"] as? String } == ["iwakuni-aed"])
                // The run's report, typed, at /harvest/runs.
                let runs = try await portalClient.execute(uri: "/harvest/runs?source=member", method: .get) { $0 }
                #expect(runs.status == .ok)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(runs.body.readableBytesView)) as? [String: Any])
                let first = try #require((body["runs"] as? [[String: Any]])?.first)
                let report = try #require(first["report"] as? [String: Any])
                #expect((report["counts"] as? [String: Int])?["new"] == 2 && report["source"] as? String == "member")
                let bad = try await portalClient.execute(uri: "/harvest/runs?limit=0", method: .get) { $0 }
                #expect(bad.status == .badRequest)
            }
        }
    }
}
