import CivicData
import CivicExcel
import CivicGeo
import Foundation

/// One read of one file: opens it, sends findings to the report writers, hands each record to `body`,
/// shows a progress line on a terminal, and says how it ended.
struct Pass {
    let path: String
    let options: ReadOptions
    /// The worksheet, for workbooks.
    var sheet: Workbook.SheetSelector = .first

    /// Runs the pass. With `georeferencing`, records go through a `Georeferencer` in batches (coordinates turned
    /// into its target CRS, with findings) before `body` sees them.
    func run(
        sink: any FindingSink,
        georeferencing: Georeferencer.Options? = nil,
        begin: (DatasetReader) throws -> Void = { _ in },
        body: (DatasetReader, NormalizedRecord) throws -> Void
    ) throws -> DatasetReader {
        let reader = try DatasetReader.open(InputSource(path: path), options: options, sheet: sheet)
        try begin(reader)
        var progress = ProgressLine(name: path == "-" ? "standard input" : path)
        let georeferencer = try georeferencing.flatMap { options in
            reader.hasGeographicColumns || reader.planeColumns != nil ? try Georeferencer(reader: reader, options: options) : nil
        }
        var batch: [NormalizedRecord] = []
        batch.reserveCapacity(Pass.batchSize)
        func flush() throws {
            if let georeferencer { try georeferencer.process(&batch, reader: reader, reportingTo: sink) }
            for record in batch { try body(reader, record) }
            batch.removeAll(keepingCapacity: true)
        }
        while let record = try reader.next(reportingTo: sink) {
            batch.append(record)
            if batch.count == Pass.batchSize { try flush() }
            progress.update(reader)
        }
        try flush()
        georeferencer?.finish(reader)
        progress.finish()
        return reader
    }

    /// Records georeferenced at a time: PROJ's batch call works on this many points.
    static let batchSize = 1024
}

/// "読込中 42% …" on standard error, only when it is a terminal and the file is large.
struct ProgressLine {
    let name: String
    private var records = 0
    private var lastShown = Date()
    private var shown = false
    private let enabled = isatty(STDERR_FILENO) == 1

    init(name: String) { self.name = name }

    mutating func update(_ reader: DatasetReader) {
        records += 1
        guard enabled, records & 0x3FFF == 0 else { return }
        let (read, total) = reader.progress
        guard (total ?? read) > 8 << 20, Date().timeIntervalSince(lastShown) > 0.5 else { return }
        lastShown = Date()
        shown = true
        let percent = total.map { " \(Int(Double(read) / Double(max($0, 1)) * 100))%" } ?? ""
        FileHandle.standardError.write(Data("\r読込中 reading \(name):\(percent) \(records) records   ".utf8))
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// Prints why a file could not be read, in the form file:line: what.
func describeFailure(_ error: any Error) -> String {
    // Civic's errors describe themselves as file:line: code: message.
    "error: \(error)"
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
