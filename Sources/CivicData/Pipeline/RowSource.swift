/// Where a `DatasetReader`'s rows come from: a CSV file (`CSVReader`), or a worksheet (CivicExcel's
/// `WorksheetRows`). A source hands out rows in order, each with the line (or sheet row) it starts on, and may
/// find things about the file itself while reading (merged cells, hidden rows…), which the reader reports.
public protocol RowSource: AnyObject {
    /// The next row; nil at the end.
    func nextRow() throws -> CSVRow?
    /// Findings about the source that arose since the last call (reported in order with the rows').
    func takeFindings() -> [Finding]
    /// How the input was read (complete once every row has been read).
    func describe(headerLine: Int, metadata: [[String]]) -> SourceDescription
    /// Input bytes consumed so far and the total when known, for progress lines.
    var progress: (read: Int, total: Int?) { get }
    /// True when rows come from addressable cells, so that findings can name them (`cellReference`).
    var hasCellReferences: Bool { get }
    /// The reference of the cell on `line` in input column `column` (0-based), e.g. `Sheet1!B12`; the row
    /// (`Sheet1!12:12`) when the column is nil.
    func cellReference(line: Int, column: Int?) -> String?
    /// The worksheet's name, for workbooks: like the file name, a signal of which dataset the table is.
    var sheetName: String? { get }
    /// True when the rows carry geometries (GeoJSON): sinks then keep them (CSV and workbooks as a WKT column).
    var hasGeometry: Bool { get }
    /// The CRS the source itself names for its geometries (GeoJSON's legacy `"crs"` member), as written.
    var geometryCRSName: String? { get }
    /// The columns whose every non-empty value is a number as the source typed it (GeoJSON), by header name.
    var numberColumns: Set<String> { get }
    /// True when the rows are JSON objects (GeoJSON features, a JSON array of records): the first row is the keys,
    /// every later row is a record even when blank, and values keep their JSON types in a generic dataset.
    var readsJSON: Bool { get }
}

extension RowSource {
    public var sheetName: String? { nil }
    public var hasGeometry: Bool { false }
    public var geometryCRSName: String? { nil }
    public var numberColumns: Set<String> { [] }
    public var readsJSON: Bool { false }
}

extension CSVReader: RowSource {
    public func takeFindings() -> [Finding] { [] }

    public func describe(headerLine: Int, metadata: [[String]]) -> SourceDescription {
        SourceDescription(
            file: source.displayName,
            format: "csv",
            bytes: source.inputByteCount ?? source.inputBytesRead,
            encoding: source.detection.encoding.name,
            byteOrderMark: source.detection.hasByteOrderMark,
            encodingBasis: source.detection.basis.rawValue,
            delimiter: dialect.delimiter.name,
            lineEndings: dialect.lineEndings.summary,
            headerLine: headerLine,
            metadata: metadata
        )
    }

    public var progress: (read: Int, total: Int?) { (source.inputBytesRead, source.inputByteCount) }
    public var hasCellReferences: Bool { false }
    public func cellReference(line: Int, column: Int?) -> String? { nil }
}
