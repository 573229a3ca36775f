/// A BIFF8 workbook stream ([MS-XLS]) read in Swift: the reader `XLSWorkbook` falls back on when FreeXL 1.0.6
/// answers FREEXL_OK without a workbook (it does so when its shared-string parser fails: an empty string in the
/// SST is enough, see docs/excel.md). It reads the records that hold cell values — BOF, BOUNDSHEET8, SST with its
/// CONTINUE records, LABELSST, LABEL, RSTRING, NUMBER, RK, MULRK, FORMULA with its STRING, BOOLERR — the XF and
/// FORMAT records that make a number a date, DATEMODE, and the sheet's layout: ROW (hidden), COLINFO (hidden) and
/// MERGEDCELLS. Each record is bounds-checked; a damaged one ends in a `WorkbookError` naming the stream offset.
final class BIFFWorkbook {
    struct Sheet {
        var name: String
        var hidden: Bool
        var offset: Int
    }

    let file: String
    let sheets: [Sheet]
    let date1904: Bool
    private let stream: [UInt8]
    private let strings: [String]
    /// Each XF's number format (by XF index).
    private let formats: [NumberFormat]

    /// Reads the workbook globals of an .xls file's bytes (its `Workbook` stream).
    convenience init(bytes: [UInt8], file: String, limits: WorkbookLimits) throws {
        let compound = try CompoundFile(bytes: bytes, file: file, maximumStreamBytes: limits.maximumPartBytes)
        guard let stream = try compound.stream(named: ["Workbook", "Book"], maximumBytes: limits.maximumPartBytes) else {
            throw WorkbookError(
                .notAnXLS,
                file: file,
                part: "OLE2 compound file",
                message: "no Workbook stream (streams: \(compound.streams.map(\.name).joined(separator: ", ")))"
            )
        }
        try self.init(stream: stream, file: file, limits: limits)
    }

    init(stream: [UInt8], file: String, limits: WorkbookLimits) throws {
        self.file = file
        self.stream = stream
        var records = BIFFRecords(stream, at: 0, file: file)
        guard let bof = try records.next(), bof.type == 0x0809, bof.data.count >= 4 else {
            throw WorkbookError(.notAnXLS, file: file, part: "Workbook stream", message: "the stream does not start with a BOF record")
        }
        let version = bof.u16(0)
        guard version == 0x0600 else {
            throw WorkbookError(
                .unsupported,
                file: file,
                part: "Workbook stream",
                message: "BIFF version \(hex(version)) (BIFF5 or older, Excel 95): only BIFF8 (Excel 97–2003) is read without FreeXL"
            )
        }
        var sheets: [Sheet] = []
        var date1904 = false
        var xfFormats: [Int] = []
        var customFormats: [Int: NumberFormat] = [:]
        var strings: [String] = []
        while let record = try records.next() {
            switch record.type {
            case 0x000A:  // EOF
                break
            case 0x002F:  // FILEPASS
                throw WorkbookError(.unsupported, file: file, part: "Workbook stream", message: "the workbook is encrypted (FILEPASS)")
            case 0x0022:  // DATEMODE
                date1904 = try record.need(2).u16(0) == 1
            case 0x00E0:  // XF
                xfFormats.append(Int(try record.need(4).u16(2)))
            case 0x041E:  // FORMAT
                var cursor = BIFFCursor(segments: [try record.need(5).data], record: record)
                let id = Int(try cursor.u16())
                customFormats[id] = NumberFormat.custom(try cursor.unicodeString(lengthBytes: 2))
            case 0x0085:  // BOUNDSHEET8
                var cursor = BIFFCursor(segments: [try record.need(8).data], record: record)
                let offset = Int(try cursor.u32())
                let state = try cursor.u8()
                let kind = try cursor.u8()
                let name = try cursor.unicodeString(lengthBytes: 1)
                // Worksheets (and dialog sheets) only: macro sheets, chart sheets and VBA modules hold no table.
                if kind == 0 { sheets.append(Sheet(name: name, hidden: state & 0x03 != 0, offset: offset)) }
            case 0x00FC:  // SST, and the CONTINUE records after it
                var segments = [record.data]
                while let next = records.peekType(), next == 0x003C, let continued = try records.next() { segments.append(continued.data) }
                strings = try BIFFWorkbook.sharedStrings(segments, record: record, limits: limits)
            default:
                continue
            }
            if record.type == 0x000A { break }
        }
        self.sheets = sheets
        self.date1904 = date1904
        self.strings = strings
        formats = xfFormats.map { customFormats[$0] ?? NumberFormat.builtIn($0) }
    }

    /// The SST's strings ([MS-XLS] 2.4.265): each an XLUnicodeRichExtendedString, whose characters may run on into
    /// the next CONTINUE record (which then starts with a new high-byte flag), and whose rich-text runs and phonetic
    /// block are skipped.
    static func sharedStrings(_ segments: [[UInt8]], record: BIFFRecord, limits: WorkbookLimits) throws -> [String] {
        var cursor = BIFFCursor(segments: segments, record: record)
        _ = try cursor.u32()
        let count = Int(try cursor.u32())
        guard count <= limits.maximumSharedStrings else {
            throw record.error("the SST declares \(count) strings, more than the \(limits.maximumSharedStrings) allowed", code: .tooLarge)
        }
        var strings: [String] = []
        // Each string takes 3 bytes at least: a count past that is a lie, so the capacity is bounded by the bytes.
        strings.reserveCapacity(min(count, segments.reduce(0) { $0 + $1.count } / 3))
        for _ in 0..<count {
            strings.append(try cursor.unicodeString(lengthBytes: 2, rich: true))
        }
        return strings
    }

    /// The cells and layout of a sheet: its substream read from its BOF to its EOF.
    func cells(of sheet: Sheet, limits: WorkbookLimits) throws -> (rows: [SheetRow], layout: SheetLayout) {
        guard sheet.offset >= 0, sheet.offset < stream.count else {
            throw WorkbookError(
                .invalidContent,
                file: file,
                part: "sheet '\(sheet.name)'",
                message: "its substream offset \(sheet.offset) is past the end of the Workbook stream (\(stream.count) bytes)"
            )
        }
        var records = BIFFRecords(stream, at: sheet.offset, file: file)
        guard let bof = try records.next(), bof.type == 0x0809 else {
            throw WorkbookError(.invalidContent, file: file, part: "sheet '\(sheet.name)'", message: "no BOF record at offset \(sheet.offset)")
        }
        var cells: [Int: [Int: SheetCell]] = [:]
        var hiddenRows: Set<Int> = []
        var layout = SheetLayout()
        var pendingFormula: (row: Int, column: Int)?
        func put(_ row: Int, _ column: Int, _ text: String, _ kind: SheetCell.Kind, _ record: BIFFRecord) throws {
            guard row < limits.maximumRow, column < limits.maximumColumn else {
                throw record.error("cell at row \(row + 1), column \(column + 1) is past Excel's last", code: .invalidContent)
            }
            if text.isEmpty { return }
            cells[row, default: [:]][column] = SheetCell(column: column, text: text, kind: kind)
        }
        while let record = try records.next() {
            if record.type == 0x000A { break }  // EOF
            if record.type == 0x0809 {
                // An embedded substream (a chart on the sheet): skipped to its own EOF.
                while let inner = try records.next(), inner.type != 0x000A {}
                continue
            }
            if let formula = pendingFormula {
                pendingFormula = nil
                if record.type == 0x0207 {  // STRING: the cached text of the FORMULA before it
                    var segments = [record.data]
                    while let next = records.peekType(), next == 0x003C, let continued = try records.next() { segments.append(continued.data) }
                    var cursor = BIFFCursor(segments: segments, record: record)
                    try put(formula.row, formula.column, try cursor.unicodeString(lengthBytes: 2), .text, record)
                    continue
                }
            }
            switch record.type {
            case 0x00FD:  // LABELSST
                let data = try record.need(10)
                let index = Int(data.u32(6))
                guard index < strings.count else {
                    throw record.error("shared string \(index) does not exist (the SST has \(strings.count))", code: .invalidContent)
                }
                try put(Int(data.u16(0)), Int(data.u16(2)), strings[index], .text, record)
            case 0x0204, 0x00D6:  // LABEL, RSTRING
                var cursor = BIFFCursor(segments: [try record.need(8).data], record: record)
                let row = Int(try cursor.u16())
                let column = Int(try cursor.u16())
                _ = try cursor.u16()
                try put(row, column, try cursor.unicodeString(lengthBytes: 2), .text, record)
            case 0x0203:  // NUMBER
                let data = try record.need(14)
                let (text, kind) = number(data.f64(6), xf: Int(data.u16(4)))
                try put(Int(data.u16(0)), Int(data.u16(2)), text, kind, record)
            case 0x027E:  // RK
                let data = try record.need(10)
                let (text, kind) = number(BIFFWorkbook.rk(data.u32(6)), xf: Int(data.u16(4)))
                try put(Int(data.u16(0)), Int(data.u16(2)), text, kind, record)
            case 0x00BD:  // MULRK: row, first column, (XF, RK)…, last column
                let data = try record.need(12)
                let row = Int(data.u16(0))
                let first = Int(data.u16(2))
                let count = (data.data.count - 6) / 6
                guard Int(data.u16(data.data.count - 2)) == first + count - 1 else {
                    throw record.error(
                        "MULRK columns \(first)…\(data.u16(data.data.count - 2)) do not match its \(count) values",
                        code: .invalidContent
                    )
                }
                for index in 0..<count {
                    let (text, kind) = number(BIFFWorkbook.rk(data.u32(4 + 6 * index + 2)), xf: Int(data.u16(4 + 6 * index)))
                    try put(row, first + index, text, kind, record)
                }
            case 0x0205:  // BOOLERR
                let data = try record.need(8)
                let value = data.u8(6)
                if data.u8(7) == 0 {
                    try put(Int(data.u16(0)), Int(data.u16(2)), value == 0 ? "FALSE" : "TRUE", .boolean, record)
                } else {
                    try put(Int(data.u16(0)), Int(data.u16(2)), BIFFWorkbook.errorText(value), .error, record)
                }
            case 0x0006:  // FORMULA: the cached value (a string one follows in a STRING record)
                let data = try record.need(20)
                let row = Int(data.u16(0))
                let column = Int(data.u16(2))
                if data.u16(12) == 0xFFFF {
                    switch data.u8(6) {
                    case 0: pendingFormula = (row, column)
                    case 1: try put(row, column, data.u8(8) == 0 ? "FALSE" : "TRUE", .boolean, record)
                    case 2: try put(row, column, BIFFWorkbook.errorText(data.u8(8)), .error, record)
                    default: break  // an empty string
                    }
                } else {
                    let (text, kind) = number(data.f64(6), xf: Int(data.u16(4)))
                    try put(row, column, text, kind, record)
                }
            case 0x0208:  // ROW: fDyZero (hidden) is bit 5 of the byte at offset 12
                let data = try record.need(16)
                if data.u8(12) & 0x20 != 0 { hiddenRows.insert(Int(data.u16(0))) }
            case 0x007D:  // COLINFO
                let data = try record.need(10)
                if data.u16(8) & 0x01 != 0 {
                    let first = Int(data.u16(0))
                    let last = min(Int(data.u16(2)), 255)
                    if first <= last { layout.hiddenColumns.formUnion(first...last) }
                }
            case 0x00E5:  // MERGEDCELLS
                let data = try record.need(2)
                let count = Int(data.u16(0))
                guard data.data.count >= 2 + 8 * count else { throw record.error("\(count) merged ranges do not fit in it", code: .invalidContent) }
                for index in 0..<count {
                    let at = 2 + 8 * index
                    // Columns 0-based, rows 1-based, as the .xlsx reader's ranges.
                    let first = (column: Int(data.u16(at + 4)), row: Int(data.u16(at)) + 1)
                    let last = (column: Int(data.u16(at + 6)), row: Int(data.u16(at + 2)) + 1)
                    let text = "\(CellReference.letters(first.column))\(first.row):\(CellReference.letters(last.column))\(last.row)"
                    layout.merges.append((text, first, last))
                }
            default:
                continue
            }
        }
        let rows = Set(cells.keys).union(hiddenRows).sorted().map { row in
            SheetRow(
                number: row + 1,
                hidden: hiddenRows.contains(row),
                cells: (cells[row] ?? [:]).values.sorted { $0.column < $1.column }
            )
        }
        return (rows, layout)
    }

    /// A number as the .xlsx reader gives it: a date or time when its XF's format is one, else its shortest form.
    private func number(_ value: Double, xf: Int) -> (String, SheetCell.Kind) {
        let format = xf < formats.count ? formats[xf] : .number
        if format != .number, let text = CellValues.dateText(serial: value, format: format, date1904: date1904) { return (text, .date) }
        return (CellValues.numberText("\(value)"), .number)
    }

    /// An RK number ([MS-XLS] 2.5.217): a 30-bit integer or the high 30 bits of a double, perhaps × 1/100.
    static func rk(_ raw: UInt32) -> Double {
        let value: Double
        if raw & 0x02 != 0 {
            value = Double(Int32(bitPattern: raw) >> 2)
        } else {
            value = Double(bitPattern: UInt64(raw & 0xFFFF_FFFC) << 32)
        }
        return raw & 0x01 != 0 ? value / 100 : value
    }

    static func errorText(_ code: UInt8) -> String {
        switch code {
        case 0x00: "#NULL!"
        case 0x07: "#DIV/0!"
        case 0x0F: "#VALUE!"
        case 0x17: "#REF!"
        case 0x1D: "#NAME?"
        case 0x24: "#NUM!"
        case 0x2A: "#N/A"
        case 0x2B: "#GETTING_DATA"
        default: "#ERR\(code)"
        }
    }
}

@available(*, unavailable)  // read by one XLSWorkbook, on one thread
extension BIFFWorkbook: Sendable {}

/// One BIFF record: its type, its bytes, and where it starts in the stream (for errors).
struct BIFFRecord {
    let type: UInt16
    let data: [UInt8]
    let offset: Int
    let file: String

    func u8(_ at: Int) -> UInt8 { data[at] }
    func u16(_ at: Int) -> UInt16 { UInt16(data[at]) | UInt16(data[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    func f64(_ at: Int) -> Double { Double(bitPattern: UInt64(u32(at)) | UInt64(u32(at + 4)) << 32) }

    /// The record itself when it holds at least `count` bytes, else an error naming it.
    func need(_ count: Int) throws -> BIFFRecord {
        guard data.count >= count else { throw error("\(data.count) bytes, fewer than the \(count) it needs", code: .invalidContent) }
        return self
    }

    func error(_ message: String, code: WorkbookError.Code) -> WorkbookError {
        WorkbookError(code, file: file, part: "Workbook stream", message: "record \(hex(type)) at offset \(offset): \(message)")
    }
}

/// The records of a BIFF stream from an offset, each [type, size, bytes].
struct BIFFRecords {
    private let stream: [UInt8]
    private var position: Int
    private let file: String

    init(_ stream: [UInt8], at position: Int, file: String) {
        self.stream = stream
        self.position = position
        self.file = file
    }

    func peekType() -> UInt16? {
        guard position + 4 <= stream.count else { return nil }
        return UInt16(stream[position]) | UInt16(stream[position + 1]) << 8
    }

    mutating func next() throws -> BIFFRecord? {
        guard position + 4 <= stream.count else { return nil }
        let type = UInt16(stream[position]) | UInt16(stream[position + 1]) << 8
        let size = Int(stream[position + 2]) | Int(stream[position + 3]) << 8
        let start = position + 4
        guard start + size <= stream.count else {
            throw WorkbookError(
                .notAnXLS,
                file: file,
                part: "Workbook stream",
                message: "record \(hex(type)) at offset \(position) claims \(size) bytes but the stream ends \(stream.count - start) bytes on"
            )
        }
        defer { position = start + size }
        return BIFFRecord(type: type, data: Array(stream[start..<start + size]), offset: position, file: file)
    }
}

/// Reads across a record and its CONTINUE records: plain bytes flow from one to the next; the characters of a
/// string that runs on start the next record with a new high-byte flag ([MS-XLS] 2.5.294).
struct BIFFCursor {
    private let segments: [[UInt8]]
    private var segment = 0
    private var position = 0
    private let record: BIFFRecord

    init(segments: [[UInt8]], record: BIFFRecord) {
        self.segments = segments
        self.record = record
    }

    private mutating func advanceIfAtEnd() throws {
        while segment < segments.count, position >= segments[segment].count {
            segment += 1
            position = 0
        }
        guard segment < segments.count else { throw record.error("the record (and its CONTINUE records) end too soon", code: .invalidContent) }
    }

    mutating func u8() throws -> UInt8 {
        try advanceIfAtEnd()
        defer { position += 1 }
        return segments[segment][position]
    }
    mutating func u16() throws -> UInt16 { UInt16(try u8()) | UInt16(try u8()) << 8 }
    mutating func u32() throws -> UInt32 { UInt32(try u16()) | UInt32(try u16()) << 16 }

    mutating func skip(_ count: Int) throws {
        var left = count
        while left > 0 {
            try advanceIfAtEnd()
            let step = min(left, segments[segment].count - position)
            position += step
            left -= step
        }
    }

    /// An XLUnicodeString (`lengthBytes` 2), ShortXLUnicodeString (1) or, with `rich`, an
    /// XLUnicodeRichExtendedString (its formatting runs and phonetic block skipped).
    mutating func unicodeString(lengthBytes: Int, rich: Bool = false) throws -> String {
        let count = lengthBytes == 1 ? Int(try u8()) : Int(try u16())
        let flags = try u8()
        var wide = flags & 0x01 != 0
        let runs = rich && flags & 0x08 != 0 ? Int(try u16()) : 0
        let phonetic = rich && flags & 0x04 != 0 ? Int(try u32()) : 0
        var units: [UInt16] = []
        units.reserveCapacity(min(count, 32_767))
        while units.count < count {
            if segment < segments.count, position >= segments[segment].count {
                // The characters run on into the next CONTINUE record, which starts with its own flag byte.
                segment += 1
                position = 0
                wide = try u8() & 0x01 != 0
            }
            guard segment < segments.count else {
                throw record.error("a string of \(count) characters runs past the record's end", code: .invalidContent)
            }
            let bytes = segments[segment]
            if wide {
                guard position + 1 < bytes.count else { throw record.error("a UTF-16 character is cut by the record's end", code: .invalidContent) }
                units.append(UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8)
                position += 2
            } else {
                units.append(UInt16(bytes[position]))
                position += 1
            }
        }
        try skip(4 * runs + phonetic)
        return String(decoding: units, as: UTF16.self)
    }
}
