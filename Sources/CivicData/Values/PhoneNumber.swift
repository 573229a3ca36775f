/// 電話番号 / FAX番号 cells: Japanese domestic numbers written with hyphens.
public enum PhoneNumber {
    /// (054)626-1139 or 054(626)1139 → 054-626-1139; full-width digits, hyphens, parentheses → ASCII; spaces between groups → "-"; ends trimmed; same String when already normal; nil unless the result is plausible.
    public static func normalized(_ s: String) -> String? {
        if isPlausible(s) { return s }
        guard s.utf8.count <= 96 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var groups = 0
        var inGroup = false  // the last token was a digit
        var pendingSeparator = false  // a separator (or parenthesis) since the last group
        var parenthesis = ParenthesisState.none
        for scalar in Whitespace.trimmed(s).unicodeScalars {
            if let digit = ValueScan.narrowDigit(scalar) {
                if !inGroup {
                    guard groups == 0 || pendingSeparator else { return nil }
                    if groups > 0 { bytes.append(0x2D) }
                    groups += 1
                    inGroup = true
                    pendingSeparator = false
                    if parenthesis == .opened { parenthesis = .holdsGroup }
                }
                bytes.append(digit)
                guard bytes.count <= 16 else { return nil }
                continue
            }
            switch scalar.value {
            case 0x28, 0xFF08:  // ( （: one pair, enclosing exactly one group
                guard parenthesis == .none else { return nil }
                parenthesis = .opened
            case 0x29, 0xFF09:  // ) ）
                guard parenthesis == .holdsGroup, inGroup else { return nil }
                parenthesis = .closed
            case 0x2D, 0xFF0D, 0x2010...0x2015, 0x2212, 0x30FC, 0xFF70, 0x20, 0x3000:  // hyphens, dashes, ー, spaces
                guard groups > 0, parenthesis != .opened, parenthesis != .holdsGroup else { return nil }
            default:
                return nil
            }
            inGroup = false
            pendingSeparator = true
        }
        // Ends on a digit (no trailing hyphen or parenthesis), with no parenthesis left open.
        guard inGroup, parenthesis == .none || parenthesis == .closed else { return nil }
        let result = ValueScan.string(bytes)
        return isPlausible(result) ? result : nil
    }

    /// Plausible Japanese number: starts with 0 (not 00), 1–3 non-empty digit groups joined by "-", 11 digits for 020/050/060/070/080/090 (incl. 0800), else 10 (0120, 0570, fixed lines).
    public static func isPlausible(_ s: String) -> Bool {
        let utf8 = s.utf8
        guard utf8.count >= 10, utf8.count <= 13 else { return false }
        var digits = 0
        var groups = 1
        var lastWasHyphen = true  // a leading hyphen is an empty group
        var first: UInt8 = 0
        var second: UInt8 = 0
        var third: UInt8 = 0
        for byte in utf8 {
            if byte == 0x2D {
                guard !lastWasHyphen else { return false }
                groups += 1
                lastWasHyphen = true
                continue
            }
            guard ValueScan.isDigit(byte) else { return false }
            switch digits {
            case 0: first = byte
            case 1: second = byte
            case 2: third = byte
            default: break
            }
            digits += 1
            lastWasHyphen = false
        }
        guard !lastWasHyphen, groups <= 3, first == 0x30, second != 0x30 else { return false }
        let isElevenDigitPrefix = third == 0x30 && (second == 0x32 || (0x35...0x39).contains(second))  // 020, 050, 060, 070, 080, 090
        return digits == (isElevenDigitPrefix ? 11 : 10)
    }

    /// Where a parenthesised group stands while scanning.
    private enum ParenthesisState {
        case none, opened, holdsGroup, closed
    }
}
