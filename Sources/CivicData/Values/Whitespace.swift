/// Leading and trailing blanks in cells, including the full-width space (U+3000) and NBSP that real files carry.
public enum Whitespace {
    /// Trims U+0020, U+3000, TAB, CR, LF and NBSP (U+00A0) at both ends; same String back when nothing to trim.
    public static func trimmed(_ s: String) -> String {
        // Most cells: neither end can start or end a trimmable character (judged on the UTF-8 bytes, no scalar walk).
        guard let first = s.utf8.first, let last = s.utf8.last else { return s }
        if !mayStartTrimmable(first) && !mayEndTrimmable(last) { return s }
        let scalars = s.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start != end, ValueScan.isTrimmable(scalars[start]) {
            start = scalars.index(after: start)
        }
        while end != start {
            let before = scalars.index(before: end)
            guard ValueScan.isTrimmable(scalars[before]) else { break }
            end = before
        }
        if start == scalars.startIndex && end == scalars.endIndex { return s }
        return String(scalars[start..<end])
    }

    /// The first UTF-8 byte of a trimmable character: space, TAB, LF, CR; C2 (NBSP); E3 (U+3000).
    @inline(__always) private static func mayStartTrimmable(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0xC2 || byte == 0xE3
    }

    /// The last UTF-8 byte of a trimmable character: space, TAB, LF, CR; A0 (NBSP); 80 (U+3000).
    @inline(__always) private static func mayEndTrimmable(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0xA0 || byte == 0x80
    }
}
