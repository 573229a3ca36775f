public import Foundation

// Placeholder until the schema work lands (replaced by the full version with its errors and tests).
extension SchemaCatalog {
    public func merging(directory: URL) throws -> SchemaCatalog {
        merging(try SchemaCatalog.load(directory: directory).schemas)
    }

    public func merging(_ schemas: [Schema]) -> SchemaCatalog {
        var result = self.schemas
        for schema in schemas {
            if let index = result.firstIndex(where: { $0.id == schema.id }) { result[index] = schema } else { result.append(schema) }
        }
        return SchemaCatalog(schemas: result)
    }

    public func adding(_ schema: Schema) -> SchemaCatalog { merging([schema]) }
}
