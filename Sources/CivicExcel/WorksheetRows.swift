public import CivicData
import Foundation

/// A worksheet as rows for `DatasetReader`, held to the デジタル庁 machine-readability rules: the table is found
/// below any title rows, blank spacer columns are skipped, and what breaks the rules becomes a finding with its cell
/// reference (`Sheet1!B12`) instead of a failure: title rows (their text kept in the report), merged cells, hidden
/// rows and columns, blank rows, a second table after the first (its cells kept in the report), values outside the
/// table, numbers stored as text, error values and formulas without a cached value. Nothing is dropped silently.
///
/// The rows come from an .xlsx (`Workbook`) or a legacy .xls (`XLSWorkbook`, through FreeXL). FreeXL does not expose
/// hidden rows and columns, merged cells, error values or formulas, so an .xls it reads gets only the findings judged
/// on the values: title rows, blank spacer columns, blank rows, other tables, values outside the table, numbers as
/// text. An .xls read by Civic's own BIFF8 reader (where FreeXL gives no workbook) gets them all.
public final class WorksheetRows: RowSource {
    /// The workbook's file name, as findings and the report name it.
    public let file: String
    /// `xlsx` or `xls`, the report's source.format.
    public let format: String
    public let sheet: Workbook.Sheet
    public var sheetName: String? { sheet.name }
    private let stream: any SheetRowSource
    private let byteCount: Int?
    private let prefix: String
    private var findings: [Finding] = []
    private var ready: [CSVRow] = []
    private var readyIndex = 0
    private var lookahead: [SheetRow] = []
    private var lookaheadIndex = 0
    /// The sheet column of each table column, and the reverse.
    private let columns: [Int]
    private let positions: [Int: Int]
    private let titleRows: [[String]]
    private let headerRow: Int
    private var lastRow: Int
    private var blankRows: [Int] = []
    private var inOtherTable = false
    /// A row read ahead (to tell a title of another table from a sparse record).
    private var peeked: SheetRow?
    private var finished = false
    private let headerNames: Set<String>

    /// The rows of `sheet` (the first visible one unless named).
    public convenience init(workbook: Workbook, sheet selector: Workbook.SheetSelector = .first) throws {
        let sheet = try workbook.sheet(selector)
        try self.init(
            file: workbook.file,
            format: "xlsx",
            sheet: sheet,
            stream: try SheetStream(workbook: workbook, sheet: sheet),
            byteCount: WorksheetRows.fileSize(workbook)
        )
    }

    /// The rows of a sheet of a legacy .xls (the first one unless named: FreeXL does not tell hidden sheets).
    public convenience init(workbook: XLSWorkbook, sheet selector: Workbook.SheetSelector = .first) throws {
        let sheet = try workbook.sheet(selector)
        try self.init(file: workbook.file, format: "xls", sheet: sheet, stream: try workbook.rows(of: sheet), byteCount: workbook.byteCount)
    }

    private init(file: String, format: String, sheet: Workbook.Sheet, stream: any SheetRowSource, byteCount: Int?) throws {
        self.file = file
        self.format = format
        self.sheet = sheet
        self.byteCount = byteCount
        prefix = CellReference.sheetPrefix(sheet.name)
        self.stream = stream

        // The header: among the first rows, the first with at least half as many cells as the widest of them
        // (and at least two). Rows above it are title rows.
        var rows: [SheetRow] = []
        while rows.count < 30, let row = try stream.next() { rows.append(row) }
        let widest = rows.map(\.cells.count).max() ?? 0
        let headerIndex = rows.firstIndex { $0.cells.count >= max(2, (widest + 1) / 2) } ?? rows.firstIndex { !$0.cells.isEmpty }
        guard let headerIndex else {
            throw DatasetError(code: .empty, message: "the sheet '\(sheet.name)' is empty", file: file, line: 1)
        }
        let header = rows[headerIndex]
        headerRow = header.number
        lastRow = header.number
        var titles: [[String]] = []
        var findings: [Finding] = []
        var metadataRows: [SheetRow] = []
        for row in rows[..<headerIndex] where !row.cells.isEmpty {
            // `#` rows (高松市's #property metadata) go to the reader as a CSV's would.
            if row.cells[0].text.hasPrefix("#") {
                metadataRows.append(row)
                continue
            }
            titles.append(row.cells.map(\.text))
            findings.append(
                Finding(
                    .workbookTitleRows,
                    .warning,
                    line: row.number,
                    cell: prefix + "\(row.number):\(row.number)",
                    message: "a title row above the table's header; its text is kept in the report's source.metadata",
                    before: row.cells.map(\.text).joined(separator: "\t")
                )
            )
        }
        titleRows = titles

        // The table's columns: from the header's first cell to its last. A column blank in the header and in the
        // first data row is a spacer and is skipped; one with data keeps its place (an unnamed column).
        let named = Set(header.cells.map(\.column))
        let first = header.cells.first?.column ?? 0
        let last = header.cells.last?.column ?? 0
        let firstData = rows.dropFirst(headerIndex + 1).first { !$0.cells.isEmpty }
        let dataColumns = Set(firstData?.cells.map(\.column) ?? [])
        var columns: [Int] = []
        for column in first...last {
            if named.contains(column) || dataColumns.contains(column) {
                columns.append(column)
            } else {
                findings.append(
                    Finding(
                        .workbookBlankColumn,
                        .warning,
                        line: header.number,
                        cell: prefix + CellReference.letters(column) + ":" + CellReference.letters(column),
                        message: "column \(CellReference.letters(column)) is blank in the header: a spacer column, skipped"
                    )
                )
            }
        }
        self.columns = columns
        positions = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        headerNames = Set(header.cells.map { Whitespace.trimmed($0.text) })
        self.findings = findings
        lookahead = Array(rows[(headerIndex + 1)...])

        // The header goes out first (after any `#` rows).
        ready = metadataRows.map { dense($0) } + [dense(header)]
    }

    deinit {
        stream.cancel()
    }

    // MARK: RowSource

    public func nextRow() throws -> CSVRow? {
        while true {
            if readyIndex < ready.count {
                defer { readyIndex += 1 }
                return ready[readyIndex]
            }
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            guard let row = try nextSheetRow() else {
                if !finished {
                    finished = true
                    finish()
                }
                return nil
            }
            try consider(row)
        }
    }

    public func takeFindings() -> [Finding] {
        guard !findings.isEmpty else { return [] }
        defer { findings.removeAll(keepingCapacity: true) }
        return findings
    }

    public func describe(headerLine: Int, metadata: [[String]]) -> SourceDescription {
        SourceDescription(
            file: file,
            format: format,
            sheet: sheet.name,
            bytes: byteCount,
            encoding: "UTF-8",
            byteOrderMark: false,
            encodingBasis: "workbook",
            delimiter: "none",
            lineEndings: "none",
            headerLine: headerLine,
            metadata: titleRows + metadata
        )
    }

    public var progress: (read: Int, total: Int?) { (stream.bytesRead, stream.total) }
    public var hasCellReferences: Bool { true }

    public func cellReference(line: Int, column: Int?) -> String? {
        guard let column else { return prefix + "\(line):\(line)" }
        let sheetColumn = column < columns.count ? columns[column] : (columns.last ?? 0) + column - columns.count + 1
        return prefix + CellReference.letters(sheetColumn) + String(line)
    }

    // MARK: Rows

    private func nextSheetRow() throws -> SheetRow? {
        if let row = peeked {
            peeked = nil
            return row
        }
        if lookaheadIndex < lookahead.count {
            defer { lookaheadIndex += 1 }
            return lookahead[lookaheadIndex]
        }
        if !lookahead.isEmpty { lookahead = [] }
        return try stream.next()
    }

    private func consider(_ row: SheetRow) throws {
        if inOtherTable {
            reportOtherTable(row)
            return
        }
        // Rows the XML skips are blank rows.
        if row.number > lastRow + 1 { blankRows += (lastRow + 1)..<row.number }
        lastRow = row.number
        if row.cells.isEmpty {
            // A hidden blank row is still only a blank row.
            blankRows.append(row.number)
            return
        }
        if !blankRows.isEmpty, try startsAnotherTable(row) {
            inOtherTable = true
            blankRows = []
            reportOtherTable(row)
            return
        }
        // Blank rows count only between data rows (trailing ones are not rows at all).
        for number in blankRows { ready.append(CSVRow(line: number, cells: Array(repeating: "", count: columns.count))) }
        blankRows.removeAll(keepingCapacity: true)
        if row.hidden {
            findings.append(
                Finding(
                    .workbookHiddenRow,
                    .warning,
                    line: row.number,
                    cell: prefix + "\(row.number):\(row.number)",
                    message: "a hidden row (read like the others; unhide it)"
                )
            )
        }
        ready.append(dense(row))
    }

    /// After blank rows: a lone text cell (a title) followed by a row of labels, in a table of three or more columns;
    /// a row that repeats the header's names; or cells entirely beside the table start another table. (A sparse
    /// record with one value is not a title: the row after it holds data, not labels.)
    private func startsAnotherTable(_ row: SheetRow) throws -> Bool {
        if row.cells.count == 1, columns.count >= 3, WorksheetRows.isLabel(row.cells[0]) {
            if peeked == nil { peeked = try nextSheetRow() }
            if let next = peeked, next.cells.count >= 2, next.cells.allSatisfy(WorksheetRows.isLabel) { return true }
        }
        let names = row.cells.filter { headerNames.contains(Whitespace.trimmed($0.text)) }.count
        if names * 2 >= row.cells.count && names >= 2 { return true }
        return row.cells.allSatisfy { positions[$0.column] == nil }
    }

    /// Text that is not a number: what headers and titles are made of.
    private static func isLabel(_ cell: SheetCell) -> Bool {
        cell.kind == .text && !NumberValue.isDecimal(Whitespace.trimmed(cell.text))
    }

    private func reportOtherTable(_ row: SheetRow) {
        guard !row.cells.isEmpty else { return }
        findings.append(
            Finding(
                .workbookOtherTable,
                .warning,
                line: row.number,
                cell: prefix + "\(row.number):\(row.number)",
                message: "a second table after blank rows: not read as records; its cells (tab-separated) are kept in this report",
                before: row.cells.map(\.text).joined(separator: "\t")
            )
        )
    }

    /// The row's cells in table order; cells outside the table, errors and formulas without values are findings.
    private func dense(_ row: SheetRow) -> CSVRow {
        var cells = [String](repeating: "", count: columns.count)
        var textNumbers: [Int] = []
        for cell in row.cells {
            let reference = prefix + CellReference.letters(cell.column) + String(row.number)
            guard let position = positions[cell.column] else {
                findings.append(
                    Finding(
                        .workbookOutsideTable,
                        .error,
                        line: row.number,
                        cell: reference,
                        message: "a value outside the table (column \(CellReference.letters(cell.column)) has no header); kept only in this report",
                        before: cell.text
                    )
                )
                continue
            }
            switch cell.kind {
            case .error:
                findings.append(
                    Finding(
                        .workbookErrorValue,
                        .error,
                        line: row.number,
                        cell: reference,
                        message: "an error value (\(cell.text)) instead of data; the cell is read as empty",
                        before: cell.text
                    )
                )
            case .formulaWithoutValue:
                findings.append(
                    Finding(
                        .workbookFormulaWithoutValue,
                        .error,
                        line: row.number,
                        cell: reference,
                        message: "a formula with no stored value (the file was not saved by a spreadsheet program); read as empty",
                        before: cell.text
                    )
                )
            case .text:
                cells[position] = cell.text
                if row.number != headerRow, NumberValue.isDecimal(Whitespace.trimmed(cell.text)) { textNumbers.append(position) }
            default:
                cells[position] = cell.text
            }
        }
        var result = CSVRow(line: row.number, cells: cells)
        result.numbersStoredAsText = textNumbers
        return result
    }

    /// At the end of the sheet: hidden columns of the table and merged ranges.
    private func finish() {
        guard let layout = stream.layout else { return }
        for column in columns where layout.hiddenColumns.contains(column) {
            findings.append(
                Finding(
                    .workbookHiddenColumn,
                    .warning,
                    cell: prefix + CellReference.letters(column) + ":" + CellReference.letters(column),
                    message: "column \(CellReference.letters(column)) is hidden (read like the others; unhide it)"
                )
            )
        }
        for merge in layout.merges {
            let inTitle = merge.last.row < headerRow
            findings.append(
                Finding(
                    .workbookMergedCells,
                    .warning,
                    line: merge.first.row,
                    cell: prefix + merge.text,
                    message: inTitle
                        ? "merged cells in a title row (\(merge.text))"
                        : "merged cells \(merge.text): the value is in the first cell only; the others are read as empty (do not merge cells)"
                )
            )
        }
    }

    private static func fileSize(_ workbook: Workbook) -> Int? {
        switch workbook.location {
        case .url(let url):
            (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue
        case .bytes(let bytes):
            bytes.count
        }
    }
}
