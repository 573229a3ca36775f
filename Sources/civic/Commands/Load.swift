import ArgumentParser
import CivicData
import CivicServer
import CivicStore
import Foundation
import Logging

struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "取込 Load a data folder into a store file, as `civic serve` does in the background, and exit.",
        discussion: """
            Every folder of --data holding a dataset.json is read through the same pipeline as `civic convert` into the
            store: new and changed datasets become new versions (each made live when its load completes), unchanged
            ones are left, and a dataset is removed only when the data folder is readable and that dataset's own folder
            is gone. A dataset that fails to load keeps its last good version. A missing, unreadable or empty data
            folder removes nothing. `civic serve --db` then starts at once on the loaded store.

            例: civic load --data /srv/opendata --db /var/lib/civic/civic.sqlite

            Exit status 終了コード: 0 every dataset loaded or unchanged, 1 some failed (listed), 2 the data folder or the
            store could not be used.
            """
    )

    @Option(name: .long, help: ArgumentHelp("データの場所 Folder of datasets (each with a dataset.json).", valueName: "dir"))
    var data = "datasets"

    @Option(name: .long, help: ArgumentHelp("データベース SQLite store file.", valueName: "file"))
    var db: String

    @OptionGroup var schemaOptions: SchemaOptions

    func run() throws {
        do {
            let store = try Store(path: db)
            let catalog = try schemaOptions.catalog()
            var logger = Logger(label: "civic")
            logger.logLevel = .critical
            let load = loadDataFolder(URL(fileURLWithPath: data), into: store, catalog: catalog, logger: logger)
            if let folderError = load.folderError {
                printError("error: \(folderError)")
                throw Status.unreadable
            }
            print("loaded \(load.loaded.count)\(load.loaded.isEmpty ? "" : ": " + load.loaded.joined(separator: ", "))")
            if !load.removed.isEmpty { print("removed \(load.removed.count): \(load.removed.joined(separator: ", "))") }
            for (id, reason) in load.failed.sorted(by: { $0.key < $1.key }) { printError("failed \(id): \(reason)") }
            if !load.failed.isEmpty { throw Status.invalid }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError(describeFailure(error))
            throw Status.unreadable
        }
    }
}
