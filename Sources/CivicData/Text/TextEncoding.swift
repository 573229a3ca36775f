/// A text encoding Civic reads or writes.
///
/// Civic reads UTF-8 (with or without a byte order mark), CP932 (Microsoft's Shift_JIS, the encoding of most
/// Japanese municipal CSV files exported from Excel) and UTF-16 (Excel's "Unicode text" export), and writes UTF-8
/// or CP932.
public struct TextEncoding: Hashable, Sendable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        case utf8
        case cp932
        case utf16LittleEndian
        case utf16BigEndian
    }

    let kind: Kind

    init(kind: Kind) {
        self.kind = kind
    }

    /// UTF-8. A leading byte order mark (EF BB BF) is recognised and removed.
    public static let utf8 = TextEncoding(kind: .utf8)
    /// CP932 (Windows-31J): Shift_JIS with the NEC and IBM extensions, and 0x8160 read as U+FF5E FULLWIDTH TILDE.
    public static let cp932 = TextEncoding(kind: .cp932)
    /// UTF-16, little-endian (Excel's "Unicode text", which starts with FF FE).
    public static let utf16LittleEndian = TextEncoding(kind: .utf16LittleEndian)
    /// UTF-16, big-endian.
    public static let utf16BigEndian = TextEncoding(kind: .utf16BigEndian)

    /// Looks an encoding up by the name a user would type, ignoring case and surrounding white space.
    ///
    /// Accepts `utf-8`, `utf8`, `cp932`, `windows-31j`, `shift_jis`, `sjis`, `ms932`, `utf-16le`, `utf-16be` and
    /// `utf-16`. Every Shift_JIS name means CP932, the superset that real files use. `utf-16` gives
    /// ``utf16LittleEndian``: when reading UTF-16, a byte order mark at the start of the input decides the byte
    /// order whatever was declared, so `utf-16` means "by the byte order mark, little-endian without one".
    /// Returns nil for any other name.
    public init?(name: String) {
        switch name.trimmingWhitespace().lowercased() {
        case "utf-8", "utf8":
            self = .utf8
        case "cp932", "windows-31j", "shift_jis", "sjis", "ms932":
            self = .cp932
        case "utf-16le", "utf-16":
            self = .utf16LittleEndian
        case "utf-16be":
            self = .utf16BigEndian
        default:
            return nil
        }
    }

    /// The canonical name: "UTF-8", "CP932", "UTF-16LE" or "UTF-16BE".
    public var name: String {
        switch kind {
        case .utf8: "UTF-8"
        case .cp932: "CP932"
        case .utf16LittleEndian: "UTF-16LE"
        case .utf16BigEndian: "UTF-16BE"
        }
    }

    public var description: String { name }

    /// The name glibc/libiconv knows this encoding by.
    var iconvName: String {
        switch kind {
        case .utf8: "UTF-8"
        case .cp932: "CP932"
        case .utf16LittleEndian: "UTF-16LE"
        case .utf16BigEndian: "UTF-16BE"
        }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> Substring {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return slice
    }
}
