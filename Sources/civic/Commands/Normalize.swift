import ArgumentParser
import CivicData
import CivicExcel
import CivicGeo
import CivicIngest
import Foundation

struct Normalize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "正規化 Write the file as standard CSV (or .xlsx) in the current layout, fixing what is unambiguous.",
        discussion: """
            The output has the current (自治体標準オープンデータセット) columns in order, then any columns the file has
            that the standard does not (nothing is dropped). Legacy 2019 files are mapped to the current layout.
            Fixes: white space, full-width digits in codes/numbers/phones/times, ○ → 1, h:mm → hh:mm, Excel serial and
            和暦 dates → YYYY-MM-DD, (054)626-1139 → 054-626-1139, 5-digit codes → 6 digits, half-width katakana →
            full-width. Every fix is in the report.

            例: civic normalize 122033_108_aed.csv -o aed.csv --report aed.report.json
                civic normalize data.csv -o for-excel.csv --output-encoding cp932
                civic normalize data.xlsx -o normalized.xlsx        (.xlsx: one sheet, header in row 1, typed cells)
            """
    )

    @Argument(help: ArgumentHelp("CSV, .xlsx or .xls file (- for standard input) 入力ファイル", valueName: "file"))
    var file: String

    @Option(name: .shortAndLong, help: ArgumentHelp("出力 Output file (default: standard output).", valueName: "out.csv"))
    var output: String?

    @Option(
        name: .customLong("to"),
        help: ArgumentHelp("出力形式 Output format: csv or xlsx (default: from the output's extension, else csv).", valueName: "format")
    )
    var format: String?

    @Flag(name: .long, help: "BOM付きUTF-8 Start the UTF-8 output with a byte order mark (for Excel).")
    var bom = false

    @Option(name: .long, help: ArgumentHelp("出力の文字コード Output encoding: utf-8 or cp932 (Shift_JIS for Excel).", valueName: "encoding"))
    var outputEncoding: String = "utf-8"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "出力の座標参照系 Write coordinates in this CRS: a geographic one (EPSG:6668 default, EPSG:4612 …) rewrites 緯度/経度; a projected one (EPSG:6669…6687 平面直角座標系) adds X座標/Y座標 columns.",
            valueName: "crs"
        )
    )
    var toCRS: String?

    @OptionGroup var input: InputOptions
    @OptionGroup var reportOptions: ReportOptions

    func run() throws {
        let encoding: CSVWriter.Encoding
        switch outputEncoding.lowercased() {
        case "utf-8", "utf8": encoding = .utf8
        case "cp932", "shift_jis", "sjis", "windows-31j": encoding = .cp932
        default: throw ValidationError("--output-encoding takes utf-8 or cp932")
        }
        let asWorkbook: Bool
        switch format?.lowercased() ?? (output?.lowercased().hasSuffix(".xlsx") == true ? "xlsx" : "csv") {
        case "csv": asWorkbook = false
        case "xlsx": asWorkbook = true
        default: throw ValidationError("--to takes csv or xlsx")
        }
        do {
            let target = try toCRS.map { try CRS(parsing: $0) } ?? .jgd2011
            // A projected target: 緯度/経度 stay JGD2011 and two columns give X (northing) and Y (easting).
            var options = try input.ingestOptions(for: file, target: target.isGeographic ? target : .jgd2011)
            if !target.isGeographic { options.projection = target }
            let findings = try reportOptions.makeSink(showValues: input.showValues)
            let sink: any RecordSink
            let workbook = asWorkbook ? XLSXRecordSink(url: output.map { URL(fileURLWithPath: $0) }) : nil
            if let workbook {
                sink = workbook
            } else {
                let out = try output.map { try ByteWriter(url: URL(fileURLWithPath: $0)) } ?? ByteWriter(fileHandle: .standardOutput)
                sink = try CSVRecordSink(output: out, encoding: encoding, byteOrderMark: bom)
            }
            let report = try Ingest.run(path: file, options: options, findings: findings, into: [sink])
            if let bytes = workbook?.bytes { FileHandle.standardOutput.write(Data(bytes)) }
            if !report.isValid { throw Status.invalid }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError(describeFailure(error))
            throw Status.unreadable
        }
    }
}
