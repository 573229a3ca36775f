import Foundation
import Testing

@testable import CivicData

/// A user's schema folder merged over the bundled schemas.
@Suite struct SchemaCatalogMergingTests {
    static let playground = #"""
        {"name": "playground", "title": "遊び場一覧", "fields": [
          {"name": "名称", "type": "string", "constraints": {"required": true}},
          {"name": "遊具の数", "type": "integer", "constraints": {"minimum": 0}},
          {"name": "砂場の有無", "type": "string", "civic": {"kind": "yesNo"}}
        ], "civic": {"fileNameHints": ["playground"]}}
        """#

    static func aed(title: String) throws -> String {
        let aed = try #require(SchemaCatalog.bundled["aed"])
        var changed = aed
        changed.title = title
        return String(decoding: try changed.encodedJSON(), as: UTF8.self)
    }

    @Test func overridesAndAdds() throws {
        try TemporaryFolder.with(["aed.schema.json": try Self.aed(title: "AED (市の版)"), "playground.schema.json": Self.playground, "notes.txt": "x"]) {
            let catalog = try SchemaCatalog.bundled.merging(directory: $0)
            let bundled = SchemaCatalog.bundled.schemas.map(\.id)
            #expect(catalog.schemas.map(\.id) == bundled + ["playground"])
            #expect(catalog["aed"]?.title == "AED (市の版)")
            #expect(catalog["aed"]?.fields == SchemaCatalog.bundled["aed"]?.fields)
            #expect(catalog["playground"]?.fields.map(\.kind) == [.text, .integer, .yesNo])
            #expect(catalog["public_toilet"] == SchemaCatalog.bundled["public_toilet"])
        }
    }

    @Test func aUserDatasetIsRecognisedAndRead() throws {
        try TemporaryFolder.with(["playground.schema.json": Self.playground]) { folder in
            let catalog = try SchemaCatalog.bundled.merging(directory: folder)
            let recognition = try #require(Recognizer(catalog: catalog).recognize(header: ["名称", "遊具の数", "砂場の有無"]))
            #expect(recognition.dataset == "playground" && recognition.layout == .current)
            let csv = "名称,遊具の数,砂場の有無\n中央公園,５,あり\n北公園,-1,無\n"
            let (records, report) = try DatasetReader.readAll(source: .bytes(Array(csv.utf8), name: "p.csv"), options: ReadOptions(catalog: catalog))
            #expect(report.recognition.dataset == "playground")
            #expect(records.map(\.values) == [["中央公園", "5", "有"], ["北公園", "-1", "無"]])
            #expect(report.findings.filter { $0.severity == .error }.map(\.code) == [.numberBelowMinimum])
        }
    }

    @Test func aMalformedFileIsAnErrorNamingIt() throws {
        let files = ["playground.schema.json": Self.playground, "broken.schema.json": "{\"name\": \"broken\",\n\"title\": }"]
        try TemporaryFolder.with(files) { folder in
            let error = try #require(throws: SchemaError.self) { try SchemaCatalog.bundled.merging(directory: folder) }
            #expect(error.code == .malformed)
            #expect(error.file == folder.appendingPathComponent("broken.schema.json").path)
            #expect(error.description.hasSuffix("broken.schema.json:2:10: malformed: not valid JSON: invalid value"))
        }
    }

    @Test func aFileThatIsNotASchemaIsAnErrorNamingIt() throws {
        try TemporaryFolder.with(["list.schema.json": "[1, 2]"]) { folder in
            let error = try #require(throws: SchemaError.self) { try SchemaCatalog.bundled.merging(directory: folder) }
            #expect(error.code == .malformed && error.file?.hasSuffix("/list.schema.json") == true)
        }
    }

    @Test func anInvalidPatternInAFileNamesTheFileSchemaAndField() throws {
        let json = #"{"name": "p", "title": "p", "fields": [{"name": "番号", "type": "string", "constraints": {"pattern": "[0-9"}}], "civic": {}}"#
        try TemporaryFolder.with(["p.schema.json": json]) { folder in
            let error = try #require(throws: SchemaError.self) { try SchemaCatalog.bundled.merging(directory: folder) }
            #expect(error.code == .invalidPattern)
            #expect(
                error.description.hasSuffix(
                    "p.schema.json: invalidPattern: schema 'p', field '番号': constraints.pattern is not a regular expression: [0-9"
                )
            )
        }
    }

    @Test func twoFilesForOneDatasetAreAnError() throws {
        try TemporaryFolder.with(["a.schema.json": Self.playground, "b.schema.json": Self.playground]) { folder in
            let error = try #require(throws: SchemaError.self) { try SchemaCatalog.bundled.merging(directory: folder) }
            #expect(error.code == .duplicateDataset)
            #expect(error.description.hasSuffix("b.schema.json: duplicateDataset: dataset 'playground' is also described by a.schema.json"))
        }
    }

    @Test func aMissingFolderIsAnError() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("civic-no-such-folder-\(UUID().uuidString)")
        let error = try #require(throws: SchemaError.self) { try SchemaCatalog.bundled.merging(directory: missing) }
        #expect(error.code == .directoryNotFound)
        #expect(error.description == "\(missing.path): directoryNotFound: no such schema folder")
    }

    @Test func aFileInsteadOfAFolderIsAnError() throws {
        try TemporaryFolder.with(["playground.schema.json": Self.playground]) { folder in
            let file = folder.appendingPathComponent("playground.schema.json")
            #expect(throws: SchemaError.self) { try SchemaCatalog.bundled.merging(directory: file) }
        }
    }

    @Test func aFolderWithoutSchemasIsAnError() throws {
        try TemporaryFolder.with(["readme.txt": "schemas go here", "aed.json": "{}"]) { folder in
            let error = try #require(throws: SchemaError.self) { try SchemaCatalog.bundled.merging(directory: folder) }
            #expect(error.code == .noSchemaFiles)
        }
    }

    @Test func addingReplacesOrAppends() throws {
        var aed = try #require(SchemaCatalog.bundled["aed"])
        aed.title = "changed"
        let replaced = SchemaCatalog.bundled.adding(aed)
        #expect(replaced.schemas.map(\.id) == SchemaCatalog.bundled.schemas.map(\.id))
        #expect(replaced["aed"]?.title == "changed")
        let playground = try Schema.decode(json: Data(Self.playground.utf8))
        let added = SchemaCatalog.bundled.adding(playground)
        #expect(added.schemas.last == playground && added.schemas.count == SchemaCatalog.bundled.schemas.count + 1)
    }
}
