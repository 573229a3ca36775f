/// 全国地方公共団体コード: the 5-digit JIS X 0401/0402 code plus its mod-11 check digit (6 digits in all).
public enum MunicipalityCode {
    /// Check digit for 5 ASCII digits: (11 − (6d1+5d2+4d3+3d4+2d5) mod 11) mod 10. nil if not 5 ASCII digits.
    public static func checkDigit(for fiveDigits: some StringProtocol) -> Character? {
        guard let digit = checkDigitValue(fiveDigits.utf8, length: 5) else { return nil }
        return Character(Unicode.Scalar(UInt8(0x30 + digit)))
    }

    /// 6 ASCII digits whose last digit is the check digit of the first five (e.g. 011002 札幌市, 222127 焼津市).
    public static func isValid(_ code: String) -> Bool {
        let utf8 = code.utf8
        guard utf8.count == 6, let last = utf8.last, ValueScan.isDigit(last),
            let digit = checkDigitValue(utf8, length: 6)
        else { return false }
        return Int(last &- 0x30) == digit
    }

    /// Appends the check digit to a 5-digit code ("38201" → "382019"); nil unless exactly 5 ASCII digits.
    public static func completing(_ fiveDigits: String) -> String? {
        guard let digit = checkDigitValue(fiveDigits.utf8, length: 5) else { return nil }
        var bytes = Array(fiveDigits.utf8)
        bytes.append(UInt8(0x30 + digit))
        return ValueScan.string(bytes)
    }

    /// True for a 2-digit JIS X 0401 prefecture code, "01" (北海道) … "47" (沖縄県).
    public static func isPrefectureCode(_ code: String) -> Bool {
        let utf8 = code.utf8
        guard utf8.count == 2, let first = utf8.first, let last = utf8.last,
            ValueScan.isDigit(first), ValueScan.isDigit(last)
        else { return false }
        let value = Int(first &- 0x30) * 10 + Int(last &- 0x30)
        return (1...47).contains(value)
    }

    /// The check digit of the first five bytes of `utf8`, which must hold exactly `length` bytes, the first five ASCII digits.
    @inline(__always)
    static func checkDigitValue(_ utf8: some Collection<UInt8>, length: Int) -> Int? {
        guard utf8.count == length else { return nil }
        var sum = 0
        var weight = 6
        for byte in utf8.prefix(5) {
            guard ValueScan.isDigit(byte) else { return nil }
            sum += Int(byte &- 0x30) * weight
            weight -= 1
        }
        return (11 - sum % 11) % 10
    }
}
