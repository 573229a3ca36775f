/// How much a finding matters.
public enum Severity: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    /// The value breaks a rule and was kept as it was: the file is invalid.
    case error
    /// Suspicious or non-standard, kept as it was.
    case warning
    /// Normalisation changed the value; the finding holds before and after.
    case fixed
    /// Noted, nothing wrong (metadata rows, blank rows, column mapping).
    case info

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .fixed: 2
        case .info: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
