/// The first data rows of a file, typed column by column: what the values say when the header does not (a column
/// of 6-digit codes with a valid check digit, of 13-digit 法人番号, of latitudes and longitudes inside Japan, of
/// phone numbers, URLs, dates, times, ○ flags, 有/無 …), and which dataset the values name (避難所 in a 分類 column).
///
/// A column has a kind when every non-empty sampled cell reads as that kind (at least two cells, so one stray value
/// decides nothing). Codes with leading zeros are never integers: they stay text.
public struct ValueSample: Sendable, Equatable {
    /// Rows sampled at most.
    public static let maximumRows = 50

    /// The sampled rows' cells.
    public let rows: [[String]]
    /// Per input column, the kind every sampled value has (nil: mixed, text, or too few values).
    public let kinds: [FieldKind?]

    public init(columns: Int, rows: [[String]]) {
        let sampled = Array(rows.prefix(ValueSample.maximumRows))
        self.rows = sampled
        var kinds: [FieldKind?] = (0..<columns).map { column in
            ValueSample.kind(of: sampled.compactMap { column < $0.count ? $0[column] : nil })
        }
        // Latitude and longitude come in pairs: a lone column of numbers in one range is just a number.
        let hasLatitude = kinds.contains(.latitude)
        let hasLongitude = kinds.contains(.longitude)
        if hasLatitude != hasLongitude {
            for index in kinds.indices where kinds[index] == .latitude || kinds[index] == .longitude { kinds[index] = .number }
        }
        self.kinds = kinds
    }

    /// An empty sample (no rows read yet): types nothing.
    public static let empty = ValueSample(columns: 0, rows: [])

    /// The kinds tried after 有/無 and flags, most specific first: the first that every value has is the column's.
    static let order: [FieldKind] = [
        .corporateNumber, .municipalityCode, .latitude, .longitude, .postalCode, .phone, .url, .email, .date, .time, .integer, .number,
    ]

    /// The kind all of `cells` (the non-empty ones, trimmed and narrowed) have, or nil.
    static func kind(of cells: [String]) -> FieldKind? {
        let values = cells.map { Width.narrowed(Whitespace.trimmed($0)) }.filter { !$0.isEmpty }
        guard values.count >= 2 else { return nil }
        // 有/無 answers; a flag column marks with circles (1/0 alone is a number).
        if values.allSatisfy({ $0 == "有" || $0 == "無" }) { return .yesNo }
        if values.allSatisfy(isFlagLike), values.contains(where: { FlagValue.normalized($0) == "1" && $0 != "1" }) { return .flag }
        return order.first { kind in values.allSatisfy { matches($0, kind) } }
    }

    static func isFlagLike(_ value: String) -> Bool {
        FlagValue.normalized(value) != nil || ["0", "×", "✕", "-", "ー", "－", "無", "有"].contains(value)
    }

    /// True when `value` (trimmed, narrowed) reads as `kind`.
    static func matches(_ value: String, _ kind: FieldKind) -> Bool {
        switch kind {
        case .corporateNumber: value.utf8.count == 13 && CorporateNumber.isValid(value)
        case .municipalityCode: value.utf8.count == 6 && MunicipalityCode.isValid(value)
        case .latitude: coordinate(value, in: 20...46)
        case .longitude: coordinate(value, in: 122...154)
        case .postalCode: PostalCode.isValid(value) || (value.hasPrefix("〒") && PostalCode.normalized(value) != nil)
        case .phone: PhoneNumber.normalized(value) != nil
        case .url: WebAddress.isValidURL(value)
        case .email: WebAddress.isValidEmail(value)
        case .date: DateValue.normalized(value).map { $0.source != .excelSerial } ?? false
        case .time: value.contains(":") && TimeValue.normalized(value) != nil
        case .integer: NumberValue.isInteger(value) && !hasLeadingZero(value)
        case .number: NumberValue.isDecimal(value) && !hasLeadingZero(value)
        default: false
        }
    }

    /// A decimal degree inside Japan's range, with at least three decimals (a whole number is a count, not a place).
    private static func coordinate(_ value: String, in range: ClosedRange<Double>) -> Bool {
        guard NumberValue.isDecimal(value), let point = value.firstIndex(of: "."), value.distance(from: point, to: value.endIndex) > 3,
            let number = Double(value)
        else { return false }
        return range.contains(number)
    }

    /// "007", "01": a code, kept as text.
    private static func hasLeadingZero(_ value: String) -> Bool {
        let digits = value.drop { $0 == "-" || $0 == "+" }
        return digits.count > 1 && digits.first == "0" && digits.dropFirst().first != "."
    }

    /// The dataset whose entries' names end as most values of one column do (病院, 保育園 …, by dataset id): at
    /// least two cells and three quarters of the column's filled ones (a list of 投票所 held mostly, not almost all, in schools is not a school list), the most cells of any column; a bracketed note at the
    /// end (`（分園）`, `(本院)`) is looked past. Nil when no column's values agree.
    func namedByEndings(_ endings: [String: [String]]) -> (dataset: String, column: Int, cells: Int, of: Int)? {
        var best: (dataset: String, column: Int, cells: Int, of: Int)?
        let columns = rows.map(\.count).max() ?? 0
        let datasets = endings.sorted { $0.key < $1.key }
        for column in 0..<columns {
            let cells = rows.compactMap { column < $0.count ? ValueSample.withoutNote(Whitespace.trimmed($0[column])) : nil }.filter { !$0.isEmpty }
            guard cells.count >= 2 else { continue }
            for (dataset, words) in datasets {
                let count = cells.count { cell in words.contains { cell.hasSuffix($0) } }
                guard count >= 2, count * 4 >= cells.count * 3, count > (best?.cells ?? 0) else { continue }
                best = (dataset, column, count, cells.count)
            }
        }
        return best
    }

    /// A name without a bracketed note at its end: 〇〇保育園（分園） → 〇〇保育園.
    private static func withoutNote(_ cell: String) -> String {
        guard let last = cell.last, last == "）" || last == ")", let open = cell.lastIndex(where: { $0 == "（" || $0 == "(" }) else {
            return cell
        }
        return Whitespace.trimmed(String(cell[..<open]))
    }

    /// How many sampled cells mention each dataset by one of its words (the non-ASCII file-name hints: 避難所,
    /// 避難場所, 保育, 文化財 …), by dataset id. Only category-like cells count: short (at most 20 characters) in a
    /// column whose values repeat — a 種別 or 分類 column, not a name or a description.
    func mentions(of hints: [String: [String]]) -> [String: Int] {
        var counts: [String: Int] = [:]
        let columns = rows.map(\.count).max() ?? 0
        for column in 0..<columns {
            let cells = rows.compactMap { column < $0.count ? Whitespace.trimmed($0[column]) : nil }.filter { !$0.isEmpty }
            guard !cells.isEmpty, Set(cells).count * 2 <= cells.count || cells.count == 1 else { continue }
            for cell in cells where cell.count <= 20 && !ValueScan.isASCII(cell) {
                for (dataset, words) in hints where words.contains(where: { cell.contains($0) }) {
                    counts[dataset, default: 0] += 1
                }
            }
        }
        return counts
    }
}
