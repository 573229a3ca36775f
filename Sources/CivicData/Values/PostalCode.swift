/// 郵便番号: seven digits written ddd-dddd.
public enum PostalCode {
    /// True for exactly `ddd-dddd` in ASCII digits.
    public static func isValid(_ s: String) -> Bool {
        let utf8 = s.utf8
        guard utf8.count == 8 else { return false }
        var offset = 0
        for byte in utf8 {
            if offset == 3 {
                guard byte == 0x2D else { return false }
            } else {
                guard ValueScan.isDigit(byte) else { return false }
            }
            offset += 1
        }
        return true
    }

    /// "2728501", "〒272-8501", "２７２－８５０１", "272 8501" → "272-8501"; same String when already valid; nil otherwise.
    public static func normalized(_ s: String) -> String? {
        if isValid(s) { return s }
        guard s.utf8.count <= 48 else { return nil }
        var digits: [UInt8] = []
        digits.reserveCapacity(8)
        var sawSeparator = false
        var sawMark = false
        for scalar in Whitespace.trimmed(s).unicodeScalars {
            if let digit = ValueScan.narrowDigit(scalar) {
                guard digits.count < 7 else { return nil }
                digits.append(digit)
            } else if scalar == "〒" && digits.isEmpty && !sawMark {
                sawMark = true
            } else if (scalar == " " || scalar == "\u{3000}") && digits.isEmpty && sawMark {
                continue  // "〒 272-8501"
            } else if ValueScan.isHyphenLike(scalar) || scalar == "ー" || scalar == "ｰ" || scalar == " " || scalar == "\u{3000}" {
                guard digits.count == 3, !sawSeparator else { return nil }
                sawSeparator = true
            } else {
                return nil
            }
        }
        guard digits.count == 7 else { return nil }
        digits.insert(0x2D, at: 3)
        return ValueScan.string(digits)
    }
}
