/// A file cannot be read as a dataset at all.
public struct DatasetError: Error, Sendable, CustomStringConvertible, RemedySuggesting {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable { case empty, unrecognized, notATable }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        /// No header row.
        public static let empty = Code(.empty)
        /// The header matches no standard dataset well enough.
        public static let unrecognized = Code(.unrecognized)
        /// The bytes are not a table at all (a PDF, an image, an archive that is not a workbook …).
        public static let notATable = Code(.notATable)
        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    public var message: String
    public var file: String
    public var line: Int
    /// The setting that would let the file be read (the dataset to read it as, the sheet).
    public var remedy: Remedy?

    public init(code: Code, message: String, file: String, line: Int, remedy: Remedy? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.remedy = remedy
    }

    public var description: String { "\(file):\(line): \(code): \(message)" }
}
