import CivicData

/// How cell numbers become text: dates and times from their serial numbers (1900 and 1904 date systems) as
/// YYYY-MM-DD, hh:mm and YYYY-MM-DDThh:mm; other numbers in their shortest exact decimal form, never in exponent form.
enum CellValues {
    /// The text of a date/time serial, or nil when it is not one (negative, or past 9999-12-31).
    static func dateText(serial: Double, format: NumberFormat, date1904: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        let time: String
        switch format {
        case .time(let withSeconds), .dateTime(let withSeconds):
            time = two(seconds / 3600) + ":" + two(seconds / 60 % 60) + (withSeconds ? ":" + two(seconds % 60) : "")
        default:
            time = ""
        }
        if case .time = format { return time }
        let date: String
        if date1904 {
            date = civil(daysSince1970: days + daysFrom1970To1904)
        } else if days == 60 {
            // Excel's 1900 leap-year bug: serial 60 is 29 February 1900, which never was.
            date = "1900-02-29"
        } else if days == 0 {
            date = "1900-01-00"
        } else {
            // 1 = 1900-01-01; from 61 on, one day less (the fictitious 29 February).
            date = civil(daysSince1970: days + (days < 60 ? daysFrom1970To1899Dec31 : daysFrom1970To1899Dec30))
        }
        if case .dateTime = format { return date + "T" + (time.count == 5 ? time + ":00" : time) }
        return date
    }

    private static let daysFrom1970To1904 = -24_107
    private static let daysFrom1970To1899Dec31 = -25_568
    private static let daysFrom1970To1899Dec30 = -25_569

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func civil(daysSince1970 days: Int) -> String { DateValue.isoDate(daysSince1970: days) }

    /// A stored number (`<v>` text) as people read it: integers without ".0", others in the shortest form that
    /// reads back to the same double (Excel stores up to 17 digits: 34.866917999999998 is 34.866918).
    static func numberText(_ raw: String) -> String {
        guard let value = Double(raw), value.isFinite else { return raw }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let shortest = "\(value)"
        guard let e = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return shortest }
        // Exponent form (1e-07, 1.5e+20): written out as a plain decimal.
        let mantissa = shortest[..<e]
        guard let exponent = Int(shortest[shortest.index(after: e)...]) else { return shortest }
        let negative = mantissa.hasPrefix("-")
        let digitsPart = negative ? mantissa.dropFirst() : mantissa[...]
        let pieces = digitsPart.split(separator: ".", maxSplits: 1)
        let integer = String(pieces[0])
        let fraction = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = integer + fraction
        var point = integer.count + exponent
        if point <= 0 {
            digits = String(repeating: "0", count: -point + 1) + digits
            point = 1
        } else if point > digits.count {
            digits += String(repeating: "0", count: point - digits.count)
        }
        var text = String(digits.prefix(point))
        let rest = digits.dropFirst(point)
        if !rest.isEmpty { text += "." + rest }
        while text.hasPrefix("0"), text.count > 1, !text.hasPrefix("0.") { text.removeFirst() }
        return (negative ? "-" : "") + text
    }
}
