/// Turns a worksheet part's SAX events into rows of cell texts: shared and inline strings (phonetic guides left
/// out), numbers, booleans, errors, dates from number formats, formulas by their cached value; hidden rows and
/// columns and merged ranges noted. Each finished row goes to `emit`.
final class SheetHandler: XMLEventHandler {
    private let strings: [String]
    private let formats: [NumberFormat]
    private let date1904: Bool
    private let limits: WorkbookLimits
    private let emit: (SheetRow) -> Bool
    private(set) var failure: String?
    var layout = SheetLayout()

    private var inSheetData = false
    private var row = SheetRow(number: 0, hidden: false, cells: [])
    private var inRow = false
    private var lastRow = 0
    // The cell being read.
    private var column = 0
    private var nextColumn = 0
    private var type: UInt8 = 0x6E  // n
    private var style = 0
    private var hasFormula = false
    private var value: [UInt8] = []
    private var formula: [UInt8] = []
    private var inlineText: [UInt8] = []
    private var target: Target = .none
    private var inPhonetic = false

    private enum Target { case none, value, formula, inlineText }

    init(workbook: Workbook, emit: @escaping (SheetRow) -> Bool) {
        strings = workbook.sharedStrings
        formats = workbook.formats
        date1904 = workbook.date1904
        limits = workbook.limits
        self.emit = emit
    }

    func startElement(_ name: XMLName, _ attributes: XMLAttributes) {
        guard inSheetData else {
            if name.is("sheetData") {
                inSheetData = true
            } else if name.is("col") {
                let hidden = attributes.string("hidden")
                if hidden == "1" || hidden == "true", let min = attributes.string("min").flatMap(Int.init),
                    let max = attributes.string("max").flatMap(Int.init), min >= 1, max >= min
                {
                    // Excel writes max=16384 for "every column to the right": only the first few hundred matter.
                    for index in min...Swift.min(max, min + 1024) { layout.hiddenColumns.insert(index - 1) }
                }
            } else if name.is("mergeCell"), let ref = attributes.string("ref"), let range = CellReference.parseRange(ref) {
                layout.merges.append((ref, range.first, range.last))
            }
            return
        }
        if name.is("c") {
            value.removeAll(keepingCapacity: true)
            formula.removeAll(keepingCapacity: true)
            inlineText.removeAll(keepingCapacity: true)
            hasFormula = false
            type = attributes["t"].map(SheetHandler.cellType) ?? 0x6E
            style = attributes["s"].map(SheetHandler.integer) ?? 0
            if let reference = attributes["r"] {
                guard let cell = CellReference.parse(reference, maximumColumn: limits.maximumColumn) else {
                    failure = "cell reference \(String(decoding: reference, as: UTF8.self)) is not valid (or beyond column XFD)"
                    return
                }
                column = cell.column
            } else {
                column = nextColumn
            }
            guard column < limits.maximumColumn else {
                failure = "a cell beyond column XFD"
                return
            }
            nextColumn = column + 1
        } else if name.is("v") {
            target = .value
        } else if name.is("f") {
            hasFormula = true
            target = .formula
        } else if name.is("t") {
            if !inPhonetic { target = .inlineText }
        } else if name.is("rPh") {
            inPhonetic = true
        } else if name.is("row") {
            let number = attributes["r"].map(SheetHandler.integer) ?? lastRow + 1
            guard number > lastRow, number <= limits.maximumRow else {
                failure = number > limits.maximumRow ? "row \(number) is beyond Excel's last row" : "row \(number) comes after row \(lastRow)"
                return
            }
            let hidden = attributes.string("hidden")
            row = SheetRow(number: number, hidden: hidden == "1" || hidden == "true", cells: [])
            inRow = true
            nextColumn = 0
        }
    }

    func endElement(_ name: XMLName) {
        guard inSheetData else { return }
        if name.is("c") {
            finishCell()
        } else if name.is("v") || name.is("f") || name.is("t") {
            target = .none
        } else if name.is("rPh") {
            inPhonetic = false
        } else if name.is("row") {
            inRow = false
            lastRow = row.number
            if !row.cells.isEmpty || row.hidden {
                if row.cells.count > 1, zip(row.cells, row.cells.dropFirst()).contains(where: { $0.column >= $1.column }) {
                    row.cells.sort { $0.column < $1.column }
                }
                if !emit(row) { failure = "stopped" }
            }
        } else if name.is("sheetData") {
            inSheetData = false
        }
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) {
        switch target {
        case .none: return
        case .value: value.append(contentsOf: text)
        case .formula: formula.append(contentsOf: text)
        case .inlineText: inlineText.append(contentsOf: text)
        }
    }

    private func finishCell() {
        target = .none
        let cell: SheetCell?
        switch type {
        case 0x73:  // s: shared string
            let index = value.withUnsafeBufferPointer { SheetHandler.integer($0) }
            guard !value.isEmpty, index >= 0, index < strings.count else {
                failure =
                    "cell \(CellReference.letters(column))\(row.number) names shared string \(String(decoding: value, as: UTF8.self)), which does not exist"
                return
            }
            cell = SheetCell(column: column, text: strings[index], kind: .text)
        case 0x49:  // inlineStr
            cell = SheetCell(column: column, text: SharedStringsHandler.unescape(inlineText), kind: .text)
        case 0x62:  // b
            guard !value.isEmpty else {
                cell = formulaCell()
                break
            }
            cell = SheetCell(column: column, text: value == [0x31] || value == Array("true".utf8) ? "TRUE" : "FALSE", kind: .boolean)
        case 0x65:  // e
            cell = SheetCell(column: column, text: String(decoding: value, as: UTF8.self), kind: .error)
        case 0x64:  // d: an ISO 8601 date cell
            cell = SheetCell(column: column, text: String(decoding: value, as: UTF8.self), kind: .date)
        default:
            if value.isEmpty {
                cell = formulaCell()
            } else if type == 0x6E {
                let raw = String(decoding: value, as: UTF8.self)
                let format = style < formats.count ? formats[style] : .number
                if format != .number, let serial = Double(raw), let text = CellValues.dateText(serial: serial, format: format, date1904: date1904) {
                    cell = SheetCell(column: column, text: text, kind: .date)
                } else {
                    cell = SheetCell(column: column, text: CellValues.numberText(raw), kind: .number)
                }
            } else {
                // t="str" (a formula's string) and anything unknown: the text as stored.
                cell = SheetCell(column: column, text: SharedStringsHandler.unescape(value), kind: .text)
            }
        }
        if let cell, !cell.text.isEmpty, inRow { row.cells.append(cell) }
    }

    private func formulaCell() -> SheetCell? {
        guard hasFormula, !formula.isEmpty else { return nil }
        return SheetCell(column: column, text: "=" + String(decoding: formula, as: UTF8.self), kind: .formulaWithoutValue)
    }

    /// The `t` attribute as one byte: s (shared), S (str), I (inlineStr), b, e, d, n.
    static func cellType(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        switch bytes.count {
        case 0: 0x6E
        case 1: bytes[0]
        case 3 where bytes[0] == 0x73: 0x53
        case 9 where bytes[0] == 0x69: 0x49
        default: 0x53
        }
    }

    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var value = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return -1 }
            value = value &* 10 &+ Int(byte - 0x30)
            if value > 1 << 40 { return -1 }
        }
        return value
    }
}
