/// 日付 cells: the ISO `YYYY-MM-DD` check and unambiguous rewrites of the notations real files use.
public enum DateValue {
    /// True for `YYYY-MM-DD` (ASCII) naming a real Gregorian date, years 0001–9999, leap years included.
    public static func isISODate(_ s: String) -> Bool {
        parseISO(s) != nil
    }

    /// Rewrites an unambiguous date to `YYYY-MM-DD`: ISO, Excel serial, 2023/3/31, 2023.3.31, 2023-3-31, 2023年3月31日, 和暦 (令和5年3月31日, R5.3.31); nil otherwise.
    ///
    /// Source `.iso` means the input already is `YYYY-MM-DD` (value == input); every other source is a rewrite.
    ///
    /// Full-width digits and separators are accepted. Day-first, month-first and 2-digit-year forms are ambiguous and give nil.
    /// Excel serials are integers 61…2958465 (1900-03-01 … 9999-12-31), except 1868…2100, which read as years, not dates.
    /// 和暦 dates must fall inside their era: 明治 (from 明治6年1月1日, the Gregorian switch) … 令和.
    public static func normalized(_ s: String) -> DateNormalization? {
        if parseISO(s) != nil { return DateNormalization(value: s, source: .iso) }
        let utf8 = s.utf8
        guard utf8.count <= 48, let first = s.unicodeScalars.first, mayStartDate(narrowed(first)) else { return nil }
        var units: [UInt32] = []
        units.reserveCapacity(utf8.count)
        for scalar in s.unicodeScalars { units.append(narrowed(scalar)) }
        var parser = Parser(units: units)
        guard let (year, month, day, source) = parser.parse(), parser.atEnd else { return nil }
        guard isRealDate(year, month, day) else { return nil }
        return DateNormalization(value: format(year, month, day), source: source)
    }

    // MARK: - Calendar

    /// True when year 1…9999, month 1…12 and day 1…(days in that month).
    static func isRealDate(_ year: Int, _ month: Int, _ day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        return day <= daysIn(month: month, year: year)
    }

    /// Days in a month of the proleptic Gregorian calendar.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 → (year, month, day) (H. Hinnant's civil_from_days).
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// `YYYY-MM-DD` of a day count from 1970-01-01 (proleptic Gregorian): for workbook date serials.
    public static func isoDate(daysSince1970 days: Int) -> String {
        let (year, month, day) = civil(fromDays: days)
        return format(year, month, day)
    }

    /// The day count from 1970-01-01 of a real `YYYY-MM-DD` date (H. Hinnant's days_from_civil), else nil.
    public static func daysSince1970(isoDate s: String) -> Int? {
        guard let (year, month, day) = parseISO(s), isRealDate(year, month, day) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Excel serial 25569 is 1970-01-01 (serial 1 is 1900-01-01; serial 60 is Lotus's 1900-02-29).
    static let excelSerialOfUnixEpoch = 25_569

    /// `YYYY-MM-DD`.
    static func format(_ year: Int, _ month: Int, _ day: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        ValueScan.appendDigits(year, width: 4, to: &bytes)
        bytes.append(0x2D)
        ValueScan.appendDigits(month, width: 2, to: &bytes)
        bytes.append(0x2D)
        ValueScan.appendDigits(day, width: 2, to: &bytes)
        return ValueScan.string(bytes)
    }

    /// (year, month, day) for a valid ASCII `YYYY-MM-DD`, else nil.
    private static func parseISO(_ s: String) -> (Int, Int, Int)? {
        let utf8 = s.utf8
        guard utf8.count == 10 else { return nil }
        var year = 0
        var month = 0
        var day = 0
        var offset = 0
        for byte in utf8 {
            if offset == 4 || offset == 7 {
                guard byte == 0x2D else { return nil }
            } else {
                guard ValueScan.isDigit(byte) else { return nil }
                let digit = Int(byte &- 0x30)
                if offset < 4 {
                    year = year * 10 + digit
                } else if offset < 7 {
                    month = month * 10 + digit
                } else {
                    day = day * 10 + digit
                }
            }
            offset += 1
        }
        return isRealDate(year, month, day) ? (year, month, day) : nil
    }

    /// Full-width digits, letters and ／．－, and dash variants → ASCII; everything else as is.
    private static func narrowed(_ scalar: Unicode.Scalar) -> UInt32 {
        let v = scalar.value
        switch v {
        case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A, 0xFF0D, 0xFF0E, 0xFF0F: return v - 0xFEE0
        case 0x2010...0x2015, 0x2212: return 0x2D
        default: return v
        }
    }

    /// A digit or the first character of an era name.
    @inline(__always)
    private static func mayStartDate(_ unit: UInt32) -> Bool {
        if unit &- 0x30 < 10 { return true }
        return eras.contains { unit == $0.kanji.0 || unit == $0.ligature || unit | 0x20 == UInt32($0.letter) | 0x20 }
    }

    // MARK: - 和暦

    /// A Japanese era: its names, first Gregorian year, and the first and last dates it may be used for (yyyymmdd).
    struct Era {
        var kanji: (UInt32, UInt32)
        var ligature: UInt32
        var letter: UInt8
        var firstYear: Int
        var from: Int
        var through: Int
    }

    /// 明治 (Gregorian dates only, from 明治6年), 大正, 昭和, 平成, 令和.
    static let eras: [Era] = [
        Era(kanji: (0x4EE4, 0x548C), ligature: 0x32FF, letter: 0x52, firstYear: 2019, from: 2019_05_01, through: 9999_12_31),  // 令和 ㋿ R
        Era(kanji: (0x5E73, 0x6210), ligature: 0x337B, letter: 0x48, firstYear: 1989, from: 1989_01_08, through: 2019_04_30),  // 平成 ㍻ H
        Era(kanji: (0x662D, 0x548C), ligature: 0x337C, letter: 0x53, firstYear: 1926, from: 1926_12_25, through: 1989_01_07),  // 昭和 ㍼ S
        Era(kanji: (0x5927, 0x6B63), ligature: 0x337D, letter: 0x54, firstYear: 1912, from: 1912_07_30, through: 1926_12_24),  // 大正 ㍽ T
        Era(kanji: (0x660E, 0x6CBB), ligature: 0x337E, letter: 0x4D, firstYear: 1868, from: 1873_01_01, through: 1912_07_29),  // 明治 ㍾ M
    ]

    // MARK: - Parser

    /// A cursor over narrowed scalar values.
    private struct Parser {
        let units: [UInt32]
        var position = 0

        var atEnd: Bool { position == units.count }

        /// The date fields and notation, or nil when no accepted notation matches from the start.
        mutating func parse() -> (Int, Int, Int, DateNormalization.Source)? {
            guard let first = units.first else { return nil }
            if isDigit(first) {
                let (value, count) = number(maxDigits: 8)
                if atEnd {
                    // Excel serial: an integer without leading zeros.
                    guard first != 0x30, (61...2_958_465).contains(value), !(1868...2100).contains(value) else { return nil }
                    let (y, m, d) = DateValue.civil(fromDays: value - DateValue.excelSerialOfUnixEpoch)
                    return (y, m, d, .excelSerial)
                }
                guard count == 4 else { return nil }
                return monthAndDay(year: value, kanjiSource: .kanji)
            }
            guard let era = era() else { return nil }
            let eraYear: Int
            if eat(0x5143) {  // 元
                eraYear = 1
            } else {
                let (value, count) = number(maxDigits: 2)
                guard count > 0, value > 0 else { return nil }
                eraYear = value
            }
            guard let (y, m, d, _) = monthAndDay(year: era.firstYear + eraYear - 1, kanjiSource: .wareki) else { return nil }
            let ordinal = y * 10000 + m * 100 + d
            guard (era.from...era.through).contains(ordinal) else { return nil }
            return (y, m, d, .wareki)
        }

        /// After a year: `年M月D日`, or `/M/D`, `.M.D`, `-M-D` with one separator throughout.
        mutating func monthAndDay(year: Int, kanjiSource: DateNormalization.Source) -> (Int, Int, Int, DateNormalization.Source)? {
            if eat(0x5E74) {  // 年
                let (month, monthDigits) = number(maxDigits: 2)
                guard monthDigits > 0, eat(0x6708) else { return nil }  // 月
                let (day, dayDigits) = number(maxDigits: 2)
                guard dayDigits > 0, eat(0x65E5) else { return nil }  // 日
                return (year, month, day, kanjiSource)
            }
            guard position < units.count else { return nil }
            let separator = units[position]
            let source: DateNormalization.Source
            switch separator {
            case 0x2F: source = .slashed
            case 0x2E: source = .dotted
            case 0x2D: source = .slashed  // not ISO as written (ISO returned earlier)
            default: return nil
            }
            position += 1
            let (month, monthDigits) = number(maxDigits: 2)
            guard monthDigits > 0, eat(separator) else { return nil }
            let (day, dayDigits) = number(maxDigits: 2)
            guard dayDigits > 0 else { return nil }
            return (year, month, day, kanjiSource == .wareki ? .wareki : source)
        }

        /// Reads an era name (令和, ㋿, R/r …) and returns its era.
        mutating func era() -> Era? {
            let first = units[position]
            for era in DateValue.eras {
                if first == era.ligature || first == UInt32(era.letter) || first == UInt32(era.letter) + 0x20 {
                    position += 1
                    return era
                }
                if first == era.kanji.0, position + 1 < units.count, units[position + 1] == era.kanji.1 {
                    position += 2
                    return era
                }
            }
            return nil
        }

        /// Reads up to `maxDigits` ASCII digits (stopping early at a non-digit); returns the value and digit count.
        mutating func number(maxDigits: Int) -> (Int, Int) {
            var value = 0
            var count = 0
            while position < units.count, count < maxDigits, isDigit(units[position]) {
                value = value * 10 + Int(units[position] - 0x30)
                count += 1
                position += 1
            }
            return (value, count)
        }

        /// Consumes `unit` if it is next.
        mutating func eat(_ unit: UInt32) -> Bool {
            guard position < units.count, units[position] == unit else { return false }
            position += 1
            return true
        }

        /// True for an ASCII digit.
        func isDigit(_ unit: UInt32) -> Bool { unit &- 0x30 < 10 }
    }
}
