/// What the reader found about a file's CSV form.
public struct CSVDialect: Sendable, Equatable, Codable {
    /// `,` or a tab.
    public var delimiter: Delimiter
    /// How records ended: counts of CRLF, LF and lone CR terminators.
    public var lineEndings: LineEndings

    public enum Delimiter: String, Sendable, Codable {
        case comma = ","
        case tab = "\t"

        var byte: UInt8 { self == .comma ? 0x2C : 0x09 }
        public var name: String { self == .comma ? "comma" : "tab" }
    }

    /// Counts of record terminators seen.
    public struct LineEndings: Sendable, Equatable, Codable {
        public var crlf = 0
        public var lf = 0
        public var cr = 0

        /// `CRLF`, `LF`, `CR`, `mixed` or `none`.
        public var summary: String {
            let kinds = [(crlf, "CRLF"), (lf, "LF"), (cr, "CR")].filter { $0.0 > 0 }
            switch kinds.count {
            case 0: return "none"
            case 1: return kinds[0].1
            default: return "mixed"
            }
        }
    }
}
