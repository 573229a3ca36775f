/// What Civic found in one file: how it was read, which dataset it is, how columns were mapped, every finding and
/// the counts. JSON form documented in `docs/report.md` and `docs/report.schema.json`.
public struct Report: Sendable, Codable, Equatable {
    public static let formatVersion = 1

    public var version = Report.formatVersion
    public var source: SourceDescription
    public var recognition: Recognition
    public var columns: [ColumnMapping]
    /// The output header: the standard fields in order, then extra columns kept from the input.
    public var outputColumns: [String]
    public var findings: [Finding]
    public var summary: ReportSummary
    /// How coordinates were georeferenced, when CivicGeo ran.
    public var coordinates: CoordinateReport?

    public init(
        source: SourceDescription,
        recognition: Recognition,
        columns: [ColumnMapping],
        outputColumns: [String],
        findings: [Finding],
        summary: ReportSummary,
        coordinates: CoordinateReport? = nil
    ) {
        self.source = source
        self.recognition = recognition
        self.columns = columns
        self.outputColumns = outputColumns
        self.findings = findings
        self.summary = summary
        self.coordinates = coordinates
    }

    public var isValid: Bool { summary.isValid }
}

/// How the input was read.
public struct SourceDescription: Sendable, Codable, Equatable {
    /// File name as given ("-" for standard input).
    public var file: String
    /// `csv`, `xlsx`, `xls`, `geojson`, or `json` (an array of records).
    public var format: String
    /// JSON arrays of records: the member whose array was read (`records`, `result.records` …); nil when the
    /// array is the whole document.
    public var member: String?
    /// The worksheet read, for workbooks.
    public var sheet: String?
    public var bytes: Int?
    public var encoding: String
    public var byteOrderMark: Bool
    /// Why that encoding: `byteOrderMark`, `validUTF8`, `notUTF8`, `asciiOnly`, `declared`.
    public var encodingBasis: String
    public var delimiter: String
    /// `CRLF`, `LF`, `CR`, `mixed`.
    public var lineEndings: String
    /// The line of the header row.
    public var headerLine: Int
    /// `#` metadata rows before the data (高松市 style), each as its cells without the leading `#`; for workbooks,
    /// the title rows above the header.
    public var metadata: [[String]]

    public init(
        file: String,
        format: String,
        sheet: String? = nil,
        bytes: Int?,
        encoding: String,
        byteOrderMark: Bool,
        encodingBasis: String,
        delimiter: String,
        lineEndings: String,
        headerLine: Int,
        metadata: [[String]],
        member: String? = nil
    ) {
        self.file = file
        self.format = format
        self.member = member
        self.sheet = sheet
        self.bytes = bytes
        self.encoding = encoding
        self.byteOrderMark = byteOrderMark
        self.encodingBasis = encodingBasis
        self.delimiter = delimiter
        self.lineEndings = lineEndings
        self.headerLine = headerLine
        self.metadata = metadata
    }
}

/// Where one input column went.
public struct ColumnMapping: Sendable, Codable, Equatable {
    public enum How: String, Sendable, Codable {
        /// Same name as the standard field.
        case same
        /// A legacy (2019) name, renamed to the current one.
        case legacyName
        /// Another known spelling (English property names, 名称かな…).
        case alias
        /// Joined with other columns into one field (都道府県名 + 市区町村名 → 地方公共団体名).
        case joined
        /// "lat,lon" in one column, split into 緯度 and 経度.
        case packedCoordinates
        /// Not in the schema: kept as an extra column after the standard ones.
        case extra
    }

    /// 1-based position in the input.
    public var index: Int
    /// The header as written.
    public var column: String
    /// Output column(s) it feeds.
    public var output: [String]
    public var how: How
}
