import Foundation

@testable import CivicData

/// A user schema written in a test, and files read with it.
enum UserSchema {
    /// A schema `facility` (施設一覧) with the given fields (JSON objects) and top-level `civic` keys.
    static func make(id: String = "facility", fields: [String], civic: String = "") throws -> Schema {
        let json = #"{"name": "\#(id)", "title": "施設一覧", "fields": [\#(fields.joined(separator: ",\n"))], "civic": {\#(civic)}}"#
        return try Schema.decode(json: Data(json.utf8))
    }

    /// Reads CSV text as `schema`'s dataset, with the schema added to the bundled ones.
    static func read(_ csv: String, as schema: Schema) throws -> (records: [NormalizedRecord], report: Report) {
        try DatasetReader.readAll(
            source: .bytes(Array(csv.utf8), name: "test.csv"),
            options: ReadOptions(dataset: schema.id, catalog: SchemaCatalog.bundled.adding(schema))
        )
    }

    /// The findings of `code` as `line column field`.
    static func findings(_ code: FindingCode, in report: Report) -> [String] {
        report.findings.filter { $0.code == code }.map { "\($0.line.map(String.init) ?? "-") \($0.column ?? "-") \($0.field ?? "-")" }
    }
}
