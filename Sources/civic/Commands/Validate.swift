import ArgumentParser
import CivicData
import CivicIngest
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "検証 Check files against the standard and report every finding.",
        discussion: """
            Each file is recognised (which 標準データセット, which layout), then every cell is checked: required items
            (◎ 必須), 全国地方公共団体コード with its check digit, 緯度/経度 inside Japan, 名称_カナ in 全角カナ, times hh:mm,
            dates YYYY-MM-DD, 有/無, 曜日, URLs, e-mail, phone numbers, unique IDs. Findings marked "fixed" are what
            `civic normalize` rewrites. Cell values are left out unless --show-values.

            例: civic validate 222127_aed.csv
                civic validate --format json --dataset aed data.csv > report.json
            """
    )

    @Argument(help: ArgumentHelp("CSV, .xlsx or .xls files (- for standard input) 検証するファイル", valueName: "file"))
    var files: [String]

    @OptionGroup var input: InputOptions

    @Option(name: .long, help: "出力形式 Report format: text or json.")
    var format: ReportFormat = .text

    @Flag(name: .long, help: "情報も表示 List info findings too (text format).")
    var all = false

    enum ReportFormat: String, ExpressibleByArgument { case text, json }

    func run() throws {
        let out = ByteWriter(fileHandle: .standardOutput)
        var worst = Status.valid
        if format == .json && files.count > 1 { try out.write("[") }
        for (index, path) in files.enumerated() {
            if format == .json && index > 0 { try out.write(",\n") }
            let json = format == .json ? JSONReportWriter(output: out, showValues: input.showValues) : nil
            do {
                let options = try input.ingestOptions(for: path)
                let writer: any FindingSink =
                    json ?? TextReportWriter(output: out, showValues: input.showValues, listedSeverity: all ? .info : .fixed)
                let report = try Ingest.run(path: path, options: options, findings: writer, into: [])
                if !report.isValid && worst == Status.valid { worst = Status.invalid }
            } catch {
                try json?.abandon(file: path, error: describeFailure(error))
                try out.flush()
                printError(describeFailure(error))
                worst = Status.unreadable
            }
        }
        if format == .json { try out.write(files.count > 1 ? "]\n" : "\n") }
        try out.flush()
        if worst != Status.valid { throw worst }
    }
}
