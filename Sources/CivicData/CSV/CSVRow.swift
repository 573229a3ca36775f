/// One record as read, before any interpretation: a CSV record, or a worksheet row (CivicExcel).
public struct CSVRow: Sendable, Equatable {
    /// The 1-based physical line on which the record starts.
    public var line: Int
    public var cells: [String]
    /// The file ended inside a quoted cell: the last cell holds everything up to the end.
    public var hasUnterminatedQuote: Bool
    /// Worksheet rows: positions of cells stored as text that read as numbers (a finding in numeric columns).
    public var numbersStoredAsText: [Int] = []
    /// GeoJSON features: the feature's geometry (nil when it has none).
    public var geometry: RecordGeometry?
    /// GeoJSON features: the feature's 1-based number in the file.
    public var feature: Int?
    /// The source found an error in the row itself (an unreadable GeoJSON geometry …), reported by the source.
    public var hasSourceError = false

    public init(line: Int, cells: [String], hasUnterminatedQuote: Bool = false) {
        self.line = line
        self.cells = cells
        self.hasUnterminatedQuote = hasUnterminatedQuote
    }

    /// True when every cell is empty (a blank line or a row of bare delimiters).
    public var isBlank: Bool { cells.allSatisfy(\.isEmpty) }

    /// True when the row is a GeoJSON feature (a record, even with no property values).
    public var isFeature: Bool { feature != nil }
}
