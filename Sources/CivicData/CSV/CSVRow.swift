/// One record of a CSV file as read, before any interpretation.
public struct CSVRow: Sendable, Equatable {
    /// The 1-based physical line on which the record starts.
    public var line: Int
    public var cells: [String]
    /// The file ended inside a quoted cell: the last cell holds everything up to the end.
    public var hasUnterminatedQuote: Bool

    public init(line: Int, cells: [String], hasUnterminatedQuote: Bool = false) {
        self.line = line
        self.cells = cells
        self.hasUnterminatedQuote = hasUnterminatedQuote
    }

    /// True when every cell is empty (a blank line or a row of bare delimiters).
    public var isBlank: Bool { cells.allSatisfy(\.isEmpty) }
}
