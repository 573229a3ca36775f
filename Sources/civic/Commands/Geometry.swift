import ArgumentParser
import CivicData
import CivicGeo
import Foundation

struct GeometryCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geometry",
        abstract: "形状の検証 Check polygons and lines (GeoJSON, or CSV with a WKT column): validity, repair, RFC 7946 rings.",
        discussion: """
            Lists every feature GEOS finds invalid, with the reason and where (lon, lat). With -o, writes the layer as
            RFC 7946 GeoJSON (exterior rings counter-clockwise, holes clockwise), repaired with --make-valid.

            例: civic geometry 通学区域.geojson
                civic geometry 通学区域.csv --make-valid -o 通学区域.geojson
            """
    )

    @Argument(help: ArgumentHelp("Polygons or lines: .geojson, or .csv with a WKT column", valueName: "file"))
    var file: String

    @Flag(name: .long, help: "不正な形状を修復 Repair invalid geometries (GEOS make-valid).")
    var makeValid = false

    @Option(name: .long, help: ArgumentHelp("Property (GeoJSON) or column (CSV) naming each feature.", valueName: "name"))
    var nameProperty: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("出力 Write the (repaired) layer as GeoJSON.", valueName: "out.geojson"))
    var output: String?

    func run() throws {
        let layer: PolygonLayer
        do {
            layer = try PolygonLayer(path: file, nameProperty: nameProperty, repair: makeValid)
        } catch {
            printError(describeFailure(error))
            throw Status.unreadable
        }
        print("\(file): \(layer.features.count) features, \(layer.problems.count) invalid, \(layer.unreadable.count) unreadable")
        for problem in layer.problems {
            let place = problem.x.flatMap { x in problem.y.map { " at \(x), \($0)" } } ?? ""
            print(
                "  \(file.lowercased().hasSuffix(".csv") ? "line" : "feature") \(problem.position) (\(problem.name)): \(problem.reason)\(place)\(problem.repaired ? " — repaired" : "")"
            )
        }
        for (position, message) in layer.unreadable {
            print("  \(position): unreadable, left out: \(message)")
        }
        if let output {
            try layer.geoJSON().write(toFile: output, atomically: true, encoding: .utf8)
        }
        if !layer.unreadable.isEmpty || layer.problems.contains(where: { !$0.repaired }) { throw Status.invalid }
    }
}
