import CivicData
import Foundation
import Testing

@testable import CivicStore

/// A user's schema folder merged over the bundled schemas (the same id overrides), end to end through the command
/// line, and a dataset's own schema (`"schema"` in dataset.json) through `civic load` and the store.
@Suite struct SchemaOverrideTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bundled AED schema with another title and 地方公共団体名 limited to `allowed`.
    static func aedSchema(title: String, allowed: [String]) throws -> Data {
        let bundled = try Data(contentsOf: repository.appendingPathComponent("schemas/aed.schema.json"))
        var schema = try #require(try JSONSerialization.jsonObject(with: bundled) as? [String: Any])
        schema["title"] = title
        var fields = try #require(schema["fields"] as? [[String: Any]])
        let index = try #require(fields.firstIndex { $0["name"] as? String == "地方公共団体名" })
        fields[index]["constraints"] = ["required": false, "enum": allowed]
        schema["fields"] = fields
        return try JSONSerialization.data(withJSONObject: schema)
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-schemas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func aUserSchemaOverridesTheBundledOneOnTheCommandLine() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tests = CommandTests()

        try Self.aedSchema(title: "AED設置箇所一覧（静岡県版）", allowed: ["静岡県焼津市"]).write(to: folder.appendingPathComponent("aed.schema.json"))
        let passing = try tests.civic(["validate", "--schemas", folder.path, "yaizu_aed.csv"])
        #expect(passing.status == 0)
        #expect(passing.stdout.contains("aed AED設置箇所一覧（静岡県版）"))

        // The stricter rule: every record's 地方公共団体名 is outside the user's list.
        try Self.aedSchema(title: "AED設置箇所一覧（静岡県版）", allowed: ["静岡県静岡市"]).write(to: folder.appendingPathComponent("aed.schema.json"))
        let failing = try tests.civic(["validate", "--schemas", folder.path, "--format", "json", "yaizu_aed.csv"])
        #expect(failing.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: failing.stdoutBytes) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.filter { $0["code"] as? String == "cell.enum" && $0["field"] as? String == "地方公共団体名" }.count == 82)

        // A mistyped folder is an error, not "no overrides".
        let missing = try tests.civic(["validate", "--schemas", folder.appendingPathComponent("nope").path, "yaizu_aed.csv"])
        #expect(missing.status == 2)
    }

    @Test func aDatasetsOwnSchemaIsLoadedAndStoredWithIt() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataset = folder.appendingPathComponent("data/yaizu-aed")
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: CommandTests.fixtures.appendingPathComponent("yaizu_aed.csv"),
            to: dataset.appendingPathComponent("data.csv")
        )
        try Self.aedSchema(title: "AED設置箇所一覧（焼津市版）", allowed: ["静岡県焼津市"]).write(to: dataset.appendingPathComponent("local.schema.json"))
        try Data(#"{"id": "yaizu-aed", "title": "焼津市 AED", "municipalityCode": "222127", "file": "data.csv", "schema": "local.schema.json"}"#.utf8)
            .write(to: dataset.appendingPathComponent("dataset.json"))
        let db = folder.appendingPathComponent("civic.sqlite").path
        let load = try CommandTests().civic(["load", "--data", folder.appendingPathComponent("data").path, "--db", db])
        #expect(load.status == 0, "\(load.stderr)")
        let store = try Store(path: db)
        let stored = try #require(try store.dataset(id: "yaizu-aed"))
        #expect(stored.schema.title == "AED設置箇所一覧（焼津市版）" && stored.standardTitle == "AED設置箇所一覧（焼津市版）")
        #expect(stored.schema.fields.first { $0.name == "地方公共団体名" }?.constraints?.enum == ["静岡県焼津市"])
        #expect(stored.recordCount == 82 && stored.valid)
    }
}
