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
            let workbook = try Workbook(url: url, name: source.displayName, limits: limits)
            return try DatasetReader(rows: try WorksheetRows(workbook: workbook, sheet: sheet), name: source.displayName, options: options)
        case .bytes(let bytes, let name) where bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]):
            let workbook = try Workbook(bytes: bytes, name: name, limits: limits)
            return try DatasetReader(rows: try WorksheetRows(workbook: workbook, sheet: sheet), name: name, options: options)
        default:
            return try DatasetReader(source: source, options: options)
        }
    }
}
