public import CivicData
import Foundation

extension DatasetReader {
    /// Opens a CSV file or an .xlsx workbook (by its ZIP signature or its extension), `sheet` naming the worksheet
    /// (the first visible one by default). Standard input is read as CSV.
    public static func open(
        _ source: InputSource,
        options: ReadOptions = ReadOptions(),
        sheet: Workbook.SheetSelector = .first,
        limits: WorkbookLimits = WorkbookLimits()
    ) throws -> DatasetReader {
        switch source {
        case .file(let url) where Workbook.isWorkbook(url):
            return try read(try Workbook(url: url, name: source.displayName, limits: limits), sheet: sheet, options: options)
        case .bytes(let bytes, let name) where bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]):
            return try read(try Workbook(bytes: bytes, name: name, limits: limits), sheet: sheet, options: options)
        default:
            return try DatasetReader(source: source, options: options)
        }
    }

    /// A worksheet's reader; when the sheet is not a dataset, the error names the workbook's other sheets.
    private static func read(_ workbook: Workbook, sheet: Workbook.SheetSelector, options: ReadOptions) throws -> DatasetReader {
        let rows = try WorksheetRows(workbook: workbook, sheet: sheet)
        do {
            return try DatasetReader(rows: rows, name: workbook.file, options: options)
        } catch let error as DatasetError where workbook.sheets.count > 1 {
            let others = workbook.sheets.enumerated().filter { $0.element.name != rows.sheet.name }.map { "\($0.offset + 1) \($0.element.name)" }
            throw DatasetError(
                code: error.code,
                message: "sheet '\(rows.sheet.name)': \(error.message); the workbook also has \(others.joined(separator: ", "))",
                file: error.file,
                line: error.line,
                remedy: Remedy(.sheet, choices: workbook.sheets.filter { $0.name != rows.sheet.name }.map(\.name))
            )
        }
    }
}
