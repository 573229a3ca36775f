import Foundation

/// Checks one cell against its field and rewrites what is unambiguous, appending a finding for every fix and
/// problem. The rules per kind, and how the constraints (`enum`, `pattern`, `minimum`, `maximum`) are enforced,
/// are listed in `docs/schema-format.md`.
final class CellNormalizer: Sendable {
    let field: Field
    /// The input column as written.
    let column: String
    private let kind: FieldKind
    /// The kind is one of `codeKinds` (looked up once, not per cell).
    private let isCode: Bool
    /// A 番地 column (所在地_番地以下): checked for block numbers Excel made into dates.
    private let isBlockNumber: Bool
    private let allowedValues: [String]?
    private let separator: Character?
    /// `constraints.pattern`, unless the kind's own check already enforces it.
    private let pattern: ValuePattern?
    /// `constraints.minimum`/`maximum` of a numeric field, unless the kind's own check already enforces them.
    private let minimum: Double?
    private let maximum: Double?
    /// Any of `pattern`, `minimum`, `maximum`: one test per cell on the common path.
    private let checksConstraints: Bool

    /// - Throws: `SchemaError.invalidPattern` when the field's pattern is not a regular expression.
    init(field: Field, column: String, schema: String) throws {
        self.field = field
        self.column = column
        kind = field.kind
        isCode = CellNormalizer.codeKinds.contains(field.kind)
        isBlockNumber = field.name.contains("番地")
        allowedValues = field.allowedValues
        separator = field.civic?.separator.flatMap { $0.count == 1 ? Character($0) : nil }
        let constraints = field.constraints
        if let pattern = constraints?.pattern, !CellNormalizer.kindEnforces(pattern: pattern, kind: field.kind) {
            self.pattern = try ValuePattern(pattern, schema: schema, field: field.name)
        } else {
            self.pattern = nil
        }
        let numeric = kind.isNumeric || field.type == "integer" || field.type == "number"
        // 緯度/経度 within ±90/±180 are checked with the pair (which may be swapped) after the cells.
        let coordinateBounds: ClosedRange<Double>? =
            switch kind {
            case .latitude: -90...90
            case .longitude: -180...180
            default: nil
            }
        minimum = constraints?.minimum.flatMap { numeric && $0 > (coordinateBounds?.lowerBound ?? -.infinity) ? $0 : nil }
        maximum = constraints?.maximum.flatMap { numeric && $0 < (coordinateBounds?.upperBound ?? .infinity) ? $0 : nil }
        checksConstraints = pattern != nil || minimum != nil || maximum != nil
    }

    /// Patterns that a kind's own check enforces (or a stricter rule), as the bundled schemas carry them: no regular
    /// expression runs for them. A カナ column's check reports a warning, `kana.notKatakana`, and also admits
    /// ヷ–ヺ and ヽヾ.
    static let patternsEnforcedByKind: [FieldKind: Set<String>] = [
        .municipalityCode: ["^[0-9]{6}$", "^[0-9]{2}$|^[0-9]{5,6}$"],
        .identifier: ["^[0-9A-Za-z]+$"],
        .kana: [#"^[ァ-ヶー・\u3000 0-9０-９A-Za-zＡ-Ｚａ-ｚ（）()]+$"#],
        .postalCode: ["^[0-9]{3}-[0-9]{4}$"],
        .corporateNumber: ["^[0-9]{13}$"],
    ]

    static func kindEnforces(pattern: String, kind: FieldKind) -> Bool {
        patternsEnforcedByKind[kind]?.contains(pattern) == true
    }

    /// - Parameter checkingConstraints: false for a part of a joined field (都道府県名 + 市区町村名): the enum and
    ///   constraints apply to the joined value (`checkJoined`).
    func normalize(_ raw: String, line: Int, into findings: inout [Finding], checkingConstraints: Bool = true) -> String {
        guard !raw.isEmpty else { return raw }
        let firstFinding = findings.count
        var value = raw
        let trimmed = Whitespace.trimmed(value)
        if trimmed.utf8.count != value.utf8.count {
            fix(.cellTrimmed, "removed white space at the ends", &value, trimmed, line, &findings)
            if value.isEmpty { return value }
        }

        if isCode, CellNormalizer.isExponentNotation(value) {
            // 7.25001E+12 in a code column: Excel turned the code into a number and rounded it. Never "fixed".
            problem(
                .cellExponentNotation,
                .error,
                "\(field.name): a code that Excel turned into a number in exponent notation; its digits are lost (keep the column as text)",
                value,
                line,
                &findings
            )
            return value
        }
        switch kind {
        case .municipalityCode: municipalityCode(&value, line, &findings)
        case .identifier: identifier(&value, line, &findings)
        case .latitude, .longitude: coordinate(&value, line, &findings)
        case .kana: kana(&value, line, &findings)
        case .phone: phone(&value, line, &findings)
        case .extension: phoneExtension(&value, line, &findings)
        case .email:
            narrow(&value, line, &findings)
            if !WebAddress.isValidEmail(value) { problem(.emailInvalid, .error, "not an e-mail address", value, line, &findings) }
        case .url:
            if !WebAddress.isValidURL(value) {
                problem(.urlInvalid, .warning, "not an absolute http(s) URL", value, line, &findings)
            }
        case .postalCode: postalCode(&value, line, &findings)
        case .corporateNumber:
            narrow(&value, line, &findings)
            if !CorporateNumber.isValid(value) {
                problem(.corporateNumberInvalid, .error, "法人番号 must be 13 digits with a valid check digit", value, line, &findings)
            }
        case .time: time(&value, line, &findings)
        case .date: date(&value, line, &findings)
        case .weekdays:
            if let reason = Weekdays.problem(in: value) {
                // Reasons that quote a character would put cell content in the message.
                let said = reason.contains("'") ? "a character that is not a day (月火水木金土日祝)" : reason
                problem(.weekdaysInvalid, .warning, "曜日 notation (e.g. 月火水木金): \(said)", value, line, &findings)
            }
        case .flag: flag(&value, line, &findings)
        case .yesNo: yesNo(&value, line, &findings)
        case .integer: number(&value, integer: true, line, &findings)
        case .number: number(&value, integer: false, line, &findings)
        case .altitudeType, .text: text(&value, line, &findings)
        }

        guard checkingConstraints else { return value }
        if checksConstraints, !value.isEmpty {
            // A value the kind already found wrong is not reported again by a constraint.
            let kindFoundProblem = findings[firstFinding...].contains { $0.severity == .error || $0.severity == .warning }
            if !kindFoundProblem { checkConstraints(value, line, &findings) }
        }
        checkEnum(value, line, &findings)
        return value
    }

    /// The constraints and the enum on a joined field's whole value.
    func checkJoined(_ value: String, line: Int, into findings: inout [Finding]) {
        guard !value.isEmpty else { return }
        if checksConstraints { checkConstraints(value, line, &findings) }
        checkEnum(value, line, &findings)
    }

    private func checkEnum(_ value: String, _ line: Int, _ findings: inout [Finding]) {
        if let allowed = allowedValues, kind != .flag, !value.isEmpty, !allowed.contains(value) {
            problem(.cellEnum, field.enumSeverity, "not one of \(allowed.joined(separator: " / "))", value, line, &findings)
        }
    }

    // MARK: Constraints

    /// `pattern` on the whole value; `minimum`/`maximum` on a number (a value that is not one is the kind's to report).
    private func checkConstraints(_ value: String, _ line: Int, _ findings: inout [Finding]) {
        if let pattern, !pattern.matches(value) {
            problem(.cellPattern, .error, "\(field.name) does not match the pattern \(pattern.pattern)", value, line, &findings)
        }
        guard minimum != nil || maximum != nil else { return }
        // Counts (`minimum: 0`, no maximum): a value without a minus sign cannot be below, and needs no parsing.
        if maximum == nil, let minimum, minimum <= 0, value.utf8.first != 0x2D { return }
        guard NumberValue.isDecimal(value), let number = Double(value) else { return }
        // A 緯度 in Japan's 経度 range (or the reverse) is the pair check's: it exchanges a swapped pair, or reports it.
        if kind == .latitude && CoordinateCheck.japanLongitudes.contains(number) { return }
        if kind == .longitude && CoordinateCheck.japanLatitudes.contains(number) { return }
        if let minimum, number < minimum {
            problem(.numberBelowMinimum, .error, "\(field.name) is below the minimum \(CellNormalizer.boundText(minimum))", value, line, &findings)
        } else if let maximum, number > maximum {
            problem(.numberAboveMaximum, .error, "\(field.name) is above the maximum \(CellNormalizer.boundText(maximum))", value, line, &findings)
        }
    }

    /// A bound as the schema would write it: `0`, `5000`, `-12.5`.
    static func boundText(_ bound: Double) -> String {
        bound == bound.rounded() && abs(bound) < 1e15 ? String(Int(bound)) : String(bound)
    }

    // MARK: Kinds

    private func municipalityCode(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        narrow(&value, line, &findings)
        guard value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            problem(.codeFormat, .error, "全国地方公共団体コード must be 6 digits", value, line, &findings)
            return
        }
        switch value.utf8.count {
        case 6:
            if !MunicipalityCode.isValid(value) {
                problem(.codeCheckDigit, .error, "the check digit (6th digit) does not match the first five", value, line, &findings)
            }
        case 5:
            if let full = MunicipalityCode.completing(value) {
                fix(.codeCheckDigitAdded, "5-digit code completed with its check digit", &value, full, line, &findings)
            }
        case 2 where MunicipalityCode.isPrefectureCode(value):
            if let full = MunicipalityCode.completing(value + "000") {
                fix(.codePrefectureExpanded, "2-digit prefecture code written as the prefecture's 6-digit code", &value, full, line, &findings)
            }
        default:
            problem(.codeFormat, .error, "全国地方公共団体コード must be 6 digits", value, line, &findings)
        }
    }

    private func identifier(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        narrow(&value, line, &findings)
        let isAlphanumeric = value.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
        if !isAlphanumeric {
            problem(.cellPattern, .error, "\(field.name) must be 半角英数字 (A–Z, a–z, 0–9)", value, line, &findings)
        }
    }

    private func kana(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        if Kana.containsHalfWidthKatakana(value) {
            fix(.cellHalfWidthKana, "half-width katakana written full-width", &value, Kana.fullWidthKatakana(fromHalfWidth: value), line, &findings)
        }
        if Kana.containsHiragana(value) {
            fix(.kanaHiragana, "hiragana written as katakana", &value, Kana.katakana(fromHiragana: value), line, &findings)
        }
        if let lengthened = CellNormalizer.prolongedSoundMarks(in: value) {
            fix(.kanaProlongedSoundMark, "a dash after katakana written as the prolonged sound mark ー", &value, lengthened, line, &findings)
        }
        if Kana.firstNonKatakana(in: value) != nil {
            problem(.kanaNotKatakana, .warning, "\(field.name) should be 全角カナ; a character is not katakana", value, line, &findings)
        }
    }

    /// 緯度/経度: half-width digits; degrees-minutes-seconds (or spaces inside) written as decimal degrees.
    private func coordinate(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        narrow(&value, line, &findings)
        guard !NumberValue.isDecimal(value), let degrees = Degrees.parse(value) else { return }
        fix(.coordinateDegreesMinutesSeconds, "written as decimal degrees", &value, Degrees.text(degrees), line, &findings)
    }

    private func phone(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        if let normalized = PhoneNumber.normalized(value), normalized != value {
            fix(.phoneFormat, "phone number written as 000-000-0000", &value, normalized, line, &findings)
        }
        if !PhoneNumber.isPlausible(value) {
            problem(.phoneImplausible, .warning, "not a plausible Japanese phone number (0 and 10 or 11 digits)", value, line, &findings)
        }
    }

    private func phoneExtension(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        narrow(&value, line, &findings)
        if !value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            problem(.extensionFormat, .warning, "内線番号 should be digits only", value, line, &findings)
        }
    }

    private func postalCode(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        if PostalCode.isValid(value) { return }
        if let normalized = PostalCode.normalized(value) {
            fix(.postalCodeFormat, "郵便番号 written as 000-0000", &value, normalized, line, &findings)
        } else {
            problem(.postalCodeInvalid, .error, "郵便番号 must be 7 digits (000-0000)", value, line, &findings)
        }
    }

    /// Kinds whose values are codes: digits that must survive exactly.
    static let codeKinds: Set<FieldKind> = [.municipalityCode, .identifier, .corporateNumber, .phone, .extension, .postalCode]

    /// `7.25001E+12`, `1E+05`: a number as Excel shows a long one.
    static func isExponentNotation(_ value: String) -> Bool {
        // Most code cells have no E at all: answered from the bytes, without uppercasing or splitting.
        guard value.utf8.contains(where: { $0 == 0x45 || $0 == 0x65 }) else { return false }
        let parts = value.uppercased().split(separator: "E", omittingEmptySubsequences: false)
        guard parts.count == 2, NumberValue.isDecimal(String(parts[0])) else { return false }
        var exponent = parts[1]
        if exponent.first == "+" { exponent = exponent.dropFirst() }
        return !exponent.isEmpty && exponent.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private func time(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        if TimeValue.isValid(value) { return }
        if let normalized = TimeValue.normalized(value) {
            fix(.timeFormat, "time written as hh:mm", &value, normalized, line, &findings)
        } else if NumberValue.isDecimal(value), value.contains("."), let fraction = Double(value), (0...1).contains(fraction) {
            // Excel keeps a time as the fraction of a day (0.375 is 09:00).
            let minutes = Int((fraction * 1440).rounded())
            fix(
                .timeDayFraction,
                "a fraction of a day (Excel's time) written as hh:mm",
                &value,
                String(format: "%02d:%02d", minutes / 60, minutes % 60),
                line,
                &findings
            )
        } else {
            problem(.timeInvalid, .error, "not a time (hh:mm)", value, line, &findings)
        }
    }

    private func date(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        guard let normalized = DateValue.normalized(value) else {
            problem(.dateInvalid, .error, "not an unambiguous date (YYYY-MM-DD)", value, line, &findings)
            return
        }
        switch normalized.source {
        case .iso: return
        case .excelSerial: fix(.dateExcelSerial, "Excel serial date written as YYYY-MM-DD", &value, normalized.value, line, &findings)
        case .wareki: fix(.dateWareki, "和暦 date written as YYYY-MM-DD", &value, normalized.value, line, &findings)
        case .slashed, .dotted, .kanji: fix(.dateReformatted, "date written as YYYY-MM-DD", &value, normalized.value, line, &findings)
        }
    }

    private func flag(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        if value == "1" { return }
        if let normalized = FlagValue.normalized(value) {
            fix(.flagCircle, "flag written as 1", &value, normalized, line, &findings)
        } else {
            problem(.flagInvalid, .error, "\(field.name) takes 1 or nothing", value, line, &findings)
        }
    }

    private func yesNo(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        switch value {
        case "有", "無": return
        case "あり", "有り", "アリ": fix(.yesNoSynonym, "written as 有", &value, "有", line, &findings)
        case "なし", "無し", "ナシ": fix(.yesNoSynonym, "written as 無", &value, "無", line, &findings)
        default: break
        }
    }

    /// The bounds (counts ≥ 0: `minimum: 0` in the schemas) are constraints, checked after the kind.
    private func number(_ value: inout String, integer: Bool, _ line: Int, _ findings: inout [Finding]) {
        let valid = integer ? NumberValue.isInteger(value) : NumberValue.isDecimal(value)
        if valid { return }
        if let normalized = NumberValue.normalizedDecimal(value) {
            fix(.numberFormat, "number written with half-width digits and no separators", &value, normalized, line, &findings)
        }
        if integer, !NumberValue.isInteger(value) {
            problem(.numberInvalid, .error, "not a whole number", value, line, &findings)
        } else if !integer, !NumberValue.isDecimal(value) {
            problem(.numberInvalid, .error, "not a number", value, line, &findings)
        }
    }

    private func text(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        if isBlockNumber, CellNormalizer.isExcelDate(value) {
            problem(
                .cellExcelDate,
                .warning,
                "\(field.name): a block number that Excel seems to have turned into a date (2-22 shown as 2月22日 or Feb-22); kept as it is — which numbers it was cannot be known for sure",
                value,
                line,
                &findings
            )
        }
        if Kana.containsHalfWidthKatakana(value) {
            fix(.cellHalfWidthKana, "half-width katakana written full-width", &value, Kana.fullWidthKatakana(fromHalfWidth: value), line, &findings)
        }
        guard let separator else { return }
        if value.contains("；") {
            fix(
                .multiValueSeparator,
                "full-width ； written as \(separator)",
                &value,
                value.replacingOccurrences(of: "；", with: String(separator)),
                line,
                &findings
            )
        }
        let parts = value.split(separator: separator, omittingEmptySubsequences: false)
        if parts.count > 1, parts.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            problem(.multiValueEmptyPart, .warning, "an empty value between \(separator) separators", value, line, &findings)
        }
    }

    // MARK: Helpers

    /// 2月22日, Feb-22, 22-Feb: how Excel shows a date it made of a cell like 2-22 (the whole cell, nothing else).
    static func isExcelDate(_ value: String) -> Bool {
        let text = Width.narrowed(value)
        if text.hasSuffix("日"), let month = text.firstIndex(of: "月") {
            let before = text[..<month]
            let after = text[text.index(after: month)..<text.index(before: text.endIndex)]
            return isDayOrMonth(before, upTo: 12) && isDayOrMonth(after, upTo: 31)
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        if monthNames.contains(String(parts[0])) { return isDayOrMonth(parts[1], upTo: 99) }
        return monthNames.contains(String(parts[1])) && isDayOrMonth(parts[0], upTo: 31)
    }

    private static let monthNames: Set<String> = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func isDayOrMonth(_ text: Substring, upTo limit: Int) -> Bool {
        guard (1...2).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text) else { return false }
        return (1...limit).contains(number)
    }

    private static let prolongedSoundMarkDashes: Set<UInt32> = [0x2D, 0xFF0D, 0x2010, 0x2015, 0x2212, 0x2014]

    /// In a reading (カナ) column a dash right after katakana is the prolonged sound mark: センタ- → センター.
    /// Nil when there is none.
    static func prolongedSoundMarks(in value: String) -> String? {
        // Every dash is "-" or starts with byte E2 or EF in UTF-8: most cells have none of them.
        guard value.utf8.contains(where: { $0 == 0x2D || $0 == 0xE2 || $0 == 0xEF }) else { return nil }
        let dashes = prolongedSoundMarkDashes
        var scalars = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        var changed = false
        for scalar in value.unicodeScalars {
            if dashes.contains(scalar.value), let previous, (0x30A1...0x30FA).contains(previous.value) || previous.value == 0x30FC {
                scalars.append("ー")
                changed = true
            } else {
                scalars.append(scalar)
            }
            previous = scalar
        }
        return changed ? String(scalars) : nil
    }

    /// Full-width digits, letters and punctuation to ASCII (codes, numbers, phones, times).
    private func narrow(_ value: inout String, _ line: Int, _ findings: inout [Finding]) {
        guard Width.containsWideASCII(value) || value.unicodeScalars.contains(where: { $0.value == 0x2212 || $0.value == 0x2010 }) else { return }
        let narrowed = Width.narrowed(value)
        if narrowed != value {
            fix(.cellNarrowed, "full-width characters written half-width", &value, narrowed, line, &findings)
        }
    }

    private func fix(_ code: FindingCode, _ message: String, _ value: inout String, _ new: String, _ line: Int, _ findings: inout [Finding]) {
        findings.append(Finding(code, .fixed, line: line, column: column, field: field.name, message: message, before: value, after: new))
        value = new
    }

    private func problem(_ code: FindingCode, _ severity: Severity, _ message: String, _ value: String, _ line: Int, _ findings: inout [Finding]) {
        findings.append(Finding(code, severity, line: line, column: column, field: field.name, message: message, before: value))
    }
}
