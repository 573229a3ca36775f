/// What the records of a recognised file look like: the dataset and its schema, the output columns and where each
/// comes from. Handed to every sink before the first record.
public struct RecordLayout: Sendable {
    /// The input's display name ("-" for standard input).
    public var file: String
    public var recognition: Recognition
    public var schema: Schema
    /// The output header: the schema's current fields in order, then the extra columns (and any a stage adds).
    public var columns: [String]
    /// Where each input column went.
    public var mappings: [ColumnMapping]
    /// The input column that feeds each output column (the first, for joined ones); nil for standard fields the
    /// file lacks, which are always empty.
    public var inputColumns: [String?]
    /// What each output column holds, by the schema (nil for extra columns), which decides how writers type it.
    public var kinds: [FieldKind?]
    /// True when records carry geometries (GeoJSON input): the GeoJSON writer writes them, the CSV and workbook
    /// writers add a `RecordGeometry.wktColumn`, the store keeps them.
    public var hasGeometry = false
    /// Output columns whose every value was a JSON number in the input (GeoJSON properties of a generic dataset):
    /// written as numbers like the schema's numeric fields.
    public var numberColumns: Set<Int> = []
    /// True when the input was JSON (GeoJSON, an array of records): a generic dataset keeps the JSON types.
    public var readsJSON = false

    /// True when a column's values are numbers: by the schema's kind, or as the input typed them. A generic dataset
    /// read from JSON keeps the JSON types (a string `"27"` stays a string whatever its column's values look like).
    public func isNumeric(_ column: Int) -> Bool {
        if (hasGeometry || readsJSON) && recognition.dataset == GenericSchema.id { return numberColumns.contains(column) }
        return kinds[column]?.isNumeric == true || numberColumns.contains(column)
    }

    public init(file: String, recognition: Recognition, schema: Schema, columns: [String], mappings: [ColumnMapping], inputColumns: [String?]) {
        self.file = file
        self.recognition = recognition
        self.schema = schema
        self.columns = columns
        self.mappings = mappings
        self.inputColumns = inputColumns
        kinds = schema.kinds(of: columns)
    }

    /// The output columns the file actually has (a standard field fed by an input column, or an extra column), in
    /// output order: what GeoJSON writes as properties.
    public var suppliedColumns: [Int] { inputColumns.indices.filter { inputColumns[$0] != nil } }

    /// Output index of a column, when there is one.
    public func index(of column: String) -> Int? { columns.firstIndex(of: column) }

    /// Adds an output column made by a stage (e.g. X座標 in another CRS); it is supplied by that stage.
    public mutating func appendColumn(_ name: String, kind: FieldKind?, from stage: String) {
        columns.append(name)
        inputColumns.append(stage)
        kinds.append(kind)
    }
}

/// Receives the records of a file as the pipeline produces them, in batches, after `begin` with their layout:
/// the CSV, GeoJSON and workbook writers, the store. A sink may add findings (a value its output cannot hold).
public protocol RecordSink: AnyObject {
    func begin(_ layout: RecordLayout) throws
    func write(_ records: [NormalizedRecord], report: ReportBuilder) throws
    /// The file is done: complete the output (and note, e.g., how many features it made).
    func finish(report: ReportBuilder) throws
}
