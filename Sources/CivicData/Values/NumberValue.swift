/// Numeric cells (緯度, 経度, counts, 想定収容人数): half-width decimals without exponent or grouping.
public enum NumberValue {
    /// Half-width decimal with optional sign and fraction ("35.681236", "-1", "139"); no exponent, no grouping, no bare "." ends.
    public static func isDecimal(_ s: String) -> Bool {
        var state = DecimalState.start
        for byte in s.utf8 {
            switch (state, byte) {
            case (.start, 0x2B), (.start, 0x2D): state = .sign
            case (.start, _), (.sign, _), (.integer, _):
                if ValueScan.isDigit(byte) {
                    state = .integer
                } else if byte == 0x2E && state == .integer {
                    state = .point
                } else {
                    return false
                }
            case (.point, _), (.fraction, _):
                guard ValueScan.isDigit(byte) else { return false }
                state = .fraction
            }
        }
        return state == .integer || state == .fraction
    }

    /// A whole number: ASCII digits with an optional sign ("12", "-3", "+7").
    public static func isInteger(_ s: String) -> Bool {
        var digits = s.utf8[...]
        if let first = digits.first, first == 0x2B || first == 0x2D { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.allSatisfy(ValueScan.isDigit)
    }

    /// One or more ASCII digits, nothing else.
    public static func isNonNegativeInteger(_ s: String) -> Bool {
        let utf8 = s.utf8
        return !utf8.isEmpty && utf8.allSatisfy(ValueScan.isDigit)
    }

    /// "1,234" → "1234" (only with correct 3-digit grouping), full-width digits, sign, point and comma → ASCII; same String when already a decimal; nil if not a number.
    public static func normalizedDecimal(_ s: String) -> String? {
        if isDecimal(s) { return s }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var sawSign = false
        var sawPoint = false
        var integerDigits = 0  // digits before the point
        var groupDigits = 0  // digits since the last comma
        var commas = 0
        var fractionDigits = 0
        for scalar in s.unicodeScalars {
            if let digit = ValueScan.narrowDigit(scalar) {
                bytes.append(digit)
                if sawPoint {
                    fractionDigits += 1
                } else {
                    integerDigits += 1
                    groupDigits += 1
                    // The first group may not exceed 3 digits once a comma follows; later groups are exactly 3.
                    if commas > 0 && groupDigits > 3 { return nil }
                }
                continue
            }
            switch scalar.value {
            case 0x2B, 0xFF0B, 0x2D, 0xFF0D, 0x2212:  // + ＋ - － −
                guard bytes.isEmpty, !sawSign else { return nil }
                sawSign = true
                bytes.append(scalar.value == 0x2B || scalar.value == 0xFF0B ? 0x2B : 0x2D)
            case 0x2C, 0xFF0C:  // , ，
                guard !sawPoint, groupDigits >= 1, commas > 0 ? groupDigits == 3 : groupDigits <= 3 else { return nil }
                // No leading zero before a grouping comma ("0,123").
                guard commas > 0 || !firstDigitIsZero(bytes) else { return nil }
                commas += 1
                groupDigits = 0
            case 0x2E, 0xFF0E:  // . ．
                guard !sawPoint, integerDigits > 0 else { return nil }
                if commas > 0 && groupDigits != 3 { return nil }
                sawPoint = true
                bytes.append(0x2E)
            default:
                return nil
            }
        }
        guard integerDigits > 0, !sawPoint || fractionDigits > 0 else { return nil }
        if commas > 0 && !sawPoint && groupDigits != 3 { return nil }
        return ValueScan.string(bytes)
    }

    /// True when the first digit written so far is 0.
    private static func firstDigitIsZero(_ bytes: [UInt8]) -> Bool {
        bytes.first(where: ValueScan.isDigit) == 0x30
    }

    /// Where `isDecimal` is in the number.
    private enum DecimalState {
        case start, sign, integer, point, fraction
    }
}
