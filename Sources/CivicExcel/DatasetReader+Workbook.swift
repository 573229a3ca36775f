public import CivicData
import Foundation

extension DatasetReader {
    /// Opens a CSV file, an .xlsx workbook (by its ZIP signature or its extension) or a legacy .xls workbook (by its
    /// OLE2 compound-file signature, whatever its extension says), `sheet` naming the worksheet (the first visible
    /// one by default). Standard input is read as CSV.
    public static func open(
        _ source: InputSource,
        options: ReadOptions = ReadOptions(),
        sheet: Workbook.SheetSelector = .first,
        limits: WorkbookLimits = WorkbookLimits()
    ) throws -> DatasetReader {
        switch source {
        case .file(let url) where XLSWorkbook.isXLS(url):
            let workbook = try XLSWorkbook(url: url, name: source.displayName, limits: limits)
            return try read(try WorksheetRows(workbook: workbook, sheet: sheet), sheets: workbook.sheets, options: options)
        case .bytes(let bytes, let name) where bytes.starts(with: XLSWorkbook.signature):
            let workbook = try XLSWorkbook(bytes: bytes, name: name, limits: limits)
            return try read(try WorksheetRows(workbook: workbook, sheet: sheet), sheets: workbook.sheets, options: options)
        case .file(let url) where Workbook.isWorkbook(url):
            let workbook = try Workbook(url: url, name: source.displayName, limits: limits)
            return try read(try WorksheetRows(workbook: workbook, sheet: sheet), sheets: workbook.sheets, options: options)
        case .bytes(let bytes, let name) where bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]):
            let workbook = try Workbook(bytes: bytes, name: name, limits: limits)
            return try read(try WorksheetRows(workbook: workbook, sheet: sheet), sheets: workbook.sheets, options: options)
        default:
            return try DatasetReader(source: source, options: options)
        }
    }

    /// A worksheet's reader; when the sheet is not a dataset, the error names the workbook's other sheets.
    private static func read(_ rows: WorksheetRows, sheets: [Workbook.Sheet], options: ReadOptions) throws -> DatasetReader {
        do {
            return try DatasetReader(rows: rows, name: rows.file, options: options)
        } catch let error as DatasetError where sheets.count > 1 {
            let others = sheets.enumerated().filter { $0.element.name != rows.sheet.name }.map { "\($0.offset + 1) \($0.element.name)" }
            throw DatasetError(
                code: error.code,
                message: "sheet '\(rows.sheet.name)': \(error.message); the workbook also has \(others.joined(separator: ", "))",
                file: error.file,
                line: error.line,
                remedy: Remedy(.sheet, choices: sheets.filter { $0.name != rows.sheet.name }.map(\.name))
            )
        }
    }
}
