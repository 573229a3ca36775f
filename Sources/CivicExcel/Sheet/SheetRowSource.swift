/// Where `WorksheetRows` gets a sheet's rows: an .xlsx part streamed (`SheetStream`) or an .xls sheet read through
/// FreeXL (`XLSSheetRows`).
protocol SheetRowSource: AnyObject {
    /// The next row with cells (or a hidden one), in row order; nil at the end of the sheet.
    func next() throws -> SheetRow?
    /// Hidden columns and merged ranges, once the sheet has been read to the end (empty when the format hides them).
    var layout: SheetLayout? { get }
    /// Input bytes consumed so far and the total when known, for progress lines.
    var bytesRead: Int { get }
    var total: Int? { get }
    /// Stops reading (when the rows are dropped before the end).
    func cancel()
}
