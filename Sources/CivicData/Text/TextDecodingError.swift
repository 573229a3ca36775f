/// An input that cannot be turned into UTF-8: bytes that are not valid in the encoding, an input cut short in the
/// middle of a character, a file that cannot be read, or an encoding this system cannot convert.
///
/// The reader never substitutes U+FFFD: it stops with this error, which says where (file, line, byte offset) and
/// what to try.
public struct TextDecodingError: Error, Sendable, CustomStringConvertible, RemedySuggesting {
    /// What went wrong. Extensible: new codes can be added without breaking `switch`es, which must use `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case invalidBytes
            case truncatedSequence
            case unreadable
            case unsupportedEncoding
        }

        private let wrapped: Wrapped

        private init(_ wrapped: Wrapped) {
            self.wrapped = wrapped
        }

        /// Bytes that are not valid in the file's encoding.
        public static let invalidBytes = Code(.invalidBytes)
        /// The input ends in the middle of a multi-byte character.
        public static let truncatedSequence = Code(.truncatedSequence)
        /// The file cannot be opened or read.
        public static let unreadable = Code(.unreadable)
        /// This system's iconv cannot convert the encoding.
        public static let unsupportedEncoding = Code(.unsupportedEncoding)

        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    /// What is wrong and how to fix it. Holds byte values, never decoded cell text.
    public var message: String
    /// The input's display name ("-" for standard input).
    public var file: String
    /// The 0-based offset, in the input file (byte order mark included), of the first byte in error.
    public var byteOffset: Int
    /// The 1-based line of that byte: the number of line feeds before it, plus one.
    public var line: Int
    /// The encoding to try, when one is likely.
    public var remedy: Remedy?

    public init(code: Code, message: String, file: String, byteOffset: Int, line: Int, remedy: Remedy? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.byteOffset = byteOffset
        self.line = line
        self.remedy = remedy
    }

    /// `<file>:<line>: byte <offset>: <code>: <message>`.
    public var description: String { "\(file):\(line): byte \(byteOffset): \(code): \(message)" }
}
