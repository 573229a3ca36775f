public import Foundation

/// The schemas Civic knows, looked up by dataset id.
public struct SchemaCatalog: Sendable {
    /// Schemas in dataset-number order (the bundled ones; datasets a merged folder adds come after them).
    public let schemas: [Schema]
    private let byID: [String: Schema]
    /// Names this catalog value (and its copies) for what is derived from it once (`Recognizer.shared`).
    let identity = Identity()

    final class Identity: Sendable {}

    public init(schemas: [Schema]) {
        self.schemas = schemas
        var byID: [String: Schema] = [:]
        for schema in schemas { byID[schema.id] = schema }
        self.byID = byID
    }

    /// The schemas shipped with Civic (`schemas/*.schema.json`, compiled in).
    public static let bundled: SchemaCatalog = {
        do {
            return SchemaCatalog(schemas: try bundledSchemaJSON.map { try Schema.decode(json: Data($0.json.utf8), file: "\($0.id).schema.json") })
        } catch {
            preconditionFailure("a bundled schema does not decode: \(error)")
        }
    }()

    /// The schemas of every `*.schema.json` in a directory alone, in dataset-number order (for schemas edited
    /// outside the binary). To extend the bundled set, use `merging(directory:)`.
    ///
    /// - Throws: `SchemaError`, as `merging(directory:)`.
    public static func load(directory: URL) throws -> SchemaCatalog {
        let schemas = try SchemaCatalog.schemas(inDirectory: directory)
        return SchemaCatalog(schemas: schemas.sorted(by: SchemaCatalog.inNationalOrder))
    }

    /// The order of the bundled schemas (tools/make_schemas.py): by national number, a schema without one
    /// (指定避難所一覧) after those with one, ties by id.
    static func inNationalOrder(_ a: Schema, _ b: Schema) -> Bool {
        switch (a.civic.number, b.civic.number) {
        case let (x?, y?): x != y ? x < y : a.id < b.id
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): a.id < b.id
        }
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
