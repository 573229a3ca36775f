/// Receives findings as the reader produces them, so a report of any size streams.
public protocol FindingSink: AnyObject {
    func receive(_ finding: Finding) throws
}

/// Keeps every finding in memory: the library's default for files of ordinary size.
public final class FindingCollector: FindingSink {
    public private(set) var findings: [Finding] = []

    public init() {}

    public func receive(_ finding: Finding) throws { findings.append(finding) }
}

@available(*, unavailable)
extension FindingCollector: Sendable {}
