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

    /// Where the findings go: the report file (when asked for) and a summary on standard error (unless quiet).
    func makeSink(showValues: Bool) throws -> any FindingSink {
        var sinks: [any FindingSink] = []
        if let report {
            let output = try ByteWriter(url: URL(fileURLWithPath: report))
            if report.hasSuffix(".txt") {
                sinks.append(TextReportWriter(output: output, showValues: showValues, listedSeverity: .info))
            } else {
                sinks.append(JSONReportWriter(output: output, showValues: showValues))
            }
        }
        if !quiet {
            sinks.append(SummaryOnly(TextReportWriter(output: ByteWriter(fileHandle: .standardError), showValues: false, listedSeverity: .error)))
        }
        return FindingFanOut(sinks)
    }
}

/// A report writer's heading and counts without the findings in between: the summary on standard error.
final class SummaryOnly: FindingSink {
    private let writer: any FindingSink

    init(_ writer: any FindingSink) { self.writer = writer }

    func receive(_ finding: Finding) throws {}
    func begin(_ layout: RecordLayout) throws { try writer.begin(layout) }
    func finish(_ report: Report) throws { try writer.finish(report) }
}
