public import CivicData

/// What the store keeps about a version besides its records: the dataset's descriptor and where the data came from.
public struct VersionMetadata: Sendable, Equatable {
    public var datasetID: String
    public var title: String
    public var municipalityCode: String?
    public var municipality: String?
    public var license: String?
    public var licenseNote: String?
    public var attribution: String?
    public var source: String?
    /// Last update of the data, YYYY-MM-DD.
    public var updated: String
    /// The data file, and what decides a reload (size, modification time, descriptor).
    public var file: String
    public var fingerprint: String
    /// The dataset's folder relative to the data folder: the dataset is removed only when that folder is gone.
    /// `apiOrigin` for a dataset made through the API, which no folder feeds (the data folder's sync leaves it).
    public var origin: String
    /// How often the publisher updates it (`UpdateFrequency`'s name), for the freshness KPI; nil when not declared.
    public var updateFrequency: String?

    /// The origin of datasets made through the API (`package_create`): not a folder name (a name has no slash).
    public static let apiOrigin = "/api"

    public init(
        datasetID: String,
        title: String,
        municipalityCode: String? = nil,
        municipality: String? = nil,
        license: String? = nil,
        licenseNote: String? = nil,
        attribution: String? = nil,
        source: String? = nil,
        updated: String,
        file: String,
        fingerprint: String,
        origin: String,
        updateFrequency: String? = nil
    ) {
        self.datasetID = datasetID
        self.title = title
        self.municipalityCode = municipalityCode
        self.municipality = municipality
        self.license = license
        self.licenseNote = licenseNote
        self.attribution = attribution
        self.source = source
        self.updated = updated
        self.file = file
        self.fingerprint = fingerprint
        self.origin = origin
        self.updateFrequency = updateFrequency
    }

    /// A dataset.json's metadata for a version of its file.
    public init(descriptor: DatasetDescriptor, updated: String, file: String, fingerprint: String, origin: String) {
        self.init(
            datasetID: descriptor.id,
            title: descriptor.title,
            municipalityCode: descriptor.municipalityCode,
            municipality: descriptor.municipality,
            license: descriptor.license,
            licenseNote: descriptor.licenseNote,
            attribution: descriptor.attribution,
            source: descriptor.source,
            updated: descriptor.updated ?? updated,
            file: file,
            fingerprint: fingerprint,
            origin: origin,
            updateFrequency: descriptor.updateFrequency.flatMap(UpdateFrequency.init(parsing:))?.rawValue
        )
    }
}
