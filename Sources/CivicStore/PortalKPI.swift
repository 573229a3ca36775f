public import CivicData
public import Foundation

/// The portal's KPI and quality measures, computed from what the store holds (docs/kpi.md): for each municipality,
/// which of the national standard datasets it publishes (of the full list, the missing ones named — the city plans'
/// KPI), and for each dataset its conformance to the standard, its metadata quality in the manner of the European
/// data portal's MQA, and its freshness — each a score with its parts shown.
public struct PortalKPI: Codable, Sendable, Equatable {
    public struct Coverage: Codable, Sendable, Equatable {
        public var published: Int
        public var total: Int
        /// published ÷ total, 0…1.
        public var ratio: Double
    }

    /// One part of a score: its points of its maximum.
    public struct Part: Codable, Sendable, Equatable {
        public var name: String
        public var points: Int
        public var maximum: Int
    }

    public struct Score: Codable, Sendable, Equatable {
        public var points: Int
        public var maximum: Int
        public var parts: [Part]

        init(_ parts: [Part]) {
            self.parts = parts
            points = parts.map(\.points).reduce(0, +)
            maximum = parts.map(\.maximum).reduce(0, +)
        }
    }

    public struct Dataset: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var standard: String
        /// The national list's number (`08` for AED), nil for a dataset of no national standard.
        public var number: String?
        public var records: Int
        public var withCoordinates: Int
        public var conformance: Score
        public var metadata: Score
        public var created: String
        public var modified: String
        /// Whole days since the last change.
        public var ageDays: Int
        /// The update frequency its publisher declares (`UpdateFrequency`), and whether it is overdue: not changed
        /// within its period and half a period more (nil when none is declared, or updates are irregular).
        public var updateFrequency: String?
        public var overdue: Bool?
        /// Its downloads and API requests in the last `PortalKPI.usageDays` days.
        public var usage: UsageCount
    }

    /// A day's downloads and API requests (of a municipality's datasets, or of all).
    public struct UsageDay: Codable, Sendable, Equatable {
        /// YYYY-MM-DD (Japan).
        public var day: String
        public var downloads: Int
        public var apiRequests: Int
        public var notModified: Int
    }

    /// The days usage is shown for.
    public static let usageDays = 30

    /// A month's releases published and records edited in place.
    public struct Activity: Codable, Sendable, Equatable {
        /// YYYY-MM.
        public var month: String
        public var releases: Int
        public var edits: Int
    }

    /// How many datasets score in a band of quality (the mean of their conformance and metadata percentages).
    public struct Band: Codable, Sendable, Equatable {
        public var name: String
        /// The band's lowest percentage.
        public var from: Int
        public var datasets: Int
    }

    public struct Published: Codable, Sendable, Equatable {
        public var number: String
        public var id: String
        public var title: String
        public var datasets: [String]
    }

    public struct Municipality: Codable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var coverage: Coverage
        public var published: [Published]
        public var missing: [NationalStandardDatasets.Entry]
        /// Its datasets of no national standard (their ids).
        public var others: [String]
        /// The mean of its datasets' conformance and metadata scores, in percent.
        public var conformance: Int
        public var metadata: Int
        /// Its datasets not updated as often as their publisher declares.
        public var overdue: Int
        public var datasets: [Dataset]
        /// Its releases and edits by month, oldest first.
        public var activity: [Activity]
        /// Its datasets' downloads and API requests in the last `usageDays` days, in all and by day.
        public var usage: UsageCount
        public var usageByDay: [UsageDay]
    }

    public struct Portal: Codable, Sendable, Equatable {
        public var municipalities: Int
        public var datasets: Int
        /// Every municipality's published standard datasets of every municipality's possible.
        public var coverage: Coverage
        /// How many municipalities publish each standard dataset, by its id.
        public var publishers: [String: Int]
        /// How many datasets score in each band of quality, best first.
        public var quality: [Band]
        /// Every municipality's releases and edits by month, oldest first.
        public var activity: [Activity]
        /// Every dataset's downloads and API requests in the last `usageDays` days, in all and by day.
        public var usage: UsageCount
        public var usageByDay: [UsageDay]
    }

    /// The bands of quality: 優良 90–100 %, 良 75–89, 可 50–74, 要改善 below 50.
    public static let bands: [(name: String, from: Int)] = [("優良", 90), ("良", 75), ("可", 50), ("要改善", 0)]

    /// A dataset's quality: the mean of its conformance and metadata percentages.
    public static func quality(_ dataset: Dataset) -> Int {
        let conformance = Double(dataset.conformance.points) / Double(max(1, dataset.conformance.maximum))
        let metadata = Double(dataset.metadata.points) / Double(max(1, dataset.metadata.maximum))
        return Int(((conformance + metadata) * 50).rounded())
    }

    public var generated: String
    public var standardDatasets: [NationalStandardDatasets.Entry]
    public var municipalities: [Municipality]
    public var portal: Portal

    /// The KPI of `datasets` (the live ones), their change-feed `entries` giving when each was created and changed,
    /// and the catalogue's `activity` by month.
    ///
    /// `usage`: the counts of the last `usageDays` days (rows of datasets no longer here count for the portal only);
    /// `downloadable`: whether each dataset's download answered (the server's check), by id.
    public init(
        datasets: [StoredDataset],
        entries: [String: CatalogEntry],
        activity: [CatalogActivity] = [],
        usage: [UsageRow] = [],
        downloadable: [String: Bool] = [:],
        now: Date = Date()
    ) {
        // Grouped once: each municipality's figures read its own datasets' rows.
        let usageRows = Dictionary(grouping: usage, by: \.dataset)
        let national = NationalStandardDatasets.all
        let numbers = Dictionary(uniqueKeysWithValues: national.map { ($0.id, $0.number) })
        var byCode: [String: [StoredDataset]] = [:]
        for dataset in datasets { byCode[dataset.municipalityCode ?? "unknown", default: []].append(dataset) }
        var municipalities: [Municipality] = []
        for code in byCode.keys.sorted() {
            let own = byCode[code, default: []].sorted { $0.id < $1.id }
            let qualities = own.map { dataset -> Dataset in
                let entry = entries[dataset.id]
                let modified = entry?.modified ?? dataset.loadedAt
                let age = Store.date(modified).map { max(0, Int(now.timeIntervalSince($0) / 86400)) } ?? 0
                let period = dataset.updateFrequency?.days
                return Dataset(
                    id: dataset.id,
                    title: dataset.title,
                    standard: dataset.standard,
                    number: numbers[dataset.standard],
                    records: dataset.recordCount,
                    withCoordinates: dataset.featureCount,
                    conformance: PortalKPI.conformance(dataset),
                    metadata: PortalKPI.metadata(dataset, downloadable: downloadable[dataset.id]),
                    created: entry?.created ?? dataset.loadedAt,
                    modified: modified,
                    ageDays: age,
                    updateFrequency: dataset.updateFrequency?.rawValue,
                    overdue: period.map { age > $0 + $0 / 2 },
                    usage: (usageRows[dataset.id] ?? []).reduce(into: UsageCount()) { $0.add($1.count) }
                )
            }
            let published = national.compactMap { standard -> Published? in
                let ids = own.filter { $0.standard == standard.id }.map(\.id)
                return ids.isEmpty ? nil : Published(number: standard.number, id: standard.id, title: standard.title, datasets: ids)
            }
            let publishedIDs = Set(published.map(\.id))
            func mean(_ scores: [Score]) -> Int {
                let maximum = scores.map(\.maximum).reduce(0, +)
                return maximum == 0 ? 0 : Int((Double(scores.map(\.points).reduce(0, +)) * 100 / Double(maximum)).rounded())
            }
            municipalities.append(
                Municipality(
                    code: code,
                    name: own.compactMap(\.municipality).first ?? code,
                    coverage: Coverage(published: published.count, total: national.count, ratio: Double(published.count) / Double(national.count)),
                    published: published,
                    missing: national.filter { !publishedIDs.contains($0.id) },
                    others: own.filter { numbers[$0.standard] == nil }.map(\.id),
                    conformance: mean(qualities.map(\.conformance)),
                    metadata: mean(qualities.map(\.metadata)),
                    overdue: qualities.filter { $0.overdue == true }.count,
                    datasets: qualities,
                    activity: PortalKPI.months(activity.filter { $0.municipalityCode == code }),
                    usage: qualities.reduce(into: UsageCount()) { $0.add($1.usage) },
                    usageByDay: PortalKPI.days(own.flatMap { usageRows[$0.id] ?? [] })
                )
            )
        }
        var publishers: [String: Int] = [:]
        for municipality in municipalities { for standard in municipality.published { publishers[standard.id, default: 0] += 1 } }
        let published = municipalities.map(\.coverage.published).reduce(0, +)
        let possible = municipalities.count * national.count
        generated = Store.timestamp(now)
        standardDatasets = national
        self.municipalities = municipalities
        portal = Portal(
            municipalities: municipalities.count,
            datasets: datasets.count,
            coverage: Coverage(published: published, total: possible, ratio: possible == 0 ? 0 : Double(published) / Double(possible)),
            publishers: publishers,
            quality: PortalKPI.bands.map { band in
                let upper = PortalKPI.bands.last { $0.from > band.from }?.from ?? 101
                let count = municipalities.flatMap(\.datasets).filter { (band.from..<upper).contains(PortalKPI.quality($0)) }.count
                return Band(name: band.name, from: band.from, datasets: count)
            },
            activity: PortalKPI.months(activity),
            usage: usage.reduce(into: UsageCount()) { $0.add($1.count) },
            usageByDay: PortalKPI.days(usage)
        )
    }

    /// Usage summed by day, oldest first.
    static func days(_ usage: [UsageRow]) -> [UsageDay] {
        var byDay: [String: UsageCount] = [:]
        for row in usage { byDay[row.day, default: UsageCount()].add(row.count) }
        return byDay.sorted { $0.key < $1.key }.map {
            UsageDay(day: $0.key, downloads: $0.value.downloads, apiRequests: $0.value.apiRequests, notModified: $0.value.notModified)
        }
    }

    /// Activity summed by month, oldest first.
    static func months(_ activity: [CatalogActivity]) -> [Activity] {
        var byMonth: [String: Activity] = [:]
        for row in activity {
            byMonth[row.month, default: Activity(month: row.month, releases: 0, edits: 0)].releases += row.releases
            byMonth[row.month, default: Activity(month: row.month, releases: 0, edits: 0)].edits += row.edits
        }
        return byMonth.values.sorted { $0.month < $1.month }
    }

    /// Conformance to the standard (100): the schema's required columns present (30 × the share present); cells
    /// valid (30 × the share of cells without an error finding); codes with valid check digits (10 × the share of the
    /// 全国地方公共団体コード and 法人番号 cells without a check-digit finding); points inside the municipality (15 × the
    /// share of points neither far from it, nor outside its prefecture or Japan; full for a dataset without
    /// coordinates in its standard); the layout (current 15, legacy 2019 8, non-standard 0). A version loaded before
    /// its report's counts were kept scores the last four by its validity (its layout 8: not known).
    public static func conformance(_ dataset: StoredDataset) -> Score {
        let required = dataset.schema.fields.filter { $0.constraints?.required == true || $0.civic?.requiredLevel == "required" }
        let present = required.filter { dataset.columns.contains($0.name) }.count
        let columns = required.isEmpty ? 30 : points(30, share: Double(present) / Double(required.count))
        guard let quality = dataset.quality else {
            return Score([
                Part(name: "requiredColumns", points: columns, maximum: 30),
                Part(name: "cellsValid", points: dataset.valid ? 30 : 0, maximum: 30),
                Part(name: "checkDigits", points: dataset.valid ? 10 : 0, maximum: 10),
                Part(name: "pointsInside", points: dataset.valid ? 15 : 0, maximum: 15),
                Part(name: "layout", points: 8, maximum: 15),
            ])
        }
        let cells = quality.cells == 0 ? (quality.errors == 0 ? 1 : 0) : 1 - Double(min(quality.errors, quality.cells)) / Double(quality.cells)
        let codeColumns = dataset.schema.fields.filter { $0.civic?.checkDigit != nil && dataset.columns.contains($0.name) }.count
        let codeCells = quality.records * codeColumns
        let codes = codeCells == 0 ? 1 : 1 - Double(min(quality.checkDigitErrors, codeCells)) / Double(codeCells)
        let located = dataset.schema.fields.contains { $0.kind == .latitude || $0.kind == .longitude }
        let inside =
            dataset.featureCount > 0
            ? 1 - Double(min(quality.pointsOutside, dataset.featureCount)) / Double(dataset.featureCount) : (located ? 0 : 1)
        let layout = ["current": 15, "legacy": 8][quality.layout] ?? 0
        return Score([
            Part(name: "requiredColumns", points: columns, maximum: 30),
            Part(name: "cellsValid", points: points(30, share: cells), maximum: 30),
            Part(name: "checkDigits", points: points(10, share: codes), maximum: 10),
            Part(name: "pointsInside", points: points(15, share: inside), maximum: 15),
            Part(name: "layout", points: layout, maximum: 15),
        ])
    }

    /// `maximum × share`, rounded down unless the share is whole: one bad cell in a million is not a full score.
    static func points(_ maximum: Int, share: Double) -> Int {
        share >= 1 ? maximum : min(maximum - 1, Int((Double(maximum) * share).rounded()))
    }

    /// Licences open enough for reuse (CC BY 4.0 and compatible terms, CC0, PDL 1.0).
    static let openLicences = ["CC-BY-4.0", "CC-BY-2.1-JP", "CC0-1.0", "PDL-1.0", "CC-BY-SA-4.0", "ODC-BY-1.0"]

    /// Metadata quality in the manner of MQA's dimensions, for what a municipality controls: reusability (a licence
    /// 15, an open one 10, attribution 5), findability (a title 10, the publisher's 団体コード 10, a spatial extent
    /// 10), contextuality (a modification date 10), interoperability (machine-readable, non-proprietary formats
    /// served: CSV and GeoJSON for every dataset, 10), accessibility (the download really answers: its CSV was
    /// written whole, 20; `downloadable` nil — not checked yet — scores 0).
    public static func metadata(_ dataset: StoredDataset, downloadable: Bool? = nil) -> Score {
        let license = dataset.license ?? ""
        return Score([
            Part(name: "license", points: license.isEmpty ? 0 : 15, maximum: 15),
            Part(
                name: "openLicense",
                points: openLicences.contains(license) || (dataset.licenseNote ?? "").contains("CC BY 4.0") ? 10 : 0,
                maximum: 10
            ),
            Part(name: "attribution", points: (dataset.attribution ?? "").isEmpty ? 0 : 5, maximum: 5),
            Part(name: "title", points: dataset.title.isEmpty ? 0 : 10, maximum: 10),
            Part(name: "publisher", points: (dataset.municipalityCode ?? "").isEmpty ? 0 : 10, maximum: 10),
            Part(name: "spatialExtent", points: dataset.extent == nil ? 0 : 10, maximum: 10),
            Part(name: "modified", points: dataset.updated.isEmpty ? 0 : 10, maximum: 10),
            Part(name: "machineReadableFormats", points: 10, maximum: 10),
            Part(name: "downloadAnswers", points: downloadable == true ? 20 : 0, maximum: 20),
        ])
    }
}
