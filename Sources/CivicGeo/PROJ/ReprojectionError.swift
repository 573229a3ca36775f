/// A coordinate reference system or transformation cannot be set up, or a point cannot be transformed.
public struct ReprojectionError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case contextCreation, unknownCRS, noOperation, missingGrid, transformFailed
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        public static let contextCreation = Code(.contextCreation)
        /// The CRS text is not a known code or PROJ definition.
        public static let unknownCRS = Code(.unknownCRS)
        /// PROJ has no operation between the two CRSs.
        public static let noOperation = Code(.noOperation)
        /// A datum-shift grid Civic needs is not in the grid folders.
        public static let missingGrid = Code(.missingGrid)
        public static let transformFailed = Code(.transformFailed)
        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    public var message: String
    /// PROJ's error number, when PROJ gave one.
    public var projErrorNumber: Int32?

    public init(code: Code, message: String, projErrorNumber: Int32? = nil) {
        self.code = code
        self.message = message
        self.projErrorNumber = projErrorNumber
    }

    public var description: String { "\(code): \(message)" }
}
