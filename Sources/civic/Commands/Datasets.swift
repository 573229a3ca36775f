import ArgumentParser
import CivicData
import Foundation

struct Datasets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "標準データセット一覧 List the standard datasets Civic knows (ids for --dataset)."
    )

    func run() throws {
        for schema in SchemaCatalog.bundled.schemas {
            let legacy = schema.hasLegacyLayout ? ", legacy \(schema.legacyFields.count)" : ""
            print(
                "\(schema.civic.number ?? "--")  \(schema.id.padding(toLength: 20, withPad: " ", startingAt: 0))  \(schema.title)  (current \(schema.fields.count) columns\(legacy))"
            )
        }
    }
}
