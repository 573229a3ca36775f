/// How far a workbook may go before Civic refuses it: the defences against zip bombs and oversized tables. Sizes are
/// counted as the parts inflate (the sizes a ZIP header claims are not trusted).
public struct WorkbookLimits: Sendable, Equatable {
    /// The largest a worksheet part may inflate to (it is streamed, so this bounds time, not memory).
    public var maximumSheetBytes: Int = 4 << 30
    /// The largest any other part may inflate to (read whole: workbook, relationships, styles, shared strings), and
    /// the largest .xls file (FreeXL reads it whole).
    public var maximumPartBytes: Int = 512 << 20
    /// Inflated : compressed beyond which a part is a zip bomb, once it has passed `ratioThresholdBytes`.
    public var maximumRatio: Int = 200
    public var ratioThresholdBytes: Int = 16 << 20
    /// The most shared strings (Excel's own limit is 32,767 characters per string; tables past millions are hostile).
    public var maximumSharedStrings: Int = 16_000_000
    /// The largest column and row numbers Excel allows (XFD, 1,048,576).
    public var maximumColumn: Int = 16_384
    public var maximumRow: Int = 1_048_576

    public init() {}
}
