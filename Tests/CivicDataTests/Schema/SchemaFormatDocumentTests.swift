import Foundation
import Testing

@testable import CivicData

/// `docs/schema-format.md`'s example of a user schema works as the document says.
@Suite struct SchemaFormatDocumentTests {
    @Test func theFormatDocumentsExampleWorks() throws {
        let document = try String(contentsOf: Repository.url("docs/schema-format.md"), encoding: .utf8)
        let section = try #require(document.components(separatedBy: "## User schemas").last)
        let block = try #require(section.components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "```").first)
        try TemporaryFolder.with(["playground.schema.json": block]) { folder in
            let catalog = try SchemaCatalog.bundled.merging(directory: folder)
            let csv = "名称,管理番号,遊具の数,砂場の有無\n中央公園,AB0001,5,あり\n北公園,AB0001,51,不明\n,ab0002,-1,無\n"
            let (_, report) = try DatasetReader.readAll(
                source: .bytes(Array(csv.utf8), name: "playground.csv"),
                options: ReadOptions(catalog: catalog)
            )
            #expect(report.recognition.dataset == "playground")
            #expect(
                report.findings.filter { $0.severity == .error }.map { "\($0.line ?? 0) \($0.code)" } == [
                    "3 number.aboveMaximum", "3 cell.enum", "3 cell.unique", "4 cell.pattern", "4 number.belowMinimum", "4 cell.required",
                ]
            )
        }
    }
}
