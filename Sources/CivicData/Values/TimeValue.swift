/// 時刻 cells (開始時間, 終了時間): `hh:mm`, 00:00 … 24:00.
public enum TimeValue {
    /// True for ASCII `hh:mm` with hh 00…23 and mm 00…59, or exactly `24:00` (an end time).
    public static func isValid(_ s: String) -> Bool {
        let utf8 = s.utf8
        guard utf8.count == 5 else { return false }
        var digits = (0, 0, 0, 0)
        var offset = 0
        for byte in utf8 {
            if offset == 2 {
                guard byte == 0x3A else { return false }
            } else {
                guard ValueScan.isDigit(byte) else { return false }
                let digit = Int(byte &- 0x30)
                switch offset {
                case 0: digits.0 = digit
                case 1: digits.1 = digit
                case 3: digits.2 = digit
                default: digits.3 = digit
                }
            }
            offset += 1
        }
        return isTime(hour: digits.0 * 10 + digits.1, minute: digits.2 * 10 + digits.3)
    }

    /// Rewrites to `hh:mm`: 8:30 → 08:30, full-width digits and colon, 9時30分 / 9時 / 9時半, hh:mm:00 → hh:mm; same String when already valid; nil if not an unambiguous time.
    public static func normalized(_ s: String) -> String? {
        if isValid(s) { return s }
        guard s.utf8.count <= 36, let first = s.unicodeScalars.first, ValueScan.isAnyWidthDigit(first) else { return nil }
        var units: [UInt32] = []
        units.reserveCapacity(12)
        for scalar in s.unicodeScalars {
            guard units.count < 12 else { return nil }
            if let digit = ValueScan.narrowDigit(scalar) {
                units.append(UInt32(digit))
            } else if scalar.value == 0xFF1A {  // ：
                units.append(0x3A)
            } else {
                units.append(scalar.value)
            }
        }
        var position = 0
        func digits(max: Int) -> (Int, Int) {
            var value = 0
            var count = 0
            while position < units.count, count < max, units[position] &- 0x30 < 10 {
                value = value * 10 + Int(units[position] - 0x30)
                count += 1
                position += 1
            }
            return (value, count)
        }
        func eat(_ unit: UInt32) -> Bool {
            guard position < units.count, units[position] == unit else { return false }
            position += 1
            return true
        }
        let (hour, hourDigits) = digits(max: 2)
        guard hourDigits > 0 else { return nil }
        var minute = 0
        if eat(0x3A) {
            let (value, count) = digits(max: 2)
            guard count == 2 else { return nil }
            minute = value
            if eat(0x3A) {
                let (seconds, secondDigits) = digits(max: 2)
                guard secondDigits == 2, seconds == 0 else { return nil }
            }
        } else if eat(0x6642) {  // 時
            if eat(0x534A) {  // 半
                minute = 30
            } else {
                let (value, count) = digits(max: 2)
                if count > 0 {
                    guard eat(0x5206) else { return nil }  // 分
                    minute = value
                }
            }
        } else {
            return nil
        }
        guard position == units.count, isTime(hour: hour, minute: minute) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(5)
        ValueScan.appendDigits(hour, width: 2, to: &bytes)
        bytes.append(0x3A)
        ValueScan.appendDigits(minute, width: 2, to: &bytes)
        return ValueScan.string(bytes)
    }

    /// 00:00 … 23:59, plus 24:00.
    @inline(__always)
    private static func isTime(hour: Int, minute: Int) -> Bool {
        (hour < 24 && minute < 60) || (hour == 24 && minute == 0)
    }
}
