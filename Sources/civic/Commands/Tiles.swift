import ArgumentParser
import CivicData
import CivicServer
import CivicStore
import Foundation
import Logging

struct Tiles: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "タイル Write a file's or a stored dataset's vector tiles to a PMTiles archive, for static hosting.",
        discussion: """
            INPUT is a file (CSV, TSV, .xlsx, .xls, GeoJSON: read through the same pipeline as `civic convert`) or, with
            --db, the ID of a dataset or merged collection in that store. Every tile of the zoom range that holds a
            record is written (the tiles `civic serve` makes: points, lines and polygons clipped to each tile, dense
            points grouped with their counts below zoom 15), gzip-compressed, identical tiles stored once, in a PMTiles
            v3 archive that the pmtiles tools and MapLibre's pmtiles protocol read. The archive is written next to
            OUTPUT and moved over it when complete.

            例: civic tiles data.csv -o aed.pmtiles --max-zoom 14
                civic tiles yaizu-aed --db civic.sqlite -o yaizu-aed.pmtiles

            Exit status 終了コード: 0 written, 2 the input could not be read or the archive written.
            """
    )

    @Argument(help: ArgumentHelp("入力 A file, or (with --db) a dataset's ID.", valueName: "input"))
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("出力 The PMTiles archive to write.", valueName: "file"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("最小ズーム The lowest zoom (0–22).", valueName: "z"))
    var minZoom = 0

    @Option(name: .long, help: ArgumentHelp("最大ズーム The highest zoom (0–22).", valueName: "z"))
    var maxZoom = 14

    @Option(name: .long, help: ArgumentHelp("データベース Read INPUT as a dataset of this store file.", valueName: "file"))
    var db: String?

    func validate() throws {
        guard (0...TileMaker.maximumZoom).contains(minZoom), (0...TileMaker.maximumZoom).contains(maxZoom), minZoom <= maxZoom else {
            throw ValidationError("--min-zoom and --max-zoom must be 0–\(TileMaker.maximumZoom), the lowest first")
        }
    }

    func run() throws {
        var scratch: URL?
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        do {
            let store: Store
            let id: String
            if let db {
                store = try Store(path: db)
                id = input
            } else {
                // The file through the one ingest pipeline, into a store of its own for the run.
                let file = URL(fileURLWithPath: input)
                guard FileManager.default.isReadableFile(atPath: file.path) else {
                    printError("error: \(input): no such file, or it cannot be read")
                    throw Status.unreadable
                }
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-tiles-\(UUID().uuidString)")
                scratch = folder
                id = Tiles.identifier(file.deletingPathExtension().lastPathComponent)
                let dataset = folder.appendingPathComponent("data").appendingPathComponent(id)
                try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(
                    at: dataset.appendingPathComponent(file.lastPathComponent),
                    withDestinationURL: file.absoluteURL
                )
                let description: [String: Any] = ["id": id, "title": file.lastPathComponent, "file": file.lastPathComponent]
                try JSONSerialization.data(withJSONObject: description).write(to: dataset.appendingPathComponent("dataset.json"))
                store = try Store(path: folder.appendingPathComponent("tiles.sqlite").path)
                var logger = Logger(label: "civic")
                logger.logLevel = .critical
                let load = loadDataFolder(folder.appendingPathComponent("data"), into: store, logger: logger)
                if let reason = load.failed[id] ?? load.folderError {
                    printError("error: \(input): \(reason)")
                    throw Status.unreadable
                }
            }
            let datasets = try store.datasets()
            let members: [StoredDataset]
            if let dataset = datasets.first(where: { $0.id == id }) {
                members = [dataset]
            } else {
                members = datasets.filter { $0.standard == id }
            }
            guard !members.isEmpty else {
                printError("error: no dataset or standard dataset '\(id)' in \(db ?? "the file")")
                throw Status.unreadable
            }
            let merged = members.count > 1 || members.first?.id != id
            let selector: CollectionSelector = merged ? .merged(members) : .dataset(members[0])
            let started = Date()
            let summary = try TileExport.write(
                store: store,
                layer: id,
                selector: selector,
                datasets: members,
                merged: merged,
                zooms: minZoom...maxZoom,
                to: URL(fileURLWithPath: output)
            ) { zoom, tiles in
                printError("zoom \(zoom): \(tiles) tiles")
            }
            print(
                "wrote \(output): \(summary.tiles) tiles (zoom \(minZoom)–\(maxZoom)), \(summary.bytes) bytes, in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
            )
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError(describeFailure(error))
            throw Status.unreadable
        }
    }

    /// A dataset ID from a file name: letters, digits, '-' and '_' kept, the rest '-'.
    static func identifier(_ name: String) -> String {
        let kept = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        return kept.isEmpty ? "tiles" : kept
    }
}
