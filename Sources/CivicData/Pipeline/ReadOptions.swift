/// How to read a file.
public struct ReadOptions: Sendable {
    /// The standard dataset id (`aed`, `evacuation_space`…); nil to recognise it from the header.
    public var dataset: String?
    /// The text encoding; nil to detect it.
    public var encoding: TextEncoding?
    /// The delimiter; nil to detect it.
    public var delimiter: CSVDialect.Delimiter?
    public var catalog: SchemaCatalog
    /// CSV: read, decode, parse and validate on a thread of its own, ahead of the records being georeferenced and
    /// written (`Ingest`). The records and the report are the same either way; false reads on the caller's thread
    /// only (`--threads 1`).
    public var readAhead: Bool

    public init(
        dataset: String? = nil,
        encoding: TextEncoding? = nil,
        delimiter: CSVDialect.Delimiter? = nil,
        catalog: SchemaCatalog = .bundled,
        readAhead: Bool = true
    ) {
        self.dataset = dataset
        self.encoding = encoding
        self.delimiter = delimiter
        self.catalog = catalog
        self.readAhead = readAhead
    }
}
