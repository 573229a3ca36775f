import ArgumentParser
import CivicData
import CivicGeo
import CivicIngest
import Foundation

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "変換 Convert to GeoJSON (RFC 7946) for web maps and apps.",
        discussion: """
            Each record with usable 緯度/経度 becomes a Point feature (longitude, latitude) whose properties are the
            file's columns under their standard (current-layout) names, normalised, then its extra columns; standard
            columns the file does not have are left out (they would be null everywhere). Its id is the ID column
            when filled. Records without usable coordinates are
            left out of the GeoJSON and listed in the report. Output ending in .geojsons or .geojsonl (or --seq) is
            written as GeoJSON text sequences (RFC 8142), one feature per line.

            例: civic convert 222127_aed.csv -o aed.geojson
                civic convert 222127_aed.csv --seq > aed.geojsons
            """
    )

    @Argument(help: ArgumentHelp("CSV, .xlsx or .xls file (- for standard input) 入力ファイル", valueName: "file"))
    var file: String

    @Option(name: .shortAndLong, help: ArgumentHelp("出力 Output file (default: standard output).", valueName: "out.geojson"))
    var output: String?

    @Flag(name: .long, help: "GeoJSON text sequences (RFC 8142) instead of one FeatureCollection.")
    var seq = false

    @Option(name: .long, help: "座標の小数桁数 Decimals kept in coordinates (7 ≈ 1 cm).")
    var precision = 7

    @OptionGroup var input: InputOptions
    @OptionGroup var reportOptions: ReportOptions

    func validate() throws {
        guard (0...15).contains(precision) else { throw ValidationError("--precision takes 0 to 15") }
    }

    func run() throws {
        let framing: GeoJSONWriter.Framing =
            seq || output.map { $0.hasSuffix(".geojsons") || $0.hasSuffix(".geojsonl") || $0.hasSuffix(".geojsonseq") } == true
            ? .textSequence : .featureCollection
        do {
            let options = try input.ingestOptions(for: file)
            let findings = try reportOptions.makeSink(showValues: input.showValues)
            let out = try output.map { try ByteWriter(url: URL(fileURLWithPath: $0)) } ?? ByteWriter(fileHandle: .standardOutput)
            let geoJSON = GeoJSONRecordSink(output: out, framing: framing, precision: precision)
            let report = try Ingest.run(path: file, options: options, findings: findings, into: [geoJSON])
            if !report.isValid { throw Status.invalid }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError(describeFailure(error))
            throw Status.unreadable
        }
    }
}
