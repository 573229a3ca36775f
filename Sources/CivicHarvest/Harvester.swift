public import CivicData
import CivicGeo
import CivicIngest
public import CivicStore
public import Foundation

/// Gathers the datasets of other catalogues — CKAN portals, DCAT-AP catalogues, lists of file URLs — into the store,
/// through the pipeline every caller uses, as releases of the right municipality (docs/harvesting.md):
///
/// 1. the whole listing is read (CKAN `package_search` paged `sort=id asc`, Hydra pages, a list);
/// 2. each listed dataset's table file (CSV first; a workbook or GeoJSON when there is no CSV) is asked for with the
///    ETag and Last-Modified of the last harvest (a 304, or the same bytes, is *unchanged*); a new or changed file goes
///    through the pipeline into a new release (`Actor.harvester`), its report kept; a file that cannot be read fails
///    with the pipeline's reason and the last good release stays;
/// 3. a dataset the source no longer lists is *missing*, and removed (a tombstone in the change feed) only after the
///    source's grace period; a listing that could not be read whole, or is empty, marks nothing missing.
///
/// The state of each file is saved after its release commits: a harvest killed at any moment leaves the store
/// consistent, and the next run at worst fetches a file again.
public struct Harvester: Sendable {
    public let store: Store
    public let catalog: SchemaCatalog
    /// The clock (tests move it past a grace period).
    public var now: @Sendable () -> Date = { Date() }

    public init(store: Store, catalog: SchemaCatalog = .bundled) {
        self.store = store
        self.catalog = catalog
    }

    /// Harvests `source` once and keeps the run's report in the store.
    public func harvest(_ source: HarvestSource) async -> HarvestReport {
        let started = now()
        let fetcher = SourceFetcher(delay: source.delay, timeout: source.timeout, maximumBytes: source.byteLimit)
        var run = Run(source: source, store: store, catalog: catalog, fetcher: fetcher, now: now())
        await run.harvest()
        await fetcher.shutdown()
        let finished = now()
        var counts: [String: Int] = [:]
        for item in run.items { counts[item.outcome.rawValue, default: 0] += 1 }
        let report = HarvestReport(
            source: source.name,
            type: source.type.rawValue,
            url: source.url,
            started: Store.timestamp(started),
            finished: Store.timestamp(finished),
            seconds: finished.timeIntervalSince(started),
            gatherError: run.gatherError,
            listed: run.listed,
            requests: fetcher.requests,
            downloaded: run.downloaded,
            notModified: run.notModified,
            bytes: run.bytes,
            counts: counts,
            items: run.items
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let json = try? encoder.encode(report) {
            _ = try? store.recordHarvestRun(source: source.name, started: started, finished: finished, report: String(decoding: json, as: UTF8.self))
        }
        return report
    }
}

/// One harvest of one source.
struct Run {
    let source: HarvestSource
    let store: Store
    let catalog: SchemaCatalog
    let fetcher: SourceFetcher
    let now: Date
    var items: [HarvestReport.Item] = []
    var gatherError: String?
    var listed = 0
    var downloaded = 0
    var notModified = 0
    var bytes = 0
    /// Items whose file did not change, saved together at the end (a kill before only leaves their `lastSeen` older).
    var unchangedItems: [HarvestItem] = []

    init(source: HarvestSource, store: Store, catalog: SchemaCatalog, fetcher: SourceFetcher, now: Date) {
        self.source = source
        self.store = store
        self.catalog = catalog
        self.fetcher = fetcher
        self.now = now
    }

    /// A file to fetch, and the local dataset it feeds.
    struct Planned {
        var dataset: RemoteDataset
        var file: RemoteFile
        var remoteID: String
        var localID: String
        var municipalityCode: String
        var municipality: String?
        var leftAside: [String]
    }

    mutating func harvest() async {
        let datasets: [RemoteDataset]
        do {
            datasets = try await gather()
        } catch {
            gatherError = "\(error)"
            return
        }
        listed = datasets.count
        let state: [String: HarvestItem]
        let origins: [String: String]
        do {
            state = try store.harvestItems(source: source.name)
            origins = Dictionary(try store.origins().map { ($0.id, $0.origin) }, uniquingKeysWith: { first, _ in first })
        } catch {
            gatherError = "the store could not be read: \(error)"
            return
        }
        var seen: Set<String> = []
        for planned in plan(datasets, state: state, origins: origins) {
            switch planned {
            case .success(let planned):
                seen.insert(planned.remoteID)
                await fetch(planned, previous: state[planned.remoteID], exists: origins[planned.localID] == source.origin)
            case .failure(let failure):
                seen.formUnion(failure.listed)
                items.append(failure.item)
            }
        }
        do {
            try store.saveHarvestItems(unchangedItems)
        } catch {
            gatherError = "the harvest's state could not be saved: \(error)"
            return
        }
        if datasets.isEmpty, !state.isEmpty {
            gatherError = "the source listed no datasets (it had \(state.count) files before): nothing is marked missing"
            return
        }
        for item in state.values.sorted(by: { $0.datasetID < $1.datasetID }) where !seen.contains(item.remoteID) {
            missing(item, exists: origins[item.datasetID] == source.origin)
        }
    }

    // MARK: Gathering

    func gather() async throws -> [RemoteDataset] {
        var datasets: [RemoteDataset] = []
        var ids: Set<String> = []
        func add(_ page: [RemoteDataset]) {
            // Paging can shift while a catalogue changes: a dataset seen on an earlier page is kept once.
            for dataset in page where ids.insert(dataset.id).inserted { datasets.append(dataset) }
        }
        switch source.type {
        case .ckan:
            let base = Run.ckanBase(source.url)
            var start = 0
            while true {
                let url = "\(base)/api/3/action/package_search?q=*:*&rows=\(Run.ckanRows)&start=\(start)&sort=id%20asc"
                let response = try await fetcher.get(url, accept: "application/json")
                guard response.status == 200 else { throw HarvestError("\(url): HTTP \(response.status)") }
                let page = try CKANPage.read(response.data, url: url)
                add(page.datasets)
                start += Run.ckanRows
                if start >= page.count || page.datasets.isEmpty && page.count <= start { break }
                guard start < Run.maximumListed else { throw HarvestError("\(base): more than \(Run.maximumListed) datasets") }
            }
        case .dcat:
            var next: String? = source.url
            var pages: Set<String> = []
            while let url = next, pages.insert(url).inserted {
                let response = try await fetcher.get(url, accept: "application/ld+json, text/turtle;q=0.9, application/json;q=0.8")
                guard response.status == 200 else { throw HarvestError("\(url): HTTP \(response.status)") }
                let page = try DCATPage.read(response.data, url: url, contentType: response.contentType)
                add(page.datasets)
                next = page.next
                guard pages.count < Run.maximumPages else { throw HarvestError("\(source.url): more than \(Run.maximumPages) pages") }
            }
        case .list:
            let response = try await fetcher.get(source.url, accept: "text/plain, */*")
            guard response.status == 200 else { throw HarvestError("\(source.url): HTTP \(response.status)") }
            add(try URLList.read(response.data, url: source.url))
        }
        return datasets
    }

    static let ckanRows = 100
    static let maximumListed = 100_000
    static let maximumPages = 1_000

    /// The portal's root from what a user may write: the root, `/api/3`, or a `package_search` URL.
    static func ckanBase(_ url: String) -> String {
        var base = url.split(separator: "?").first.map(String.init) ?? url
        for suffix in ["/api/3/action/package_search", "/api/3/action", "/api/3", "/api"] where base.hasSuffix(suffix) {
            base.removeLast(suffix.count)
            break
        }
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    // MARK: Planning

    /// Each listed dataset's table files with their local ids, or why a dataset is not harvested.
    func plan(_ datasets: [RemoteDataset], state: [String: HarvestItem], origins: [String: String]) -> [Result<Planned, PlanFailure>] {
        let standardIDs = Set(catalog.schemas.map(\.id))
        var used: Set<String> = Set(state.values.map(\.datasetID))
        var results: [Result<Planned, PlanFailure>] = []
        for dataset in datasets {
            let tables = dataset.files.compactMap { file in file.table.map { (file, $0) } }
            guard let preferred = TableKind.allCases.first(where: { kind in tables.contains { $0.1 == kind } }) else {
                var item = HarvestReport.Item(
                    outcome: .skipped,
                    title: dataset.title,
                    url: dataset.page,
                    reason: dataset.files.isEmpty
                        ? "no files"
                        : "no CSV, TSV, Excel or GeoJSON file among its \(dataset.files.count) (\(Set(dataset.files.compactMap(\.format)).sorted().joined(separator: ", ")))"
                )
                item.leftAside = dataset.files.map(\.url)
                results.append(.failure(PlanFailure(item: item)))
                continue
            }
            let chosen = tables.filter { $0.1 == preferred }.map(\.0)
            let leftAside = dataset.files.filter { file in !chosen.contains(file) }.map(\.url)
            guard let (code, name) = municipality(of: dataset) else {
                var item = HarvestReport.Item(
                    outcome: .failed,
                    title: dataset.title,
                    url: chosen[0].url,
                    reason: "no municipality: the catalogue names none Civic recognises"
                        + (dataset.organization.map { " (organisation \"\($0)\")" } ?? "")
                        + "; set \"municipality\" or \"organizations\" for the source in harvest.json"
                )
                item.municipalityCode = dataset.municipalityCode
                results.append(.failure(PlanFailure(item: item, listed: chosen.map { remoteID(dataset, $0) })))
                continue
            }
            for (index, file) in chosen.enumerated() {
                let remoteID = remoteID(dataset, file)
                let localID: String
                if let known = state[remoteID]?.datasetID {
                    localID = known
                } else {
                    var base = source.prefix ?? ""
                    base += Run.slug(dataset.name ?? Run.lastSegment(source.type == .list ? file.url : dataset.id))
                    if base.count < 2 || base == (source.prefix ?? "") {
                        base = (source.prefix ?? "") + source.name + "-" + String(FNV1a.hex(remoteID).prefix(8))
                    }
                    if chosen.count > 1 { base += "-\(index + 1)" }
                    if standardIDs.contains(base) { base = code + "-" + base }
                    base = String(base.prefix(100))
                    var candidate = base
                    var suffix = 2
                    while used.contains(candidate) || (origins[candidate].map { $0 != source.origin } ?? false) {
                        candidate = String(base.prefix(96)) + "-\(suffix)"
                        suffix += 1
                    }
                    localID = candidate
                }
                used.insert(localID)
                if let origin = origins[localID], origin != source.origin {
                    var item = HarvestReport.Item(outcome: .failed, dataset: localID, title: dataset.title, url: file.url)
                    item.reason = "the dataset \(localID) is published from \(origin == VersionMetadata.apiOrigin ? "the API" : origin) already"
                    results.append(.failure(PlanFailure(item: item, listed: [remoteID])))
                    continue
                }
                results.append(
                    .success(
                        Planned(
                            dataset: dataset,
                            file: file,
                            remoteID: remoteID,
                            localID: localID,
                            municipalityCode: code,
                            municipality: name,
                            leftAside: leftAside
                        )
                    )
                )
            }
        }
        return results
    }

    /// A file's identity at the source: a list's URL; a dataset's id and the file's.
    func remoteID(_ dataset: RemoteDataset, _ file: RemoteFile) -> String {
        source.type == .list ? file.url : dataset.id + "#" + file.id
    }

    struct PlanFailure: Error {
        var item: HarvestReport.Item
        /// The files still listed (not missing), though not harvested this time.
        var listed: [String] = []
    }

    /// The municipality code (and name) of a remote dataset: the source's organisation map, the catalogue's own code,
    /// the publisher's name, the source's default — the first that names a valid 全国地方公共団体コード.
    func municipality(of dataset: RemoteDataset) -> (String, String?)? {
        let candidates: [String?] = [
            dataset.organization.flatMap { source.organizations?[$0] },
            dataset.municipalityCode,
            dataset.publisher.flatMap(MunicipalityNames.code(named:)),
            source.municipality,
        ]
        guard let code = candidates.lazy.compactMap({ $0 }).first(where: MunicipalityCode.isValid) else { return nil }
        return (code, MunicipalityNames.name(of: code) ?? dataset.publisher)
    }

    /// A local dataset id from a remote name: lowercase ASCII letters, digits, `-` and `_`.
    static func slug(_ text: String) -> String {
        var out = ""
        for character in text.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber || character == "_" {
                out.append(character)
            } else if !out.isEmpty, out.last != "-" {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// The last path segment of an IRI or URL, without its extension.
    static func lastSegment(_ text: String) -> String {
        let path = text.split(separator: "?").first.map(String.init) ?? text
        let segment = path.split(separator: "/").last.map(String.init) ?? path
        return segment.split(separator: "#").last.map { String($0).split(separator: ".").first.map(String.init) ?? "" } ?? segment
    }

    // MARK: Fetching

    mutating func fetch(_ planned: Planned, previous: HarvestItem?, exists: Bool) async {
        var item = HarvestReport.Item(outcome: .failed, dataset: planned.localID, title: planned.dataset.title, url: planned.file.url)
        item.municipalityCode = planned.municipalityCode
        if !planned.leftAside.isEmpty { item.leftAside = planned.leftAside }
        let folder = store.reportsDirectory.appendingPathComponent("harvest", isDirectory: true)
        let file = folder.appendingPathComponent("\(UUID().uuidString).\(planned.file.table?.rawValue ?? "csv")")
        defer { try? FileManager.default.removeItem(at: file) }
        // Still listed: whatever happens to the file, it is not missing.
        var kept =
            previous
            ?? HarvestItem(
                source: source.name,
                remoteID: planned.remoteID,
                datasetID: planned.localID,
                url: planned.file.url,
                firstSeen: Store.timestamp(now),
                lastSeen: Store.timestamp(now)
            )
        kept.lastSeen = Store.timestamp(now)
        kept.missingSince = nil
        kept.url = planned.file.url
        let described = described(planned)
        let metadataChanged = previous?.metadata != described
        kept.metadata = described
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let response = try await fetcher.download(
                planned.file.url,
                to: file,
                etag: exists ? previous?.etag : nil,
                lastModified: exists ? previous?.lastModified : nil
            )
            switch response.status {
            case 304:
                notModified += 1
                item.outcome = .unchanged
                if metadataChanged { item.metadataUpdated = try updateMetadata(planned) ? true : nil }
            case 200:
                downloaded += 1
                bytes += response.bytes
                kept.etag = response.etag
                kept.lastModified = response.lastModified
                if exists, let sha = response.sha256, sha == previous?.sha256 {
                    item.outcome = .unchanged
                    item.reason = "the same bytes (the source answers no conditional request)"
                    if metadataChanged { item.metadataUpdated = try updateMetadata(planned) ? true : nil }
                } else {
                    let report = try await ingest(planned, file: file, sha256: response.sha256 ?? "")
                    kept.sha256 = response.sha256
                    item.outcome = exists ? .changed : .new
                    item.standard = report.recognition.dataset
                    item.layout = report.recognition.layout.rawValue
                    item.encoding = report.source.encoding
                    item.format = report.source.format
                    item.records = report.summary.records
                    item.errors = report.summary.totals.errors
                    item.warnings = report.summary.totals.warnings
                    item.release = try store.releases(of: planned.localID).first?.number
                }
            default:
                item.reason = "HTTP \(response.status)"
            }
        } catch {
            item.outcome = .failed
            item.reason = "\(error)"
        }
        // After the release committed (or the failure): saved last, so a kill before it only repeats the fetch.
        if item.outcome == .unchanged {
            unchangedItems.append(kept)
        } else if item.outcome != .failed || previous != nil {
            try? store.saveHarvestItems([kept])
        }
        items.append(item)
    }

    /// Runs the pipeline over the downloaded file into a new live release of the local dataset (off the concurrency
    /// pool: it blocks).
    func ingest(_ planned: Planned, file: URL, sha256: String) async throws -> Report {
        let metadata = VersionMetadata(
            datasetID: planned.localID,
            title: planned.dataset.title,
            municipalityCode: planned.municipalityCode,
            municipality: planned.municipality,
            license: Run.license(planned.dataset.license ?? source.license),
            attribution: planned.municipality ?? planned.dataset.publisher,
            source: planned.dataset.page ?? planned.file.url,
            updated: Run.day(planned.dataset.modified) ?? String(Store.timestamp(now).prefix(10)),
            file: planned.file.url,
            fingerprint: "harvest:" + sha256,
            origin: source.origin,
            updateFrequency: Run.frequency(planned)
        )
        let options = IngestOptions(
            read: ReadOptions(catalog: catalog),
            georeferencing: Georeferencer.Options(municipalityCode: planned.municipalityCode, target: .crs84)
        )
        let store = self.store
        let actor = Actor.harvester(source.name)
        let note = "harvested from \(planned.file.url)"
        return try await Ingest.onThread(named: "civic-harvest") {
            try store.writeVersion(metadata) { version in
                let report = try Ingest.run(
                    .file(file),
                    options: options,
                    findings: JSONReportWriter(output: try ByteWriter(url: version.reportURL)),
                    into: [version]
                )
                try version.commit(report, by: actor, note: note)
                return report
            }
        }
    }

    /// The update frequency the catalogue declares, as Civic names it.
    static func frequency(_ planned: Planned) -> String? {
        planned.dataset.updateFrequency.flatMap(UpdateFrequency.init(parsing:))?.rawValue
    }

    /// The digest of what the catalogue says of the dataset and Civic keeps as its metadata.
    func described(_ planned: Planned) -> String {
        var hash = FNV1a()
        for part in [
            planned.dataset.title, planned.dataset.license ?? source.license ?? "", planned.municipality ?? planned.dataset.publisher ?? "",
            planned.dataset.page ?? planned.file.url, Run.frequency(planned) ?? "",
        ] {
            hash.add(part)
            hash.add("\u{1F}")
        }
        return String(hash.value, radix: 16)
    }

    /// A file that did not change may come with new metadata (a title, a licence): the live release takes it.
    func updateMetadata(_ planned: Planned) throws -> Bool {
        guard let dataset = try store.dataset(id: planned.localID) else { return false }
        let metadata = DatasetMetadata(
            title: planned.dataset.title,
            license: Run.license(planned.dataset.license ?? source.license),
            licenseNote: dataset.licenseNote,
            attribution: planned.municipality ?? planned.dataset.publisher,
            source: planned.dataset.page ?? planned.file.url,
            updateFrequency: Run.frequency(planned)
        )
        let current = DatasetMetadata(of: dataset)
        guard metadata != current else { return false }
        try store.updateMetadata(planned.localID, metadata, by: .harvester(source.name))
        return true
    }

    // MARK: Deletions

    mutating func missing(_ state: HarvestItem, exists: Bool) {
        var item = HarvestReport.Item(outcome: .missing, dataset: state.datasetID, url: state.url)
        var kept = state
        let since = Store.date(state.missingSince) ?? now
        if kept.missingSince == nil { kept.missingSince = Store.timestamp(now) }
        let removeAt = since.addingTimeInterval(source.grace)
        do {
            if now >= removeAt {
                if exists { _ = try store.remove(state.datasetID, by: .harvester(source.name)) }
                try store.forgetHarvestItem(source: source.name, remoteID: state.remoteID)
                item.outcome = .deleted
                item.reason = "not listed by the source since \(Store.timestamp(since))"
            } else {
                try store.saveHarvestItems([kept])
                item.reason = "not listed by the source since \(Store.timestamp(since)); removed after \(Store.timestamp(removeAt))"
            }
        } catch {
            item.outcome = .failed
            item.reason = "could not be marked missing or removed: \(error)"
        }
        items.append(item)
    }

    // MARK: Helpers

    /// The licence as Civic names it (`CC-BY-4.0`) from a CKAN licence id or a licence IRI; else as given.
    static func license(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return Licences.key(identifying: text) ?? text
    }

    /// YYYY-MM-DD from an ISO 8601 time, nil when it is not one.
    static func day(_ text: String?) -> String? {
        guard let text, text.count >= 10 else { return nil }
        let day = String(text.prefix(10))
        let parts = day.split(separator: "-")
        guard parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return nil }
        return day
    }
}
