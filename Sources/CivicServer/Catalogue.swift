import CivicData
import CivicGeo
import CivicStore
import Foundation
import Synchronization

/// The collections the server publishes, built from the store: one per dataset, and one per standard dataset that
/// merges every municipality's (all AED sites of the region), filterable by municipality.
struct Catalogue: Sendable {
    struct Collection: Sendable {
        var id: String
        var title: String
        var description: String
        var selector: CollectionSelector
        /// Property names, in order; for a merged collection the standard's columns plus `dataset`.
        var columns: [String]
        var numeric: [Bool]
        var idColumn: Int?
        var extent: StoredDataset.Envelope?
        var datasets: [StoredDataset]
        var featureCount: Int
        var updated: String

        var isMerged: Bool { selector.isMerged }
    }

    /// A publishing municipality (a CKAN organisation), by 全国地方公共団体コード.
    struct Organization: Sendable {
        var code: String
        var name: String
        var datasets: [StoredDataset]
    }

    var collections: [Collection]
    var datasets: [StoredDataset]
    /// Datasets whose last load failed (id → why): they keep serving their last good version, and say so.
    var failures: [String: String]
    /// When the data last changed (the newest load), for Last-Modified.
    var loadedAt: Date
    /// The municipalities in code order ("unknown" for datasets without a code).
    var organizations: [Organization]
    /// Every dataset the catalogue has or had (deleted ones as tombstones), with when it was created and last
    /// changed: the change feed's state (`CatalogChangeStore`), read when first asked for (CKAN, DCAT and KPI
    /// answers) rather than at every refresh — a record edit refreshes the catalogue.
    var entries: [String: CatalogEntry] { entriesRead.value }
    private let entriesRead: ReadOnce<[String: CatalogEntry]>
    /// Releases and record edits by month and municipality (the KPI's activity), read when first asked for.
    var activity: [CatalogActivity] { activityRead.value }
    private let activityRead: ReadOnce<[CatalogActivity]>
    /// The CSV downloads' sizes, measured in the background (the site's, kept across refreshes).
    let sizes: DownloadSizes?

    /// The size of `dataset`'s CSV download, when measured.
    func csvBytes(_ dataset: StoredDataset) -> Int? {
        sizes?.csvBytes(dataset).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// Whether `dataset`'s download answers — its CSV was written whole by the download's own code (`DownloadSizes`);
    /// nil until checked. The KPI's accessibility (docs/kpi.md).
    func downloadable(_ dataset: StoredDataset) -> Bool? {
        sizes?.csvBytes(dataset).map { $0 >= 0 }
    }

    /// A value of one catalogue read from the store when first asked for, then kept.
    final class ReadOnce<Value: Sendable>: Sendable {
        private let read: @Sendable () -> Value
        private let cached = Mutex<Value?>(nil)

        init(_ read: @escaping @Sendable () -> Value) { self.read = read }

        var value: Value {
            cached.withLock { cached in
                if let cached { return cached }
                let value = read()
                cached = value
                return value
            }
        }
    }
    private var byID: [String: Collection]
    /// Each collection's renderer, its property keys encoded once per catalogue rather than once per page.
    private var renderers: [String: FeatureRenderer]

    init(datasets: [StoredDataset], failures: [String: String] = [:], entries: [String: CatalogEntry] = [:]) {
        self.init(datasets: datasets, failures: failures, entries: ReadOnce { entries }, activity: ReadOnce { [] }, sizes: nil)
    }

    /// A catalogue whose change-feed entries and activity `changes` gives when first asked for (an unreadable store:
    /// none).
    /// `sizes`: the downloads' sizes as measured (nil: not measured).
    init(datasets: [StoredDataset], failures: [String: String] = [:], changes: any CatalogChangeStore, sizes: DownloadSizes? = nil) {
        self.init(
            datasets: datasets,
            failures: failures,
            entries: ReadOnce { (try? changes.catalogEntries()) ?? [:] },
            activity: ReadOnce { (try? changes.catalogActivity(excluding: ShelterStatus.schemaID)) ?? [] },
            sizes: sizes
        )
    }

    private init(
        datasets: [StoredDataset],
        failures: [String: String],
        entries: ReadOnce<[String: CatalogEntry]>,
        activity: ReadOnce<[CatalogActivity]>,
        sizes: DownloadSizes?
    ) {
        self.datasets = datasets
        self.failures = failures
        entriesRead = entries
        activityRead = activity
        self.sizes = sizes
        loadedAt = datasets.compactMap { Store.date($0.loadedAt) }.max() ?? Date()
        var collections: [Collection] = []
        for dataset in datasets {
            // The schema the dataset was loaded with decides its ID column (not the bundled one: a user's may differ).
            let idField = dataset.schema.civic.idField
            collections.append(
                Collection(
                    id: dataset.id,
                    title: dataset.title,
                    description: [dataset.municipality, dataset.standardTitle].compactMap { $0 }.joined(separator: " ")
                        + (dataset.attribution.map { "（\($0)）" } ?? ""),
                    selector: .dataset(dataset),
                    columns: dataset.columns,
                    numeric: dataset.numericColumns,
                    idColumn: idField.flatMap { dataset.columns.firstIndex(of: $0) },
                    extent: dataset.extent,
                    datasets: [dataset],
                    featureCount: dataset.featureCount,
                    updated: dataset.updated
                )
            )
        }
        // Datasets that follow no standard (generic) have columns of their own: no merged collection for them.
        // A dataset that took a standard dataset's id (a store made before ids were checked) keeps it: the merged
        // collection of that standard is not served rather than two collections sharing one id.
        let taken = Set(collections.map(\.id))
        for standard in Set(datasets.map(\.standard)).subtracting([GenericSchema.id]).subtracting(taken).sorted() {
            let members = datasets.filter { $0.standard == standard }
            guard let first = members.first else { continue }
            let columns = Array(first.columns.prefix(first.standardColumnCount)) + ["dataset"]
            let extent = StoredDataset.extent(of: members)
            collections.append(
                Collection(
                    id: standard,
                    title: "\(first.standardTitle)（全団体）",
                    description:
                        "\(first.standardTitle): \(members.compactMap(\.municipality).joined(separator: "、")) — merged; filter with municipality=<全国地方公共団体コード>",
                    selector: .merged(members),
                    columns: columns,
                    numeric: Array(first.numericColumns.prefix(first.standardColumnCount)) + [false],
                    idColumn: nil,
                    extent: extent,
                    datasets: members,
                    featureCount: members.map(\.featureCount).reduce(0, +),
                    updated: members.map(\.updated).max() ?? first.updated
                )
            )
        }
        self.collections = collections
        var byCode: [String: Organization] = [:]
        for dataset in datasets {
            let code = dataset.municipalityCode ?? "unknown"
            byCode[code, default: Organization(code: code, name: dataset.municipality ?? code, datasets: [])].datasets.append(dataset)
        }
        organizations = byCode.values.sorted { $0.code < $1.code }
        byID = Dictionary(uniqueKeysWithValues: collections.map { ($0.id, $0) })
        renderers = Dictionary(uniqueKeysWithValues: collections.map { ($0.id, FeatureRenderer($0)) })
    }

    /// The renderer of one of the catalogue's collections.
    func renderer(_ collection: Collection) -> FeatureRenderer { renderers[collection.id] ?? FeatureRenderer(collection) }

    subscript(id: String) -> Collection? { byID[id] }

    /// The collection `id`, or 404.
    func collection(_ id: String) throws -> Collection {
        guard let collection = byID[id] else { throw APIError.notFound("no collection '\(id)'") }
        return collection
    }
}
