import CivicData
import CivicIngest
import Foundation

extension Ingest {
    /// One run of the pipeline for a command: `path` ("-" for standard input) with a progress line on a terminal.
    static func run(path: String, options: IngestOptions, findings: any FindingSink, into sinks: [any RecordSink]) throws -> Report {
        var progress = ProgressLine(name: path == "-" ? "standard input" : path)
        defer { progress.finish() }
        return try Ingest.run(InputSource(path: path), options: options, findings: findings, into: sinks) { progress.update($0) }
    }
}

/// "読込中 42% …" on standard error, only when it is a terminal and the file is large.
struct ProgressLine {
    let name: String
    private var lastShown = Date()
    private var shown = false
    private let enabled = isatty(STDERR_FILENO) == 1

    init(name: String) { self.name = name }

    mutating func update(_ progress: Ingest.Progress) {
        guard enabled, progress.records & 0x3FFF < Ingest.batchSize else { return }
        guard (progress.totalBytes ?? progress.bytesRead) > 8 << 20, Date().timeIntervalSince(lastShown) > 0.5 else { return }
        lastShown = Date()
        shown = true
        let percent = progress.totalBytes.map { " \(Int(Double(progress.bytesRead) / Double(max($0, 1)) * 100))%" } ?? ""
        FileHandle.standardError.write(Data("\r読込中 reading \(name):\(percent) \(progress.records) records   ".utf8))
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// Why a file could not be read, in the form file:line: what — and, when the library names a setting that would
/// help, the flag that sets it.
func describeFailure(_ error: any Error) -> String {
    var text = "error: \(error)"
    if let suggesting = error as? any RemedySuggesting, let remedy = suggesting.remedy {
        text += "; " + flagPhrase(remedy)
    }
    return text
}

/// A remedy as the command line's flag: "pass --encoding cp932".
func flagPhrase(_ remedy: Remedy) -> String {
    remedy.phrased(
        names: [.dataset: "--dataset", .encoding: "--encoding", .sourceCRS: "--from-crs", .sheet: "--sheet"],
        value: { "pass \($0) \($1)" },
        choices: { "name one with \($0) (\($1.joined(separator: ", ")))" }
    )
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
