/// A schema could not be loaded or a dataset id is unknown.
///
/// `file`, `line` and `column` say where, when the schema came from a file (the line and column of a JSON syntax
/// error, when the parser tells).
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case malformed, unreadable, unknownDataset, invalidPattern, directoryNotFound, noSchemaFiles, duplicateDataset
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        /// Not JSON, or not a schema (a missing key, a value of the wrong type).
        public static let malformed = Code(.malformed)
        /// A schema file that cannot be read.
        public static let unreadable = Code(.unreadable)
        public static let unknownDataset = Code(.unknownDataset)
        /// A field's `constraints.pattern` is not a regular expression.
        public static let invalidPattern = Code(.invalidPattern)
        /// A schema folder that does not exist or is not a folder.
        public static let directoryNotFound = Code(.directoryNotFound)
        /// A schema folder without any `*.schema.json` file.
        public static let noSchemaFiles = Code(.noSchemaFiles)
        /// Two files of one schema folder describe the same dataset id.
        public static let duplicateDataset = Code(.duplicateDataset)
        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    public var message: String
    /// The schema file (or folder), when the schema came from one.
    public var file: String?
    /// 1-based line and column in `file`, when known.
    public var line: Int?
    public var column: Int?
    public var cause: (any Error)?

    public init(code: Code, message: String, file: String? = nil, line: Int? = nil, column: Int? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.cause = cause
    }

    /// `file:line:column: code: message`, with the parts that are known.
    public var description: String {
        guard let file else { return "\(code): \(message)" }
        let position = [line, line == nil ? nil : column].compactMap { $0 }.map { ":\($0)" }.joined()
        return "\(file)\(position): \(code): \(message)"
    }
}
