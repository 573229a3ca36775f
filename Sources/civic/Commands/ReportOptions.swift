import ArgumentParser
import CivicData
import Foundation

/// Where normalize and convert put their report.
struct ReportOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "レポート Write the full report to this file (.json, or .txt for text). Default: a summary on standard error.",
            valueName: "file"
        )
    )
    var report: String?

    @Flag(name: .long, help: "静かに Print nothing on standard error unless something fails.")
    var quiet = false

    /// A sink for the findings, and what to do when the file is done.
    func makeSink(showValues: Bool) throws -> (sink: any FindingSink, begin: (DatasetReader) throws -> Void, finish: (DatasetReader) throws -> Void) {
        let summaryWriter = ByteWriter(fileHandle: .standardError)
        let summary = TextReportWriter(output: summaryWriter, showValues: false, listedSeverity: .error)
        let printSummary: (DatasetReader) throws -> Void = { reader in
            if !quiet {
                try summary.begin(reader)
                try summary.finish(reader)
            }
        }
        guard let report else {
            return (SilentSink(), { _ in }, printSummary)
        }
        let output = try ByteWriter(url: URL(fileURLWithPath: report))
        if report.hasSuffix(".txt") {
            let writer = TextReportWriter(output: output, showValues: showValues, listedSeverity: .info)
            return (
                writer, writer.begin,
                { reader in
                    try writer.finish(reader)
                    try printSummary(reader)
                }
            )
        }
        let writer = JSONReportWriter(output: output, showValues: showValues)
        return (
            writer, { _ in try writer.begin() },
            { reader in
                try writer.finish(reader)
                try printSummary(reader)
            }
        )
    }
}

/// Counts happen in the reader; this sink keeps nothing.
final class SilentSink: FindingSink {
    func receive(_ finding: Finding) throws {}
}
