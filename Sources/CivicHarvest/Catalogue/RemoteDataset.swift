/// What a source's catalogue says of one of its datasets: enough to name, attribute and fetch its table files.
public struct RemoteDataset: Sendable, Equatable {
    /// Its identity at the source (a CKAN package id, a DCAT dataset IRI or identifier, a list's URL).
    public var id: String
    /// A name fit for a local dataset id (a CKAN package name), when the source has one.
    public var name: String?
    public var title: String
    /// The publishing municipality as the source says it: a 全国地方公共団体コード, or a name (an organisation's title).
    public var municipalityCode: String?
    public var publisher: String?
    /// An organisation's name at the source (CKAN `organization.name`), for the source's `organizations` map.
    public var organization: String?
    public var license: String?
    /// The dataset's page at the source.
    public var page: String?
    /// When the source says it last changed (ISO 8601), as given.
    public var modified: String?
    /// How often the source says it is updated (a frequency name or IRI, as given).
    public var updateFrequency: String?
    public var files: [RemoteFile]

    public init(
        id: String,
        name: String? = nil,
        title: String,
        municipalityCode: String? = nil,
        publisher: String? = nil,
        organization: String? = nil,
        license: String? = nil,
        page: String? = nil,
        modified: String? = nil,
        updateFrequency: String? = nil,
        files: [RemoteFile]
    ) {
        self.id = id
        self.name = name
        self.title = title
        self.municipalityCode = municipalityCode
        self.publisher = publisher
        self.organization = organization
        self.license = license
        self.page = page
        self.modified = modified
        self.updateFrequency = updateFrequency
        self.files = files
    }
}

/// One downloadable file of a remote dataset (a CKAN resource, a DCAT distribution).
public struct RemoteFile: Sendable, Equatable {
    /// Its identity at the source; the URL when the source gives none.
    public var id: String
    public var url: String
    public var name: String?
    /// The format as the source writes it (`CSV`, `text/csv`, `XLSX`, an EU file-type IRI …).
    public var format: String?

    public init(id: String, url: String, name: String? = nil, format: String? = nil) {
        self.id = id
        self.url = url
        self.name = name
        self.format = format
    }

    /// The kind of table the file is, from its format and else its URL's extension; nil for a file the pipeline does
    /// not read (PDF, ZIP, an API endpoint …).
    public var table: TableKind? {
        let format = (format ?? "").lowercased()
        if format.contains("geo+json") { return .geojson }
        let words = format.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        for kind in TableKind.allCases where words.contains(where: kind.formatWords.contains) { return kind }
        let path = url.split(separator: "?").first.map(String.init) ?? url
        let ext = path.split(separator: "/").last?.split(separator: ".").dropFirst().last.map { $0.lowercased() } ?? ""
        return TableKind.allCases.first { $0.extensions.contains(ext) }
    }
}

/// The tables the pipeline reads, in the order a harvester prefers them when a dataset offers the same table in
/// several formats (CSV is what the standard asks for; a workbook usually repeats it).
public enum TableKind: String, Sendable, CaseIterable, Codable {
    case csv, tsv, xlsx, xls, geojson

    var formatWords: Set<String> {
        switch self {
        case .csv: ["csv"]
        case .tsv: ["tsv", "tab"]
        case .xlsx: ["xlsx", "spreadsheetml", "ooxml"]
        case .xls: ["xls", "excel"]
        case .geojson: ["geojson"]
        }
    }

    var extensions: Set<String> {
        switch self {
        case .csv: ["csv", "txt"]
        case .tsv: ["tsv"]
        case .xlsx: ["xlsx"]
        case .xls: ["xls"]
        case .geojson: ["geojson"]
        }
    }
}
