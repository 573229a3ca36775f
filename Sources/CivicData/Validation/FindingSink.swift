/// Receives findings as the pipeline produces them, so a report of any size streams. A report writer also hears
/// when the file has been recognised (`begin`) and when it is done (`finish`, with everything but the findings).
public protocol FindingSink: AnyObject {
    func receive(_ finding: Finding) throws
    /// The file was recognised; no finding has come yet.
    func begin(_ layout: RecordLayout) throws
    /// The file is done: `report` holds everything but the findings, which the sink has had one by one.
    func finish(_ report: Report) throws
}

extension FindingSink {
    public func begin(_ layout: RecordLayout) throws {}
    public func finish(_ report: Report) throws {}
}

/// Keeps every finding in memory: the library's default for files of ordinary size.
public final class FindingCollector: FindingSink {
    public private(set) var findings: [Finding] = []

    public init() {}

    public func receive(_ finding: Finding) throws { findings.append(finding) }
}

@available(*, unavailable)
extension FindingCollector: Sendable {}

/// Passes each finding to several sinks (a full report to a file and a summary on the terminal).
public final class FindingFanOut: FindingSink {
    private let sinks: [any FindingSink]

    public init(_ sinks: [any FindingSink]) { self.sinks = sinks }

    public func receive(_ finding: Finding) throws { for sink in sinks { try sink.receive(finding) } }
    public func begin(_ layout: RecordLayout) throws { for sink in sinks { try sink.begin(layout) } }
    public func finish(_ report: Report) throws { for sink in sinks { try sink.finish(report) } }
}

@available(*, unavailable)
extension FindingFanOut: Sendable {}
