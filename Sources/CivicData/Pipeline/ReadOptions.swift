/// How to read a file.
public struct ReadOptions: Sendable {
    /// The standard dataset id (`aed`, `evacuation_space`…); nil to recognise it from the header.
    public var dataset: String?
    /// The text encoding; nil to detect it.
    public var encoding: TextEncoding?
    /// The delimiter; nil to detect it.
    public var delimiter: CSVDialect.Delimiter?
    public var catalog: SchemaCatalog

    public init(
        dataset: String? = nil,
        encoding: TextEncoding? = nil,
        delimiter: CSVDialect.Delimiter? = nil,
        catalog: SchemaCatalog = .bundled
    ) {
        self.dataset = dataset
        self.encoding = encoding
        self.delimiter = delimiter
        self.catalog = catalog
    }
}
