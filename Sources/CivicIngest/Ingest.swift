public import CivicData
public import CivicExcel
public import CivicGeo
import Foundation

/// The pipeline: file → records → sinks. Every caller — the command line, the store's loader, the tests — reads
/// files through here, so they all see the same records and the same report.
///
/// Opens the source (CSV/TSV in any of the encodings municipalities use, an .xlsx or legacy .xls workbook by its
/// signature), recognises the dataset and validates and normalises every cell (`DatasetReader`), georeferences the
/// coordinates in batches (`Georeferencer`, PROJ), optionally adds X/Y in a projected CRS, and hands each batch to every sink
/// (CSV, GeoJSON, .xlsx writers, the store). The report is built as the stages run (`ReportBuilder`): findings
/// stream to `findings`, which finally gets the rest of the report.
///
/// ```swift
/// let report = try Ingest.run(.file(url), findings: JSONReportWriter(output: out), into: [GeoJSONRecordSink(output: geo)])
/// ```
public enum Ingest {
    /// Records georeferenced and handed to the sinks at a time (PROJ's batch call works on this many points).
    public static let batchSize = 1024

    /// How far a run has come, for progress lines.
    public struct Progress: Sendable {
        public var records: Int
        public var bytesRead: Int
        public var totalBytes: Int?
    }

    /// Opens a CSV file, an .xlsx/.xls workbook (by its signature) or a GeoJSON file (by its content) as a reader: the pipeline's first stage. Bytes
    /// that are not a table at all (a PDF, an image, a ZIP of CSVs, a saved web page …) are an error that says what
    /// they are.
    public static func open(_ source: InputSource, options: IngestOptions = IngestOptions()) throws -> DatasetReader {
        if InputSniffer.isJSON(source) {
            // GeoJSON: a FeatureCollection is a dataset like a table, and so is an array of records (`[{…}, …]`, or
            // one inside `records`/`data`/`result`/`items`); other JSON is not a table, and says so.
            let rows = try GeoJSONRows(source: source)
            return try DatasetReader(rows: rows, name: source.displayName, options: options.read)
        }
        if let what = InputSniffer.notATable(source) {
            throw DatasetError(code: .notATable, message: "not a table: \(what)", file: source.displayName, line: 1)
        }
        return try DatasetReader.open(source, options: options.read, sheet: options.sheet, limits: options.limits)
    }

    /// Runs the whole pipeline over `source`. Returns the report without its findings (they went to `findings`,
    /// whose `finish` has been called with the same report). Throws when the source cannot be read as a table or
    /// a sink fails; findings about the data never throw.
    @discardableResult
    public static func run(
        _ source: InputSource,
        options: IngestOptions = IngestOptions(),
        findings: any FindingSink,
        into sinks: [any RecordSink],
        progress: ((Progress) -> Void)? = nil
    ) throws -> Report {
        let reader = try open(source, options: options)
        let report = ReportBuilder(sink: findings)
        return try run(reader, options: options, report: report, into: sinks, progress: progress)
    }

    /// Runs the pipeline over an opened reader, with a report builder of the caller's.
    @discardableResult
    public static func run(
        _ reader: DatasetReader,
        options: IngestOptions = IngestOptions(),
        report: ReportBuilder,
        into sinks: [any RecordSink],
        progress: ((Progress) -> Void)? = nil
    ) throws -> Report {
        let georeferencer = try options.georeferencing.flatMap { georeferencing in
            Georeferencer.applies(to: reader) ? try Georeferencer(reader: reader, options: georeferencing) : nil
        }
        let geometries =
            reader.hasGeometry
            ? try GeometryProcessor(
                fileCRS: reader.geometryCRSName,
                declared: options.georeferencing?.declared,
                declaredBy: options.georeferencing?.declaredBy ?? "--from-crs",
                target: options.georeferencing?.target,
                repair: options.repairGeometry
            ) : nil
        let projection = try options.projection.map { try ProjectedColumns(target: $0) }
        var layout = reader.layout
        projection?.extend(&layout)

        try reader.begin(reportingTo: report)
        for sink in sinks { try sink.begin(layout) }
        var count = 0
        func flush(_ batch: inout [NormalizedRecord], progressed: (read: Int, total: Int?)) throws {
            if let georeferencer { try georeferencer.process(&batch, reportingTo: report) }
            if let geometries { try geometries.process(&batch, reportingTo: report) }
            projection?.append(to: &batch)
            for sink in sinks { try sink.write(batch, report: report) }
            count += batch.count
            progress?(Progress(records: count, bytesRead: progressed.read, totalBytes: progressed.total))
        }
        if options.read.readAhead && reader.isText {
            // Two cores: the reader's thread reads and validates the next batches while this one writes.
            let ahead = RecordReadAhead(reader, batchSize: batchSize)
            defer { ahead.stop() }
            while var batch = try ahead.next() {
                for event in batch.events { try report.apply(event) }
                if !batch.failed { try flush(&batch.records, progressed: batch.progress) }
            }
        } else {
            var batch: [NormalizedRecord] = []
            batch.reserveCapacity(batchSize)
            while let record = try reader.next(reportingTo: report) {
                batch.append(record)
                if batch.count == batchSize {
                    try flush(&batch, progressed: reader.progress)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            try flush(&batch, progressed: reader.progress)
        }
        // Coordinate columns and geometries (a GeoJSON file can have both): one section, the sources of each.
        var coordinates = georeferencer?.finish()
        if let geometries {
            let shapes = geometries.finish()
            coordinates?.sources += shapes.sources
            coordinates?.failed += shapes.failed
            coordinates = coordinates ?? shapes
        }
        if let coordinates { report.coordinates = coordinates }
        for sink in sinks { try sink.finish(report: report) }
        try report.finish()
        return report.makeReport()
    }

    /// Reads every record into memory with the whole report (findings included): for small files and tests.
    public static func readAll(_ source: InputSource, options: IngestOptions = IngestOptions()) throws -> (
        records: [NormalizedRecord], report: Report
    ) {
        let collector = FindingCollector()
        let records = RecordCollector()
        let report = try run(source, options: options, findings: collector, into: [records])
        var full = report
        full.findings = collector.findings
        return (records.records, full)
    }

    /// Runs `body` — a pipeline run into the store, which blocks on reading and writing — on a thread of its own named
    /// `name`, off the concurrency pool that serves requests (publishing, harvesting).
    public static func onThread<T: Sendable>(named name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = name
            thread.start()
        }
    }
}

/// Keeps every record in memory (`Ingest.readAll`).
public final class RecordCollector: RecordSink {
    public private(set) var records: [NormalizedRecord] = []
    public private(set) var layout: RecordLayout?

    public init() {}

    public func begin(_ layout: RecordLayout) throws { self.layout = layout }
    public func write(_ records: [NormalizedRecord], report: ReportBuilder) throws { self.records += records }
    public func finish(report: ReportBuilder) throws {}
}

@available(*, unavailable)
extension RecordCollector: Sendable {}
