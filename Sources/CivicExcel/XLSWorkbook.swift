internal import CFreeXL
public import Foundation

/// A legacy Excel workbook (.xls: BIFF8, or older BIFF in an OLE2 compound file) opened through FreeXL, the library
/// GDAL's XLS driver uses. Owns one FreeXL handle (`freexl_open`, closed by `freexl_close` in `deinit`). FreeXL reads
/// the whole workbook when it opens it; sheets are then selected (`freexl_select_active_worksheet`) and their cells
/// read one by one (`freexl_get_cell_value`).
///
/// What FreeXL does not tell: hidden sheets, rows and columns, merged cells, formulas (only their cached values),
/// error values and booleans (read as numbers), and number formats other than dates and times. Those findings of the
/// .xlsx reader cannot be made for an .xls read by FreeXL.
///
/// When FreeXL answers FREEXL_OK without a workbook (its shared-string parser gives up on an empty string), the file
/// is read by Civic's own BIFF8 reader instead (`BIFFWorkbook`, `readByCivic`), which tells all of the above.
///
/// ```swift
/// let workbook = try XLSWorkbook(url: url)
/// let rows = try WorksheetRows(workbook: workbook, sheet: .first)
/// let reader = try DatasetReader(rows: rows, name: url.lastPathComponent)
/// ```
public final class XLSWorkbook {
    public let file: String
    /// The sheets in the workbook's order (`hidden` is always false when FreeXL reads the file: it does not say).
    public let sheets: [Workbook.Sheet]
    /// The 1904 date system (FreeXL applies it itself when it turns dates into text).
    public let date1904: Bool
    /// The size of the file, in bytes.
    public let byteCount: Int
    let limits: WorkbookLimits
    /// Who reads the cells: FreeXL (its handle), or, for the BIFF8 files FreeXL gives no workbook for, Civic's own
    /// BIFF8 reader (`BIFFWorkbook`).
    private let reader: Reader
    private enum Reader {
        case freeXL(UnsafeRawPointer)
        case biff(BIFFWorkbook)
    }

    /// True when FreeXL gave no workbook and Civic's own BIFF8 reader reads the file (docs/excel.md).
    public var readByCivic: Bool {
        if case .biff = reader { return true }
        return false
    }

    /// The OLE2 compound-file signature every .xls starts with.
    public static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Opens an .xls file (`freexl_open`).
    public convenience init(url: URL, name: String? = nil, limits: WorkbookLimits = WorkbookLimits()) throws {
        let name = name ?? url.relativePath
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        try self.init(path: url.path, name: name, byteCount: size, limits: limits)
    }

    /// An .xls in memory (standard input, tests): FreeXL reads only paths, so the bytes go to a temporary file that
    /// is removed once FreeXL has read it.
    public convenience init(bytes: [UInt8], name: String, limits: WorkbookLimits = WorkbookLimits()) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("civic-\(UUID().uuidString).xls")
        do {
            try Data(bytes).write(to: url)
        } catch {
            throw WorkbookError(.unreadable, file: name, message: "could not write a temporary copy for FreeXL: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: url) }
        try self.init(path: url.path, name: name, byteCount: bytes.count, limits: limits)
    }

    private init(path: String, name: String, byteCount: Int, limits: WorkbookLimits) throws {
        file = name
        self.byteCount = byteCount
        self.limits = limits
        // FreeXL reads the whole workbook into memory at open: a file past the part limit is refused before.
        guard byteCount <= limits.maximumPartBytes else {
            throw WorkbookError(.tooLarge, file: name, message: "\(byteCount) bytes, more than the \(limits.maximumPartBytes) an .xls may have")
        }
        var opened: UnsafeRawPointer?
        let status = freexl_open(path, &opened)
        guard status == FREEXL_OK else {
            if let opened { freexl_close(opened) }
            throw XLSWorkbook.error(status, file: name, doing: "not a readable .xls workbook")
        }
        guard let opened else {
            // FreeXL 1.0.6 answers FREEXL_OK without a handle when its BIFF parser gives up half-way (its shared-string
            // parser does on an empty string, as in a genuine Excel file from 宇部市): Civic's BIFF8 reader takes over.
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw WorkbookError(.unreadable, file: name, message: "cannot read the file: \(error)")
            }
            let biff = try BIFFWorkbook(bytes: bytes, file: name, limits: limits)
            reader = .biff(biff)
            date1904 = biff.date1904
            sheets = biff.sheets.enumerated().map { index, sheet in
                Workbook.Sheet(name: sheet.name, part: "sheet \(index + 1)", hidden: sheet.hidden)
            }
            guard !sheets.isEmpty else { throw WorkbookError(.invalidContent, file: name, message: "the workbook lists no worksheet") }
            return
        }
        reader = .freeXL(opened)

        var count: UInt32 = 0
        var mode: UInt32 = 0
        let countStatus = freexl_get_info(opened, UInt16(FREEXL_BIFF_SHEET_COUNT), &count)
        _ = freexl_get_info(opened, UInt16(FREEXL_BIFF_DATEMODE), &mode)
        date1904 = mode == UInt32(FREEXL_BIFF_DATEMODE_1904)
        var sheets: [Workbook.Sheet] = []
        if countStatus == FREEXL_OK {
            for index in 0..<min(count, UInt32(UInt16.max)) {
                var name: UnsafePointer<CChar>?
                let nameStatus = freexl_get_worksheet_name(opened, UInt16(index), &name)
                let text = nameStatus == FREEXL_OK ? name.map { String(cString: $0) } : nil
                sheets.append(Workbook.Sheet(name: text ?? "Sheet\(index + 1)", part: "sheet \(index + 1)", hidden: false))
            }
        }
        self.sheets = sheets
        guard !sheets.isEmpty else {
            throw WorkbookError(.invalidContent, file: name, message: "the workbook lists no worksheet")
        }
    }

    deinit {
        if case .freeXL(let handle) = reader { freexl_close(handle) }
    }

    /// The sheet `selector` names (the first one by default: FreeXL does not tell hidden sheets).
    public func sheet(_ selector: Workbook.SheetSelector) throws -> Workbook.Sheet {
        try Workbook.sheet(selector, in: sheets, file: file)
    }

    /// True when the file starts with the OLE2 compound-file signature (whatever its extension).
    public static func isXLS(_ url: URL) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return false }
        defer { try? handle.close() }
        return Array(handle.readData(ofLength: 8)) == signature
    }

    /// The rows of a sheet: selects it (`freexl_select_active_worksheet`) and reads its dimensions.
    func rows(of sheet: Workbook.Sheet) throws -> any SheetRowSource {
        guard let index = sheets.firstIndex(of: sheet) else {
            throw WorkbookError(.noSuchSheet, file: file, message: "no sheet '\(sheet.name)'")
        }
        let handle: UnsafeRawPointer
        switch reader {
        case .biff(let biff):
            let (rows, layout) = try biff.cells(of: biff.sheets[index], limits: limits)
            return BIFFSheetRows(rows: rows, layout: layout, byteCount: byteCount)
        case .freeXL(let opened):
            handle = opened
        }
        let status = freexl_select_active_worksheet(handle, UInt16(index))
        guard status == FREEXL_OK else { throw XLSWorkbook.error(status, file: file, doing: "sheet '\(sheet.name)' cannot be selected") }
        var rows: UInt32 = 0
        var columns: UInt16 = 0
        let dimensions = freexl_worksheet_dimensions(handle, &rows, &columns)
        guard dimensions == FREEXL_OK else { throw XLSWorkbook.error(dimensions, file: file, doing: "sheet '\(sheet.name)' has no dimensions") }
        guard Int(rows) <= limits.maximumRow, Int(columns) <= limits.maximumColumn else {
            throw WorkbookError(
                .tooLarge,
                file: file,
                part: sheet.part,
                message: "the sheet claims \(rows) rows and \(columns) columns, beyond Excel's"
            )
        }
        return XLSSheetRows(workbook: self, handle: handle, sheet: sheet, rows: Int(rows), columns: Int(columns))
    }

    /// One cell of the active sheet (`freexl_get_cell_value`), as the .xlsx reader would give it.
    func cell(_ handle: UnsafeRawPointer, row: Int, column: Int) throws -> SheetCell? {
        var value = FreeXL_CellValue()
        let status = freexl_get_cell_value(handle, UInt32(row), UInt16(column), &value)
        guard status == FREEXL_OK else {
            throw XLSWorkbook.error(status, file: file, doing: "cell \(CellReference.letters(column))\(row + 1) cannot be read")
        }
        let text: String
        let kind: SheetCell.Kind
        switch Int32(value.type) {
        case FREEXL_CELL_INT:
            (text, kind) = (String(value.value.int_value), .number)
        case FREEXL_CELL_DOUBLE:
            (text, kind) = (CellValues.numberText("\(value.value.double_value)"), .number)
        case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT:
            guard let pointer = value.value.text_value else { return nil }
            (text, kind) = (String(cString: pointer), .text)
        case FREEXL_CELL_DATE, FREEXL_CELL_DATETIME, FREEXL_CELL_TIME:
            guard let pointer = value.value.text_value else { return nil }
            (text, kind) = (XLSWorkbook.dateText(String(cString: pointer), type: Int32(value.type)), .date)
        default:
            return nil
        }
        return text.isEmpty ? nil : SheetCell(column: column, text: text, kind: kind)
    }

    /// FreeXL's `YYYY-MM-DD`, `YYYY-MM-DD hh:mm:ss` and `hh:mm:ss` in the .xlsx reader's forms: `YYYY-MM-DDThh:mm:ss`,
    /// and `hh:mm` for times on the minute (FreeXL does not tell whether the format shows seconds).
    static func dateText(_ text: String, type: Int32) -> String {
        switch type {
        case FREEXL_CELL_DATETIME:
            return text.replacingOccurrences(of: " ", with: "T")
        case FREEXL_CELL_TIME where text.count == 8 && text.hasSuffix(":00"):
            return String(text.prefix(5))
        default:
            return text
        }
    }

    static func error(_ status: Int32, file: String, doing message: String) -> WorkbookError {
        let reason: String
        let code: WorkbookError.Code
        switch status {
        case FREEXL_FILE_NOT_FOUND:
            (code, reason) = (.unreadable, "file not found")
        case FREEXL_INSUFFICIENT_MEMORY:
            (code, reason) = (.tooLarge, "not enough memory")
        case FREEXL_INVALID_CFBF_HEADER, FREEXL_CFBF_INVALID_SIGNATURE, FREEXL_CFBF_INVALID_SECTOR_SIZE:
            (code, reason) = (.notAnXLS, "the OLE2 compound-file header is damaged")
        case FREEXL_CFBF_READ_ERROR, FREEXL_CFBF_SEEK_ERROR:
            (code, reason) = (.notAnXLS, "the file is truncated or damaged (read error)")
        case FREEXL_CFBF_EMPTY_FAT_CHAIN, FREEXL_CFBF_ILLEGAL_FAT_ENTRY, FREEXL_INVALID_MINI_STREAM, FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
            (code, reason) = (.notAnXLS, "the compound file's allocation tables are damaged")
        case FREEXL_BIFF_INVALID_BOF, FREEXL_BIFF_WORKBOOK_NOT_FOUND:
            (code, reason) = (.notAnXLS, "no BIFF workbook stream in the compound file")
        case FREEXL_BIFF_INVALID_SST, FREEXL_BIFF_ILLEGAL_SST_INDEX:
            (code, reason) = (.invalidContent, "the shared string table is damaged")
        case FREEXL_CRAFTED_FILE:
            (code, reason) = (.invalidContent, "a severely damaged (possibly crafted) file")
        case FREEXL_UNSUPPORTED_CHARSET, FREEXL_INVALID_CHARACTER:
            (code, reason) = (.invalidContent, "text in an unsupported or invalid character set")
        default:
            (code, reason) = (.invalidContent, "FreeXL error \(status)")
        }
        return WorkbookError(code, file: file, message: "\(message): \(reason)")
    }
}

@available(*, unavailable)  // one FreeXL handle, with an active sheet: confined to one thread
extension XLSWorkbook: Sendable {}

/// A sheet's rows read from FreeXL's in-memory cells, row by row, as `WorksheetRows` takes them. FreeXL holds no
/// hidden rows or columns and no merged ranges, so `layout` is empty.
final class XLSSheetRows: SheetRowSource {
    private let workbook: XLSWorkbook
    private let handle: UnsafeRawPointer
    private let sheet: Workbook.Sheet
    private let rowCount: Int
    private let columnCount: Int
    private var row = 0

    init(workbook: XLSWorkbook, handle: UnsafeRawPointer, sheet: Workbook.Sheet, rows: Int, columns: Int) {
        self.workbook = workbook
        self.handle = handle
        self.sheet = sheet
        rowCount = rows
        columnCount = columns
    }

    func next() throws -> SheetRow? {
        while row < rowCount {
            defer { row += 1 }
            var cells: [SheetCell] = []
            for column in 0..<columnCount {
                if let cell = try workbook.cell(handle, row: row, column: column) { cells.append(cell) }
            }
            if !cells.isEmpty { return SheetRow(number: row + 1, hidden: false, cells: cells) }
        }
        return nil
    }

    var layout: SheetLayout? { SheetLayout() }
    var bytesRead: Int { rowCount == 0 ? workbook.byteCount : workbook.byteCount * row / rowCount }
    var total: Int? { workbook.byteCount }
    func cancel() {}
}

/// A sheet's rows read by `BIFFWorkbook` (all at once: an .xls is read whole), with its hidden rows and its layout
/// (hidden columns, merged ranges).
final class BIFFSheetRows: SheetRowSource {
    private let rows: [SheetRow]
    private let sheetLayout: SheetLayout
    private let byteCount: Int
    private var index = 0

    init(rows: [SheetRow], layout: SheetLayout, byteCount: Int) {
        self.rows = rows
        sheetLayout = layout
        self.byteCount = byteCount
    }

    func next() throws -> SheetRow? {
        guard index < rows.count else { return nil }
        defer { index += 1 }
        return rows[index]
    }

    var layout: SheetLayout? { index >= rows.count ? sheetLayout : nil }
    var bytesRead: Int { rows.isEmpty ? byteCount : byteCount * index / rows.count }
    var total: Int? { byteCount }
    func cancel() { index = rows.count }
}
