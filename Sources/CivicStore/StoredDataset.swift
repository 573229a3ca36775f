public import CivicData
public import CivicGeo
import Foundation

/// A dataset as the store serves it: its live version's descriptor, schema, columns, extent and report.
public struct StoredDataset: Sendable, Codable, Equatable {
    public var id: String
    /// The live version's key: the records served are this version's, until another one commits.
    public var version: Int64
    /// The schema the version was loaded with (ID column, types, queryables).
    public var schema: Schema
    /// Where the dataset comes from (its folder, relative to the data folder), which decides when it is removed.
    public var origin: String
    public var title: String
    public var municipalityCode: String?
    public var municipality: String?
    /// The standard dataset id (`aed`) and its Japanese name.
    public var standard: String
    public var standardTitle: String
    public var license: String?
    public var licenseNote: String?
    public var attribution: String?
    public var source: String?
    /// Last update of the data (the descriptor's, else the file's modification date), YYYY-MM-DD.
    public var updated: String
    /// The output columns: the standard fields in order, then the file's extra columns.
    public var columns: [String]
    /// How many of `columns` are the standard's (the rest are extra columns).
    public var standardColumnCount: Int
    /// Columns whose values are numbers in JSON.
    public var numericColumns: [Bool]
    public var recordCount: Int
    public var featureCount: Int
    /// lon/lat extent of the features (CRS84), nil when none has coordinates.
    public var extent: Envelope?
    public var valid: Bool
    /// The validation report's file (JSON, as `civic validate --format json` writes it), kept beside the store:
    /// a report can be larger than the data (one finding per cell), so it is streamed to disk, not held in a row.
    public var reportFile: String
    /// Where the data came from, and its fingerprint (size, modification time, descriptor) for reloads.
    public var file: String
    public var fingerprint: String
    public var loadedAt: String
    /// True when records have lines or polygons (GeoJSON input): downloads then add a `geometry (WKT)` column.
    public var hasShapes: Bool
    /// The number of the live release (CKAN's `version`).
    public var liveRelease: Int?
    /// The counts of its validation report the KPI scores (nil for versions loaded before they were kept).
    public var quality: VersionQuality? = nil
    /// How often its publisher says it is updated.
    public var updateFrequency: UpdateFrequency? = nil
    /// The position of the version's last record (records sit at positions from 0 in file order; an edit's
    /// creation takes the next one, a deletion leaves a gap); nil when it has none or it was not read.
    public var lastPosition: Int? = nil

    /// Changes whenever what readers get changes — a new version, or records edited in it (which stamp
    /// `loadedAt`): for ETags of whole downloads and CKAN's resource hash.
    public var revision: String { "\(version)@\(loadedAt)" }

    /// A lon/lat bounding box (CivicGeo's, which the bbox filters and joins share).
    public typealias Envelope = CivicGeo.Envelope
}

/// One record of a stored dataset.
public struct StoredFeature: Sendable, Equatable {
    public var datasetID: String
    /// The ID column's value when the dataset's IDs are filled and unique, else the record's line number.
    public var featureID: String
    public var line: Int
    public var longitude: Double?
    public var latitude: Double?
    /// One value per column of the dataset.
    public var values: [String]
    /// The record's geometry as a GeoJSON geometry object (CRS84), when it is not a point (GeoJSON lines,
    /// polygons …); points are `longitude`/`latitude`.
    public var geometry: String?
    /// The values as stored — a JSON array of strings — when they were read to be written out as JSON (`values` is
    /// then empty): an items page copies them instead of decoding and escaping each again.
    public var valuesJSON: [UInt8]?
    /// The record's row in the store (its version and position), when the query read it; 0 when not. A row's values
    /// change only by a record edit, which the server hears of (its rendered-feature cache keys on this).
    public var key: Int64 = 0

    public init(
        datasetID: String,
        featureID: String,
        line: Int,
        longitude: Double?,
        latitude: Double?,
        values: [String],
        geometry: String? = nil
    ) {
        self.datasetID = datasetID
        self.featureID = featureID
        self.line = line
        self.longitude = longitude
        self.latitude = latitude
        self.values = values
        self.geometry = geometry
    }
}

/// What a query reads from: the live versions of one dataset, or of every dataset of a standard (a merged
/// collection), as one snapshot of the catalogue saw them. Reading by version keys means a request never mixes
/// two versions, even while a new one commits.
public struct CollectionSelector: Sendable, Hashable {
    /// One dataset's version in the selection.
    public struct Member: Sendable, Hashable {
        public var datasetID: String
        public var version: Int64
        public var recordCount: Int
        /// True when the version's records sit at positions 0..<recordCount, none deleted in between: a position in
        /// file order is then a record's key (`filePageKeys`).
        public var gapless: Bool

        public init(datasetID: String, version: Int64, recordCount: Int, gapless: Bool = false) {
            self.datasetID = datasetID
            self.version = version
            self.recordCount = recordCount
            self.gapless = gapless
        }

        init(_ dataset: StoredDataset) {
            self.init(
                datasetID: dataset.id,
                version: dataset.version,
                recordCount: dataset.recordCount,
                gapless: Member.isGapless(lastPosition: dataset.lastPosition, recordCount: dataset.recordCount)
            )
        }

        /// True when records at positions up to `lastPosition` (nil: none) are `recordCount` records, none missing.
        static func isGapless(lastPosition: Int?, recordCount: Int) -> Bool {
            lastPosition.map { $0 + 1 == recordCount } ?? (recordCount == 0)
        }
    }

    /// In dataset id order.
    public var members: [Member]
    /// True for a merged collection: feature ids are "<dataset id>/<feature id>".
    public var isMerged: Bool

    public init(members: [Member], isMerged: Bool) {
        self.members = members.sorted { $0.datasetID < $1.datasetID }
        self.isMerged = isMerged
    }

    /// The dataset id of each member's version (a stored row names its version).
    var datasetsByVersion: [Int64: String] { Dictionary(uniqueKeysWithValues: members.map { ($0.version, $0.datasetID) }) }

    /// One dataset's live version.
    public static func dataset(_ dataset: StoredDataset) -> CollectionSelector {
        CollectionSelector(members: [Member(dataset)], isMerged: false)
    }

    /// Several datasets merged.
    public static func merged(_ datasets: [StoredDataset]) -> CollectionSelector {
        CollectionSelector(members: datasets.map(Member.init), isMerged: true)
    }

    /// The keys of the records of a page in file order (`limit` from `offset`) and the count of all, as the store's
    /// file-order page reads them, worked out from the members' counts without reading — when every member is
    /// gapless (nil otherwise: the page must be read).
    public func filePageKeys(limit: Int, offset: Int) -> (keys: [Int64], total: Int)? {
        guard members.allSatisfy(\.gapless) else { return nil }
        let keys = CollectionSelector.spans(counts: members.map(\.recordCount), limit: limit, offset: offset).flatMap { span in
            (span.skip..<(span.skip + span.count)).map { Store.featureKey(version: members[span.member].version, seq: $0) }
        }
        return (keys, members.reduce(0) { $0 + $1.recordCount })
    }

    /// Where a page in file order (`limit` records from `offset`) falls among members holding `counts` records: each
    /// member it takes records of, how many of that member's records it skips, and how many it takes.
    static func spans(counts: [Int], limit: Int, offset: Int) -> [(member: Int, skip: Int, count: Int)] {
        var spans: [(member: Int, skip: Int, count: Int)] = []
        var skip = offset
        var taken = 0
        for (member, count) in counts.enumerated() where taken < limit {
            if skip >= count {
                skip -= count
                continue
            }
            let wanted = min(limit - taken, count - skip)
            spans.append((member, skip, wanted))
            taken += wanted
            skip = 0
        }
        return spans
    }
}

/// One page of features.
public struct FeaturePage: Sendable {
    public var features: [StoredFeature]
    /// All features matching the query (not only this page).
    public var numberMatched: Int

    public init(features: [StoredFeature], numberMatched: Int) {
        self.features = features
        self.numberMatched = numberMatched
    }
}

/// Records a reader may not see: those of `versions` whose value in `column` is `value` (a status table's 情報公開可否
/// 否, for the public).
public struct HiddenRecords: Sendable, Equatable {
    public var versions: [Int64]
    public var column: Int
    public var value: String

    public init(versions: [Int64], column: Int, value: String) {
        self.versions = versions
        self.column = column
        self.value = value
    }
}

extension StoredDataset {
    /// The box holding every dataset's extent (nil when none has one): a merged collection's, a tile archive's.
    public static func extent(of datasets: [StoredDataset]) -> Envelope? {
        datasets.compactMap(\.extent).reduce(nil as Envelope?) { union, box in union.map { $0.union(box) } ?? box }
    }
}

/// What the KPI's conformance score needs of a version's validation report, kept with the version when it commits
/// (the report itself is a file that can be larger than the data).
public struct VersionQuality: Sendable, Codable, Equatable {
    /// Records read, and cells (records × output columns).
    public var records: Int
    public var cells: Int
    /// Error findings (each is a cell's, or a row's or the file's).
    public var errors: Int
    /// Findings of codes with a wrong check digit (全国地方公共団体コード, 法人番号).
    public var checkDigitErrors: Int
    /// Points far from the municipality, outside its prefecture, or outside Japan.
    public var pointsOutside: Int
    /// `current`, `legacy` or `nonStandard`.
    public var layout: String

    public init(records: Int, cells: Int, errors: Int, checkDigitErrors: Int, pointsOutside: Int, layout: String) {
        self.records = records
        self.cells = cells
        self.errors = errors
        self.checkDigitErrors = checkDigitErrors
        self.pointsOutside = pointsOutside
        self.layout = layout
    }

    public init(_ report: Report) {
        func count(_ codes: [FindingCode]) -> Int {
            codes.reduce(0) { total, code in
                let counts = report.summary.byCode[code.description]
                return total + (counts.map { $0.errors + $0.warnings } ?? 0)
            }
        }
        self.init(
            records: report.summary.records,
            cells: report.summary.records * report.outputColumns.count,
            errors: report.summary.totals.errors,
            checkDigitErrors: count([.codeCheckDigit, .corporateNumberInvalid]),
            pointsOutside: count([.coordinatesFarFromMunicipality, .coordinatesOutsidePrefecture, .coordinatesOutsideJapan]),
            layout: report.recognition.layout.rawValue
        )
    }
}
