/// One worksheet row as stored: its number, whether it is hidden, and its non-empty cells in column order.
struct SheetRow: Sendable {
    var number: Int
    var hidden: Bool
    var cells: [SheetCell]
}

/// One cell's value as text, and what it was stored as.
struct SheetCell: Sendable {
    enum Kind: Sendable, Equatable {
        /// A shared, inline or formula string.
        case text
        case number
        /// A number with a date or time format, turned into text.
        case date
        case boolean
        /// An error value such as #N/A (the text).
        case error
        /// A formula with no cached value: `text` is the formula.
        case formulaWithoutValue
    }

    /// 0-based column.
    var column: Int
    var text: String
    var kind: Kind
}

/// What a worksheet part says besides its rows: hidden columns and merged ranges (after the rows, in the XML).
struct SheetLayout: Sendable {
    /// 0-based hidden columns.
    var hiddenColumns: Set<Int> = []
    /// Merged ranges as written (`A1:F1`) with their corners.
    var merges: [(text: String, first: (column: Int, row: Int), last: (column: Int, row: Int))] = []
}
