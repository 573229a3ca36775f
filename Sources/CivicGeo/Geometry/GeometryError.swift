/// A geometry cannot be read, repaired or written.
public struct GeometryError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable { case contextCreation, unreadable, operationFailed }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        public static let contextCreation = Code(.contextCreation)
        /// Not WKT / GeoJSON GEOS can read.
        public static let unreadable = Code(.unreadable)
        public static let operationFailed = Code(.operationFailed)
        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
