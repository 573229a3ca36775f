import Foundation

/// Angles as municipalities write them in 緯度/経度 cells besides decimal degrees: degrees-minutes-seconds with symbols
/// (`34°03'07.7"N`, `34°3′7.7″`), with kanji (`34度3分7.7秒`, `北緯34度3分7.7秒`, `東経138度19分23.4秒`), or with dots
/// (`N34.05.07.7`: degrees, minutes, seconds). Decimal degrees with spaces inside (`34. 866918`) read too. Nil for
/// anything else — never a guess.
public enum Degrees {
    /// The decimal degrees a cell means, and whether it named a southern or western hemisphere (then negative).
    public static func parse(_ text: String) -> Double? {
        var value = Width.narrowed(Whitespace.trimmed(text))
        guard !value.isEmpty else { return nil }
        var sign = 1.0
        // A hemisphere before or after: N/S/E/W, 北緯/南緯/東経/西経.
        for (marker, negative) in [("北緯", false), ("南緯", true), ("東経", false), ("西経", true)] where value.hasPrefix(marker) {
            value.removeFirst(marker.count)
            if negative { sign = -1 }
        }
        if let first = value.first, "NSEWnsew".contains(first) {
            if "SWsw".contains(first) { sign = -1 }
            value.removeFirst()
        } else if let last = value.last, "NSEWnsew".contains(last) {
            if "SWsw".contains(last) { sign = -1 }
            value.removeLast()
        }
        value = value.trimmingCharacters(in: .whitespaces)
        // Decimal degrees with spaces (of any width) inside.
        let compact = String(value.filter { !$0.isWhitespace })
        if NumberValue.isDecimal(compact), let number = Double(compact) { return sign * number }
        // D M S with symbols or kanji.
        // ° and its look-alikes (˚ º ゜), ′ ’ ＇ for minutes, ″ ” ＂ (or two ') for seconds.
        let separators: Set<Character> = ["°", "度", "'", "′", "’", "＇", "分", "\"", "″", "”", "＂", "秒", "˚", "º", "゜"]
        if value.contains(where: { separators.contains($0) }) {
            var parts: [String] = []
            var current = ""
            for character in value {
                if separators.contains(character) || character.isWhitespace {
                    if !current.isEmpty { parts.append(current) }
                    current = ""
                } else {
                    current.append(character)
                }
            }
            if !current.isEmpty { parts.append(current) }
            return combine(parts).map { sign * $0 }
        }
        // N34.05.07.7: degrees.minutes.seconds(.fraction) — three dots at least, and only with a hemisphere letter
        // (34.05.07 alone could be a date).
        let dotted = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if dotted.count >= 3, text.contains(where: { "NSEWnsew北南東西".contains($0) }) {
            let seconds = dotted.count > 3 ? dotted[2] + "." + dotted[3...].joined() : dotted[2]
            return combine([dotted[0], dotted[1], seconds]).map { sign * $0 }
        }
        return nil
    }

    /// Degrees, minutes and seconds (minutes and seconds optional, each below 60) as decimal degrees.
    private static func combine(_ parts: [String]) -> Double? {
        guard (1...3).contains(parts.count), parts.allSatisfy(NumberValue.isDecimal) else { return nil }
        let numbers = parts.compactMap(Double.init)
        guard numbers.count == parts.count, numbers.allSatisfy({ $0 >= 0 }) else { return nil }
        if numbers.count > 1 && numbers[1] >= 60 { return nil }
        if numbers.count > 2 && numbers[2] >= 60 { return nil }
        // Only the last part may have a fraction (34.5°30' is not an angle).
        if parts.dropLast().contains(where: { $0.contains(".") }) { return nil }
        return numbers[0] + (numbers.count > 1 ? numbers[1] / 60 : 0) + (numbers.count > 2 ? numbers[2] / 3600 : 0)
    }

    /// Decimal degrees as written back into a cell: 7 decimals (about 1 cm), trailing zeros dropped.
    public static func text(_ degrees: Double) -> String {
        var text = String(format: "%.7f", degrees)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
