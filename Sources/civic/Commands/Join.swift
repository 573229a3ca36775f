import ArgumentParser
import CivicData
import CivicGeo
import CivicIngest
import Foundation

struct Join: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "空間結合 Add to each record the name of the polygon that contains it (e.g. 通学区域).",
        discussion: """
            Reads the records like `civic normalize` (any standard dataset, coordinates georeferenced), reads the
            polygons from a GeoJSON FeatureCollection (lon/lat) or a CSV with a WKT column, and writes the records with
            one more column holding the name of the first polygon that contains each point (empty when none does).
            Invalid polygons are reported with where the problem is; --make-valid repairs them.

            例: civic join 222127_public_facility.csv 通学区域.geojson --as 通学区域 --name-property 学区名 -o out.csv
            """
    )

    @Argument(help: ArgumentHelp("Records (CSV) 点データ", valueName: "file"))
    var file: String

    @Argument(help: ArgumentHelp("Polygons: .geojson, or .csv with a WKT column 面データ", valueName: "polygons"))
    var polygons: String

    @Option(name: .customLong("as"), help: ArgumentHelp("追加する列名 Name of the added column.", valueName: "column"))
    var column: String

    @Option(
        name: .long,
        help: ArgumentHelp("面の名前の属性 Property (GeoJSON) or column (CSV) naming each polygon. Default: id, else its number.", valueName: "name")
    )
    var nameProperty: String?

    @Flag(name: .long, help: "不正な形状を修復 Repair invalid polygons (GEOS make-valid) instead of only reporting them.")
    var makeValid = false

    @Option(name: .shortAndLong, help: ArgumentHelp("出力 Output: .csv (default, standard output) or .geojson.", valueName: "out"))
    var output: String?

    @OptionGroup var input: InputOptions
    @OptionGroup var reportOptions: ReportOptions

    func run() throws {
        let layer: PolygonLayer
        do {
            layer = try PolygonLayer(path: polygons, nameProperty: nameProperty, repair: makeValid)
        } catch {
            printError(describeFailure(error))
            throw Status.unreadable
        }
        if !reportOptions.quiet { describe(layer) }
        do {
            let options = try input.ingestOptions(for: file)
            let findings = try reportOptions.makeSink(showValues: input.showValues)
            let out = try output.map { try ByteWriter(url: URL(fileURLWithPath: $0)) } ?? ByteWriter(fileHandle: .standardOutput)
            let written: any RecordSink =
                output?.lowercased().hasSuffix(".geojson") == true ? GeoJSONRecordSink(output: out) : try CSVRecordSink(output: out)
            let join = PolygonJoinSink(layer: layer, column: column, forwardingTo: written)
            let report = try Ingest.run(path: file, options: options, findings: findings, into: [join])
            if !reportOptions.quiet {
                printError("  \(column): \(join.joined) of \(report.summary.records) records fall in one of \(layer.features.count) polygons")
            }
            if !report.isValid || !layer.problems.filter({ !$0.repaired }).isEmpty { throw Status.invalid }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError(describeFailure(error))
            throw Status.unreadable
        }
    }

    private func describe(_ layer: PolygonLayer) {
        printError("\(polygons): \(layer.features.count) polygons")
        for problem in layer.problems {
            printError("  \(problem.description)\(problem.repaired ? " — repaired" : " — use --make-valid to repair")")
        }
        for (position, message) in layer.unreadable {
            printError("  feature \(position): unreadable, left out: \(message)")
        }
    }
}
