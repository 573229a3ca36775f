/// What a cell's number format makes of its number: a date, a time, both, or just a number. Built-in ids as
/// ECMA-376 Part 1 §18.8.30 lists them, plus the Japanese locale's (27–36, 50–58); custom codes by their
/// date and time tokens (y, m, d, e, g; h, s), outside quoted text, brackets and escapes.
enum NumberFormat: Equatable, Sendable {
    case number
    case date
    case time(seconds: Bool)
    case dateTime(seconds: Bool)

    static func builtIn(_ id: Int) -> NumberFormat {
        switch id {
        case 14, 15, 16, 17, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58: .date
        case 18, 20, 32: .time(seconds: false)
        case 19, 21, 33, 45, 46, 47: .time(seconds: true)
        case 22: .dateTime(seconds: false)
        default: .number
        }
    }

    static func custom(_ code: String) -> NumberFormat {
        // The first section (positive numbers) decides.
        var hasDate = false
        var hasMonth = false
        var hasHour = false
        var hasSecond = false
        var inQuote = false
        var inBracket = false
        var bracket = ""
        var previous: Character = " "
        var skipNext = false
        let lowered = code.lowercased()
        if lowered == "general" || lowered == "@" { return .number }
        for character in lowered {
            if skipNext {
                skipNext = false
                continue
            }
            if inQuote {
                if character == "\"" { inQuote = false }
                continue
            }
            if inBracket {
                if character == "]" {
                    inBracket = false
                    // Elapsed time: [h], [mm], [ss].
                    if bracket.allSatisfy({ $0 == "h" }) && !bracket.isEmpty { hasHour = true }
                    if bracket.allSatisfy({ $0 == "s" }) && !bracket.isEmpty { hasSecond = true }
                    if bracket.allSatisfy({ $0 == "m" }) && !bracket.isEmpty { hasHour = true }
                } else {
                    bracket.append(character)
                }
                continue
            }
            switch character {
            case "\"": inQuote = true
            case "[":
                inBracket = true
                bracket = ""
            case "\\", "_", "*": skipNext = true
            case ";": break
            case "y", "d", "g": hasDate = true
            case "e":
                // "e" is the Japanese era year (ggge); "E+"/"e-" is scientific notation.
                hasDate = true
            case "+", "-":
                if previous == "e" { return .number }
            case "h": hasHour = true
            case "s": hasSecond = true
            case "m":
                // m is minutes after h or a colon, else the month (decided at the end if no other date token).
                if !(hasHour || previous == "h" || previous == ":" || previous == "m" && !hasMonth) { hasMonth = true }
            default: break
            }
            if character == ";" { break }
            previous = character
        }
        // "mm:ss": minutes, not a month.
        if hasMonth && !hasDate && !hasHour && hasSecond { hasMonth = false }
        hasDate = hasDate || hasMonth
        if hasDate && (hasHour || hasSecond) { return .dateTime(seconds: hasSecond) }
        if hasDate { return .date }
        if hasHour || hasSecond { return .time(seconds: hasSecond) }
        return .number
    }
}
