/// A date rewritten to `YYYY-MM-DD`, with the notation it was read from.
public struct DateNormalization: Sendable, Equatable {
    /// The notation a date was written in.
    public enum Source: String, Sendable {
        /// Already `YYYY-MM-DD`: `value` is the input itself, nothing to rewrite.
        case iso
        /// An Excel 1900-system serial day number (45016).
        case excelSerial
        /// 2023/3/31, 2023/03/31, and hyphenated dates that are not yet ISO (2023-3-31, full-width digits).
        case slashed
        /// 2023.3.31.
        case dotted
        /// 2023年3月31日.
        case kanji
        /// 和暦: 令和5年3月31日, R5.3.31, H31/4/30.
        case wareki
    }

    /// The date as `YYYY-MM-DD`.
    public var value: String
    /// The notation `value` was read from.
    public var source: Source

    /// Makes a normalisation result.
    public init(value: String, source: Source) {
        self.value = value
        self.source = source
    }
}
