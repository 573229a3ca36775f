public import CivicGeo
import Foundation

/// A dataset as the store holds it: its descriptor, columns, extent and report.
public struct StoredDataset: Sendable, Codable, Equatable {
    public var id: String
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
}

/// What a query reads from: one dataset, or every dataset of a standard (optionally of one municipality).
public enum CollectionSelector: Sendable, Hashable {
    case dataset(String)
    case standard(String, municipality: String?)
}

/// One page of features.
public struct FeaturePage: Sendable {
    public var features: [StoredFeature]
    /// All features matching the query (not only this page).
    public var numberMatched: Int
}
