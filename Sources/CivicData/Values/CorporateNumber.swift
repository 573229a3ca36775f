/// 法人番号: 13 digits, a check digit followed by the 12-digit 基礎番号 (法人番号の指定等に関する省令 第2条).
public enum CorporateNumber {
    /// 13 ASCII digits whose first digit equals 9 − ((Σ_{n=1…12} Pₙ × Qₙ) mod 9), Pₙ = n-th digit of the base from the right, Qₙ = 1 (odd n) or 2 (even n).
    public static func isValid(_ number: String) -> Bool {
        let utf8 = number.utf8
        guard utf8.count == 13 else { return false }
        var check = -1
        var sum = 0
        // n counts from the right of the 12-digit base: byte offset 12 is n = 1, offset 1 is n = 12.
        var offset = 0
        for byte in utf8 {
            guard ValueScan.isDigit(byte) else { return false }
            let digit = Int(byte &- 0x30)
            if offset == 0 {
                check = digit
            } else {
                let n = 13 - offset
                sum += digit * (n % 2 == 1 ? 1 : 2)
            }
            offset += 1
        }
        return check == 9 - sum % 9
    }

    /// The check digit (1…9) for a 12-digit base (会社法人等番号 or 000020 + 団体コード); nil unless 12 ASCII digits.
    public static func checkDigit(for base: some StringProtocol) -> Character? {
        let utf8 = base.utf8
        guard utf8.count == 12 else { return nil }
        var sum = 0
        var n = 12
        for byte in utf8 {
            guard ValueScan.isDigit(byte) else { return nil }
            sum += Int(byte &- 0x30) * (n % 2 == 1 ? 1 : 2)
            n -= 1
        }
        return Character(Unicode.Scalar(UInt8(0x30 + 9 - sum % 9)))
    }
}
