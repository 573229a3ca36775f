/// Leading and trailing blanks in cells, including the full-width space (U+3000) and NBSP that real files carry.
public enum Whitespace {
    /// Trims U+0020, U+3000, TAB, CR, LF and NBSP (U+00A0) at both ends; same String back when nothing to trim.
    public static func trimmed(_ s: String) -> String {
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
}
