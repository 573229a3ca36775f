/// What a column holds, which decides how its cells are checked and normalised.
///
/// Each kind stands for a rule of the standard (see `docs/schema-format.md`).
public enum FieldKind: String, Sendable, Codable, Hashable, CaseIterable {
    /// 全国地方公共団体コード: 6 digits with a JIS X 0401/0402 check digit.
    case municipalityCode
    /// ID / NO: 半角英数字, unique within the file.
    case identifier
    case latitude
    case longitude
    /// 全角カナ.
    case kana
    case phone
    /// 内線番号.
    case `extension`
    case email
    case url
    /// 郵便番号 ddd-dddd.
    case postalCode
    /// 法人番号: 13 digits with a check digit.
    case corporateNumber
    /// hh:mm.
    case time
    /// YYYY-MM-DD.
    case date
    /// 曜日 notation such as 月火水木金.
    case weekdays
    /// "1" or empty (災害種別_*, 指定避難所との重複).
    case flag
    /// 有 / 無.
    case yesNo
    case integer
    case number
    /// 高度の種別: 階数 / 標高 / 地表高.
    case altitudeType
    case text

    /// Integer, number, 緯度, 経度: written as JSON numbers and workbook numbers.
    public var isNumeric: Bool {
        switch self {
        case .integer, .number, .latitude, .longitude: true
        default: false
        }
    }

    /// The kind of a field without `civic.kind`: `integer` and `number` from the Frictionless type, `text` otherwise.
    public init(frictionlessType type: String) {
        switch type {
        case "integer": self = .integer
        case "number": self = .number
        default: self = .text
        }
    }
}
