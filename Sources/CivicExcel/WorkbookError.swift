/// Why a workbook could not be read: which file and part, and what. Hostile or broken workbooks (not a zip, a zip
/// bomb, missing parts, malformed XML, a DOCTYPE; a damaged .xls) end here, never in a crash or a hang.
public struct WorkbookError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// Not a ZIP archive (or a damaged one).
        case notAZip
        /// Not an OLE2 compound file holding a BIFF workbook (a damaged or truncated .xls).
        case notAnXLS
        /// An .xls neither FreeXL nor Civic's BIFF8 reader reads: encrypted, or a BIFF5 (Excel 95) stream FreeXL gives
        /// no workbook for.
        case unsupported
        /// A part the workbook needs is missing.
        case missingPart
        /// No worksheet of that name or number.
        case noSuchSheet
        /// A part inflates beyond the size limit, or far beyond its compressed size (a zip bomb).
        case tooLarge
        /// A part is not well-formed XML, or declares a DOCTYPE.
        case malformedXML
        /// A part is well-formed but not what OOXML says (e.g. a cell reference out of range).
        case invalidContent
        /// The archive could not be read (I/O, a damaged deflate stream).
        case unreadable
    }

    public var code: Code
    public var file: String
    /// The part inside the workbook, e.g. `xl/worksheets/sheet1.xml`.
    public var part: String?
    public var message: String
    /// Line and column in the part, for malformed XML.
    public var line: Int?
    public var column: Int?

    public init(_ code: Code, file: String, part: String? = nil, message: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.file = file
        self.part = part
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = file
        if let part { text += " [\(part)" + (line.map { " line \($0)" + (column.map { ", column \($0)" } ?? "") } ?? "") + "]" }
        return text + ": " + message
    }
}
