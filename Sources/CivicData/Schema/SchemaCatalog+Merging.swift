public import Foundation

extension SchemaCatalog {
    /// This catalog with a user's schema folder merged over it: every `*.schema.json` in `directory`; a schema whose
    /// id is already here replaces that one (in its place), a new id adds a dataset (after the others, in file-name
    /// order).
    ///
    /// ```swift
    /// let catalog = try SchemaCatalog.bundled.merging(directory: URL(fileURLWithPath: "my-schemas"))
    /// ```
    ///
    /// - Throws: `SchemaError`: `directoryNotFound` and `noSchemaFiles` (a mistyped path must not mean "no
    ///   overrides"), `unreadable`, `malformed` and `invalidPattern` naming the file, `duplicateDataset` when two
    ///   files of the folder describe the same id.
    public func merging(directory: URL) throws -> SchemaCatalog {
        merging(try SchemaCatalog.schemas(inDirectory: directory))
    }

    /// This catalog with `schemas` merged over it: the same id replaces a schema in its place, a new id is added
    /// at the end (in the order given; the last of several with one id wins).
    public func merging(_ schemas: [Schema]) -> SchemaCatalog {
        var merged = self.schemas
        var positions: [String: Int] = [:]
        for (index, schema) in merged.enumerated() { positions[schema.id] = index }
        for schema in schemas {
            if let index = positions[schema.id] {
                merged[index] = schema
            } else {
                positions[schema.id] = merged.count
                merged.append(schema)
            }
        }
        return SchemaCatalog(schemas: merged)
    }

    /// This catalog with `schema` added, or replacing the schema of the same id.
    public func adding(_ schema: Schema) -> SchemaCatalog { merging([schema]) }

    /// The schemas of every `*.schema.json` in `directory`, in file-name order.
    ///
    /// - Throws: `SchemaError`, as `merging(directory:)`.
    public static func schemas(inDirectory directory: URL) throws -> [Schema] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SchemaError(code: .directoryNotFound, message: "no such schema folder", file: directory.path)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".schema.json") && !$0.hasPrefix(".") }
                .sorted()
        } catch {
            throw SchemaError(code: .unreadable, message: "the schema folder cannot be listed", file: directory.path, cause: error)
        }
        guard !names.isEmpty else {
            throw SchemaError(code: .noSchemaFiles, message: "the schema folder has no *.schema.json file", file: directory.path)
        }
        var files: [String: String] = [:]
        return try names.map { name in
            let url = directory.appendingPathComponent(name)
            let json: Data
            do {
                json = try Data(contentsOf: url)
            } catch {
                throw SchemaError(code: .unreadable, message: "the schema file cannot be read", file: url.path, cause: error)
            }
            let schema = try Schema.decode(json: json, file: url.path)
            if let earlier = files[schema.id] {
                throw SchemaError(code: .duplicateDataset, message: "dataset '\(schema.id)' is also described by \(earlier)", file: url.path)
            }
            files[schema.id] = name
            return schema
        }
    }
}
