import Foundation
import Testing

@testable import CivicData

/// The compiled-in schemas (`BundledSchemas.swift`, generated) are the repository's `schemas/*.schema.json`.
@Suite struct BundledSchemaTests {
    /// The repository's `schemas/` folder.
    static let folder = Repository.url("schemas")

    static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".schema.json") }.sorted()
    }

    @Test func sameFilesBothWays() throws {
        let files = try Self.files()
        #expect(!files.isEmpty)
        #expect(Set(files) == Set(SchemaCatalog.bundled.schemas.map { "\($0.id).schema.json" }))
        #expect(SchemaCatalog.bundled.schemas.count == files.count)
        #expect(Set(SchemaCatalog.bundledSchemaJSON.map(\.id)) == Set(SchemaCatalog.bundled.schemas.map(\.id)))
    }

    @Test func compiledSchemasEqualTheFiles() throws {
        for file in try Self.files() {
            let json = try Data(contentsOf: Self.folder.appendingPathComponent(file))
            let schema = try Schema.decode(json: json, file: file)
            #expect("\(schema.id).schema.json" == file)
            #expect(SchemaCatalog.bundled[schema.id] == schema, "\(file)")
            // The compiled text is the file's, without its final newline.
            let text = try #require(String(data: json, encoding: .utf8))
            #expect(SchemaCatalog.bundledSchemaJSON.first { $0.id == schema.id }?.json == String(text.dropLast()), "\(file)")
        }
    }

    @Test func theFolderLoadsAsTheBundledCatalog() throws {
        #expect(try SchemaCatalog.load(directory: Self.folder).schemas == SchemaCatalog.bundled.schemas)
    }
}
