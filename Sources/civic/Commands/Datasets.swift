import ArgumentParser
import CivicData
import Foundation

struct Datasets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "標準データセット一覧 List the standard datasets Civic knows (ids for --dataset)."
    )

    @OptionGroup var schemaOptions: SchemaOptions

    func run() throws {
        let catalog: SchemaCatalog
        do {
            catalog = try schemaOptions.catalog()
        } catch {
            printError(describeFailure(error))
            throw Status.unreadable
        }
        for schema in catalog.schemas {
            let legacy = schema.hasLegacyLayout ? ", legacy \(schema.legacyFields.count)" : ""
            print(
                "\(schema.civic.number ?? "--")  \(schema.id.padding(toLength: 20, withPad: " ", startingAt: 0))  \(schema.title)  (current \(schema.fields.count) columns\(legacy))"
            )
        }
    }
}
