public import Foundation

/// The schemas Civic knows, looked up by dataset id.
public struct SchemaCatalog: Sendable {
    /// Schemas in dataset-number order.
    public let schemas: [Schema]
    private let byID: [String: Schema]

    public init(schemas: [Schema]) {
        self.schemas = schemas
        var byID: [String: Schema] = [:]
        for schema in schemas { byID[schema.id] = schema }
        self.byID = byID
    }

    /// The schemas shipped with Civic (`schemas/*.schema.json`, compiled in).
    public static let bundled: SchemaCatalog = {
        do {
            return SchemaCatalog(schemas: try bundledSchemaJSON.map { try Schema.decode(json: Data($0.json.utf8)) })
        } catch {
            preconditionFailure("a bundled schema does not decode: \(error)")
        }
    }()

    /// Loads every `*.schema.json` in a directory (for schemas edited outside the binary).
    public static func load(directory: URL) throws -> SchemaCatalog {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".schema.json") }
            .sorted()
        let schemas = try names.map { try Schema.decode(json: Data(contentsOf: directory.appendingPathComponent($0))) }
        return SchemaCatalog(schemas: schemas.sorted { ($0.civic.number ?? "") < ($1.civic.number ?? "") })
    }

    public subscript(id: String) -> Schema? { byID[id] }

    /// The schema for an id, or an error listing the known ids.
    public func schema(id: String) throws -> Schema {
        guard let schema = byID[id] else {
            throw SchemaError(
                code: .unknownDataset,
                message: "no standard dataset '\(id)'; known: \(schemas.map(\.id).joined(separator: ", "))"
            )
        }
        return schema
    }
}
