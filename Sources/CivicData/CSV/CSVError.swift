/// The CSV cannot be read any further.
public struct CSVError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable { case recordTooLarge, missingHeader }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        /// One record grew past the limit (usually a quote that never closes).
        public static let recordTooLarge = Code(.recordTooLarge)
        /// The file has no header row.
        public static let missingHeader = Code(.missingHeader)
        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    public var message: String
    public var file: String
    public var line: Int

    public init(code: Code, message: String, file: String, line: Int) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line): \(code): \(message)" }
}
