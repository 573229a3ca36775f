/// Counts of findings per file, per column and per code.
public struct ReportSummary: Sendable, Codable, Equatable {
    /// Counts by severity.
    public struct Counts: Sendable, Codable, Equatable {
        public var errors = 0
        public var warnings = 0
        public var fixed = 0
        public var info = 0

        public init() {}

        mutating func add(_ severity: Severity) {
            switch severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .fixed: fixed += 1
            case .info: info += 1
            }
        }
    }

    /// Data records read (blank rows and metadata rows excluded).
    public var records = 0
    public var blankRows = 0
    /// Records with at least one error.
    public var recordsWithErrors = 0
    /// Records written as GeoJSON features (when a GeoJSON writer ran).
    public var features: Int?
    public var totals = Counts()
    /// Keyed by input column (file-level findings under "").
    public var byColumn: [String: Counts] = [:]
    /// Keyed by finding code.
    public var byCode: [String: Counts] = [:]

    public init() {}

    /// True when no finding is an error.
    public var isValid: Bool { totals.errors == 0 }

    mutating func count(_ finding: Finding) {
        totals.add(finding.severity)
        byColumn[finding.column ?? "", default: Counts()].add(finding.severity)
        byCode[finding.code.rawValue, default: Counts()].add(finding.severity)
    }
}
