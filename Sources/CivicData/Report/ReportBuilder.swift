/// Builds one file's report while the pipeline runs: every stage (the reader, the georeferencer, the writers) hands
/// its findings here. The builder names the workbook cell of a finding where the source has cells, counts it in the
/// summary and passes it on to `sink` (a report writer, a collector), so a report of any size streams.
///
/// The parts that are known only at the end (how the input was read, the coordinate section, the feature count)
/// are set by the stages that know them, and `makeReport` puts everything together.
public final class ReportBuilder: FindingSink {
    /// Counts so far (complete once the pipeline has finished).
    public private(set) var summary = ReportSummary()
    /// How coordinates were georeferenced, set by the georeferencing stage.
    public var coordinates: CoordinateReport?
    /// Which dataset the file is, its column mappings and output columns: set when the file is recognised.
    public private(set) var layout: RecordLayout?
    /// How the input was read: asked for when the report is made (complete once every row has been read).
    private var describeSource: (() -> SourceDescription)?
    /// Names the cell of a finding (`Sheet1!B12`), for sources with cells.
    private var locate: ((Finding) -> String?)?
    private let sink: any FindingSink

    /// - Parameter sink: where each finding goes once counted (`FindingCollector`, `JSONReportWriter` …).
    public init(sink: any FindingSink = FindingCollector()) {
        self.sink = sink
    }

    /// Called by the reader once it has recognised the file.
    public func begin(
        layout: RecordLayout,
        describeSource: @escaping () -> SourceDescription,
        locate: ((Finding) -> String?)? = nil
    ) throws {
        self.layout = layout
        self.describeSource = describeSource
        self.locate = locate
        try sink.begin(layout)
    }

    /// Counts a finding and passes it on.
    public func receive(_ finding: Finding) throws {
        var finding = finding
        if finding.cell == nil, let locate { finding.cell = locate(finding) }
        summary.count(finding)
        try sink.receive(finding)
    }

    /// Counts a record read (blank rows and metadata rows are not records).
    public func countRecord(hasErrors: Bool) {
        summary.records += 1
        if hasErrors { summary.recordsWithErrors += 1 }
    }

    /// A stage after reading (geometry checks) found an error in a record counted without errors.
    public func countLaterError() { summary.recordsWithErrors += 1 }

    /// Counts a blank row skipped.
    public func countBlankRow() { summary.blankRows += 1 }

    /// Applies what reading one record did (`DatasetReader.next(emitting:)`).
    public func apply(_ event: ReadEvent) throws {
        switch event {
        case .finding(let finding): try receive(finding)
        case .blankRow: countBlankRow()
        case .record(let hasErrors): countRecord(hasErrors: hasErrors)
        }
    }

    /// Records how many features a writer produced (GeoJSON, the store).
    public func noteFeatures(_ count: Int) { summary.features = count }

    /// The report so far, with `findings` (empty when they were streamed to the sink). Only once the file has been
    /// recognised (`begin`): before that there is no report, only the error that stopped the read.
    public func makeReport(findings: [Finding] = []) -> Report {
        guard let layout, let describeSource else { preconditionFailure("ReportBuilder.makeReport before the file was recognised") }
        return Report(
            source: describeSource(),
            recognition: layout.recognition,
            columns: layout.mappings,
            outputColumns: layout.columns,
            findings: findings,
            summary: summary,
            coordinates: coordinates
        )
    }

    /// Tells the sink that the file is done, with the report (findings left out: the sink has had them).
    public func finish() throws {
        try sink.finish(makeReport())
    }
}

@available(*, unavailable)
extension ReportBuilder: Sendable {}

/// One thing reading a record does to its report, in order: a finding, a blank row skipped, the record counted.
public enum ReadEvent: Sendable {
    case finding(Finding)
    case blankRow
    case record(hasErrors: Bool)
}
