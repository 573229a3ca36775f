/// The store cannot be opened or a dataset cannot be loaded.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case open, load, query, versionGone, invalidRequest, conflict, notFound, preconditionFailed
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        public static let open = Code(.open)
        public static let load = Code(.load)
        public static let query = Code(.query)
        /// The version a reader's snapshot named was replaced and collected meanwhile.
        public static let versionGone = Code(.versionGone)
        /// A write the store refuses as asked (an admin token for a municipality …): nothing was written.
        public static let invalidRequest = Code(.invalidRequest)
        /// A write that does not fit the state it found (publishing what is not a draft, a race lost): nothing written.
        public static let conflict = Code(.conflict)
        /// A write to something that does not exist (a release number): nothing written.
        public static let notFound = Code(.notFound)
        /// A write whose condition (`If-Match`: the record's tag) does not hold: nothing written.
        public static let preconditionFailed = Code(.preconditionFailed)
        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    public var message: String
    public var cause: (any Error)?

    public init(code: Code, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { "\(code): \(message)" }
}
