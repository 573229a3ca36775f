public import Foundation

/// An .xlsx workbook opened for reading: its sheets (names, order, visibility), date system, number formats and
/// shared strings. Worksheets are streamed by `WorksheetRows`; nothing else of the package is kept.
///
/// ```swift
/// let workbook = try Workbook(url: url)
/// let rows = try WorksheetRows(workbook: workbook, sheet: .name("AED一覧"))
/// let reader = try DatasetReader(rows: rows, name: url.lastPathComponent)
/// ```
public final class Workbook: Sendable {
    /// One worksheet as the workbook lists it.
    public struct Sheet: Sendable, Equatable {
        public var name: String
        /// The part holding it, e.g. `xl/worksheets/sheet1.xml`.
        public var part: String
        /// `hidden` or `veryHidden` sheets are still readable when asked for.
        public var hidden: Bool
    }

    /// Which sheet to read.
    public enum SheetSelector: Sendable, Equatable {
        case first
        case name(String)
        /// 1-based, in the workbook's order.
        case index(Int)

        /// `--sheet` text: a number is an index unless a sheet has that name.
        public init(_ text: String) {
            if let number = Int(text) { self = .index(number) } else { self = .name(text) }
        }
    }

    public let file: String
    public let sheets: [Sheet]
    /// The 1904 date system (old Mac workbooks): serial 0 is 1904-01-01.
    public let date1904: Bool
    let limits: WorkbookLimits
    let formats: [NumberFormat]
    let sharedStrings: [String]
    /// Where the package is, to open it again for streaming a sheet on its own thread.
    let location: Location

    enum Location {
        case url(URL)
        case bytes([UInt8])
    }

    /// Opens a workbook file.
    public convenience init(url: URL, name: String? = nil, limits: WorkbookLimits = WorkbookLimits()) throws {
        let name = name ?? url.relativePath
        try self.init(archive: try WorkbookArchive(url: url, name: name, limits: limits), location: .url(url))
    }

    /// A workbook in memory (standard input, tests).
    public convenience init(bytes: [UInt8], name: String, limits: WorkbookLimits = WorkbookLimits()) throws {
        try self.init(archive: try WorkbookArchive(bytes: bytes, name: name, limits: limits), location: .bytes(bytes))
    }

    private init(archive: WorkbookArchive, location: Location) throws {
        file = archive.file
        limits = archive.limits
        self.location = location

        // The package relationships name the workbook part (xl/workbook.xml in every producer seen).
        var workbookPart = "xl/workbook.xml"
        if archive.has("_rels/.rels") {
            let root = try Workbook.relationships(archive, "_rels/.rels", base: "")
            if let target = root.first(where: { $0.type.hasSuffix("/officeDocument") })?.target { workbookPart = target }
        }
        guard archive.has(workbookPart) else {
            throw WorkbookError(
                .missingPart,
                file: file,
                part: workbookPart,
                message: "the workbook part \(workbookPart) is missing: not an .xlsx workbook"
            )
        }
        let folder = workbookPart.contains("/") ? String(workbookPart[..<workbookPart.lastIndex(of: "/")!]) : ""
        let relsPart = (folder.isEmpty ? "" : folder + "/") + "_rels/" + workbookPart.split(separator: "/").last! + ".rels"
        let rels = archive.has(relsPart) ? try Workbook.relationships(archive, relsPart, base: folder) : []

        let book = WorkbookPartHandler()
        try archive.parse(workbookPart, with: book)
        date1904 = book.date1904
        var sheets: [Sheet] = []
        for entry in book.sheets {
            // A sheet's part from its relationship; producers that omit the workbook's .rels use sheetN.xml.
            let part =
                rels.first(where: { $0.id == entry.relationship })?.target
                ?? (folder.isEmpty ? "" : folder + "/") + "worksheets/sheet\(sheets.count + 1).xml"
            sheets.append(Sheet(name: entry.name, part: part, hidden: entry.hidden))
        }
        guard !sheets.isEmpty else {
            throw WorkbookError(.invalidContent, file: file, part: workbookPart, message: "the workbook lists no worksheet")
        }
        self.sheets = sheets

        // Shared strings and styles are optional parts.
        let sharedPart =
            rels.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target ?? (folder.isEmpty ? "" : folder + "/") + "sharedStrings.xml"
        if archive.has(sharedPart) {
            let handler = SharedStringsHandler(maximum: limits.maximumSharedStrings)
            try archive.parse(sharedPart, with: handler)
            sharedStrings = handler.strings
        } else {
            sharedStrings = []
        }
        let stylesPart = rels.first(where: { $0.type.hasSuffix("/styles") })?.target ?? (folder.isEmpty ? "" : folder + "/") + "styles.xml"
        if archive.has(stylesPart) {
            let handler = StylesHandler()
            try archive.parse(stylesPart, with: handler)
            formats = handler.cellFormats.map { id in
                if let code = handler.customFormats[id] { return NumberFormat.custom(code) }
                return NumberFormat.builtIn(id)
            }
        } else {
            formats = []
        }
    }

    /// The sheet `selector` names.
    public func sheet(_ selector: SheetSelector) throws -> Sheet {
        try Workbook.sheet(selector, in: sheets, file: file)
    }

    /// The sheet `selector` names among `sheets` (.xlsx and .xls alike).
    static func sheet(_ selector: SheetSelector, in sheets: [Sheet], file: String) throws -> Sheet {
        switch selector {
        case .first:
            // The first visible sheet (a hidden first sheet is usually a lookup table).
            return sheets.first(where: { !$0.hidden }) ?? sheets[0]
        case .name(let name):
            if let sheet = sheets.first(where: { $0.name == name }) ?? sheets.first(where: { $0.name.lowercased() == name.lowercased() }) {
                return sheet
            }
        case .index(let index):
            if index >= 1 && index <= sheets.count { return sheets[index - 1] }
            if let sheet = sheets.first(where: { $0.name == String(index) }) { return sheet }
        }
        throw WorkbookError(
            .noSuchSheet,
            file: file,
            message:
                "no sheet \(selector.text); the workbook has: \(sheets.enumerated().map { "\($0.offset + 1) \($0.element.name)" }.joined(separator: ", "))"
        )
    }

    func openArchive() throws -> WorkbookArchive {
        switch location {
        case .url(let url): try WorkbookArchive(url: url, name: file, limits: limits)
        case .bytes(let bytes): try WorkbookArchive(bytes: bytes, name: file, limits: limits)
        }
    }

    /// True when the file starts like a ZIP archive, or is named .xlsx/.xlsm (what `civic` reads as a workbook).
    public static func isWorkbook(_ url: URL) -> Bool {
        if ["xlsx", "xlsm"].contains(url.pathExtension.lowercased()) { return true }
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return false }
        defer { try? handle.close() }
        return Array(handle.readData(ofLength: 4)) == [0x50, 0x4B, 0x03, 0x04]
    }

    // MARK: Parts

    struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    static func relationships(_ archive: WorkbookArchive, _ part: String, base: String) throws -> [Relationship] {
        let handler = RelationshipsHandler()
        try archive.parse(part, with: handler)
        return handler.relationships.map { relationship in
            var relationship = relationship
            if relationship.target.hasPrefix("/") {
                relationship.target.removeFirst()
            } else {
                // Relative to the folder of the part that owns the relationships; ".." climbs.
                var components = base.split(separator: "/").map(String.init)
                for component in relationship.target.split(separator: "/").map(String.init) {
                    if component == ".." {
                        if !components.isEmpty { components.removeLast() }
                    } else if component != "." {
                        components.append(component)
                    }
                }
                relationship.target = components.joined(separator: "/")
            }
            return relationship
        }
    }
}

extension Workbook.SheetSelector {
    var text: String {
        switch self {
        case .first: "1"
        case .name(let name): "'\(name)'"
        case .index(let index): "\(index)"
        }
    }
}

// MARK: Part handlers

/// `_rels/*.rels`: Relationship Id, Type, Target.
final class RelationshipsHandler: XMLEventHandler {
    var relationships: [Workbook.Relationship] = []
    var failure: String? { nil }

    func startElement(_ name: XMLName, _ attributes: XMLAttributes) {
        guard name.is("Relationship"), attributes.string("TargetMode") != "External" else { return }
        relationships.append(
            Workbook.Relationship(id: attributes.string("Id") ?? "", type: attributes.string("Type") ?? "", target: attributes.string("Target") ?? "")
        )
    }
    func endElement(_ name: XMLName) {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) {}
}

/// `xl/workbook.xml`: the sheets in order and the date system.
final class WorkbookPartHandler: XMLEventHandler {
    var sheets: [(name: String, relationship: String, hidden: Bool)] = []
    var date1904 = false
    var failure: String? { nil }

    func startElement(_ name: XMLName, _ attributes: XMLAttributes) {
        if name.is("sheet") {
            let state = attributes.string("state") ?? "visible"
            sheets.append((attributes.string("name") ?? "Sheet\(sheets.count + 1)", attributes.string("id") ?? "", state != "visible"))
        } else if name.is("workbookPr") {
            let value = attributes.string("date1904")
            date1904 = value == "1" || value == "true"
        }
    }
    func endElement(_ name: XMLName) {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) {}
}

/// `xl/styles.xml`: the number format of each cell format (cellXfs), and the custom format codes.
final class StylesHandler: XMLEventHandler {
    var cellFormats: [Int] = []
    var customFormats: [Int: String] = [:]
    private var inCellXfs = false
    var failure: String? { nil }

    func startElement(_ name: XMLName, _ attributes: XMLAttributes) {
        if name.is("numFmt"), let id = attributes.string("numFmtId").flatMap(Int.init) {
            customFormats[id] = attributes.string("formatCode") ?? ""
        } else if name.is("cellXfs") {
            inCellXfs = true
        } else if inCellXfs, name.is("xf") {
            cellFormats.append(attributes.string("numFmtId").flatMap(Int.init) ?? 0)
        }
    }
    func endElement(_ name: XMLName) {
        if name.is("cellXfs") { inCellXfs = false }
    }
    func characters(_ text: UnsafeBufferPointer<UInt8>) {}
}

/// `xl/sharedStrings.xml`: each `<si>`'s text (plain or rich runs), without phonetic guides (`<rPh>`).
final class SharedStringsHandler: XMLEventHandler {
    var strings: [String] = []
    private var text: [UInt8] = []
    private var inText = false
    private var inPhonetic = false
    private let maximum: Int
    private(set) var failure: String?

    init(maximum: Int) { self.maximum = maximum }

    func startElement(_ name: XMLName, _ attributes: XMLAttributes) {
        if name.is("t") {
            inText = !inPhonetic
        } else if name.is("si") {
            text.removeAll(keepingCapacity: true)
            if strings.count >= maximum { failure = "more than \(maximum) shared strings (the limit)" }
        } else if name.is("rPh") {
            inPhonetic = true
        }
    }

    func endElement(_ name: XMLName) {
        if name.is("t") {
            inText = false
        } else if name.is("rPh") {
            inPhonetic = false
        } else if name.is("si") {
            strings.append(SharedStringsHandler.unescape(text))
        }
    }

    func characters(_ chunk: UnsafeBufferPointer<UInt8>) {
        if inText { text.append(contentsOf: chunk) }
    }

    /// OOXML escapes characters XML cannot hold as `_xHHHH_` (e.g. `_x000D_` for a carriage return).
    static func unescape(_ bytes: [UInt8]) -> String {
        guard bytes.contains(0x5F) else { return String(decoding: bytes, as: UTF8.self) }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("_x") else { return text }
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "_x") {
            result += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let hex = after.prefix(5)
            if hex.count == 5, hex.last == "_", let value = UInt32(hex.dropLast(), radix: 16), let scalar = Unicode.Scalar(value) {
                result.unicodeScalars.append(scalar)
                rest = after.dropFirst(5)
            } else {
                result += "_x"
                rest = after
            }
        }
        return result + rest
    }
}
