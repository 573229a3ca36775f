/// One thing the reader found in a file: where, what, how bad, and (for fixes) before and after.
///
/// Cell values travel in `before`/`after` but are written out only when asked (`--show-values`):
/// municipal files can hold personal data. The exception is a finding whose `before` is the only copy of input cells
/// (`isOnlyCopy`): it is always written, or the cells would be lost.
public struct Finding: Sendable, Codable, Equatable {
    public var code: FindingCode
    public var severity: Severity
    /// The 1-based physical line of the record in the input (nil for file-level findings).
    public var line: Int?
    /// The input column as written in the header.
    public var column: String?
    /// The cell, for workbooks: `Sheet1!B12` (or the row, `Sheet1!12:12`).
    public var cell: String?
    /// The standard field the column maps to, when it maps to one.
    public var field: String?
    /// What was found; never contains cell values.
    public var message: String
    /// The value as read.
    public var before: String?
    /// The value after normalisation.
    public var after: String?

    public init(
        _ code: FindingCode,
        _ severity: Severity,
        line: Int? = nil,
        column: String? = nil,
        cell: String? = nil,
        field: String? = nil,
        message: String,
        before: String? = nil,
        after: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.line = line
        self.column = column
        self.cell = cell
        self.field = field
        self.message = message
        self.before = before
        self.after = after
    }

    /// Codes whose `before` holds input cells that no output column holds: a cell beyond the header, a total or note
    /// row, a workbook value outside the table, a packed "lat,lon" cell that could not be split.
    public static let onlyCopyCodes: Set<FindingCode> = [.rowTooManyCells, .rowTotal, .rowNote, .workbookOutsideTable, .coordinatesUnreadable]

    /// True when `before` is the only copy of input cells (see `onlyCopyCodes`): reports write it whatever
    /// `--show-values` says.
    public var isOnlyCopy: Bool { before != nil && Finding.onlyCopyCodes.contains(code) }

    /// The same finding without cell values.
    public var redacted: Finding {
        var copy = self
        copy.before = nil
        copy.after = nil
        return copy
    }
}
