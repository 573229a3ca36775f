public import CivicData
public import Foundation
import ZIPFoundation

/// Writes one worksheet as an .xlsx workbook the way the machine-readability rules ask: the header in row 1 (frozen),
/// no merged cells, no title rows; text columns stored as text (codes and phone numbers keep their leading zeros),
/// numbers as numbers, dates and times as real dates with a date format. The sheet is streamed to a temporary file
/// and zipped (ZIPFoundation, deflate) when finished, so memory does not grow with the rows.
///
/// ```swift
/// let writer = try XLSXWriter(columns: reader.outputColumns, types: XLSXWriter.types(for: reader))
/// try writer.writeRow(record.values)
/// try writer.finish(to: url)
/// ```
public final class XLSXWriter {
    /// How a column's values are stored.
    public enum ColumnType: Sendable, Equatable {
        case text
        case number
        /// YYYY-MM-DD values as date serials (format yyyy-mm-dd).
        case date
        /// hh:mm values as time fractions (format hh:mm).
        case time
    }

    private let types: [ColumnType]
    private let sheetName: String
    private let temporary: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var row = 0
    private var finished = false

    /// Starts a workbook whose sheet `sheetName` has `columns` as its header.
    public init(columns: [String], types: [ColumnType], sheetName: String = "Sheet1") throws {
        precondition(columns.count == types.count, "one type per column")
        self.types = types
        self.sheetName = XLSXWriter.validSheetName(sheetName)
        temporary = FileManager.default.temporaryDirectory.appendingPathComponent("civic-sheet-\(UUID().uuidString).xml")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil), let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 17)
        append(
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
                + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
                + #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
                + #"<sheetFormatPr defaultRowHeight="15"/><sheetData>"#
        )
        try write(columns, header: true)
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
    }

    /// The column types for a layout's output columns, from their kinds: numbers (integer, number, 緯度, 経度),
    /// dates, times; everything else (codes, IDs, phone numbers, postal codes, flags…) as text.
    public static func types(for layout: RecordLayout) -> [ColumnType] {
        zip(layout.columns.indices, types(kinds: layout.kinds)).map { column, type in
            layout.isNumeric(column) ? .number : (type == .number ? .text : type)
        }
    }

    /// The column types for `columns` by the schema's field kinds (columns it does not have are text).
    public static func types(columns: [String], schema: Schema?) -> [ColumnType] {
        types(kinds: schema?.kinds(of: columns) ?? columns.map { _ in nil })
    }

    static func types(kinds: [FieldKind?]) -> [ColumnType] {
        kinds.map { kind in
            switch kind {
            case .date: .date
            case .time: .time
            case let kind? where kind.isNumeric: .number
            default: .text
            }
        }
    }

    /// Writes one record.
    public func writeRow(_ values: [String]) throws {
        try write(values, header: false)
    }

    private func write(_ values: [String], header: Bool) throws {
        row += 1
        append("<row r=\"\(row)\">")
        for (index, value) in values.enumerated() where !value.isEmpty {
            let reference = CellReference.letters(index) + String(row)
            let type = header || index >= types.count ? .text : types[index]
            switch type {
            case .number where XLSXWriter.isPlainNumber(value):
                append("<c r=\"\(reference)\"><v>\(value)</v></c>")
            case .date:
                if let serial = XLSXWriter.dateSerial(value) {
                    append("<c r=\"\(reference)\" s=\"1\"><v>\(serial)</v></c>")
                } else {
                    appendText(value, reference: reference, style: 0)
                }
            case .time:
                if let fraction = XLSXWriter.timeFraction(value) {
                    append("<c r=\"\(reference)\" s=\"2\"><v>\(fraction)</v></c>")
                } else {
                    appendText(value, reference: reference, style: 0)
                }
            default:
                appendText(value, reference: reference, style: header ? 3 : 0)
            }
        }
        append("</row>")
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Ends the sheet and writes the workbook to `url` (replacing it).
    public func finish(to url: URL) throws {
        try finishSheet()
        try? FileManager.default.removeItem(at: url)
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .create)
        } catch {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, NSUnderlyingErrorKey: error])
        }
        try addParts(to: archive)
    }

    /// Ends the sheet and returns the workbook's bytes.
    public func finishBytes() throws -> [UInt8] {
        try finishSheet()
        let archive = try Archive(accessMode: .create)
        try addParts(to: archive)
        return Array(archive.data ?? Data())
    }

    private func finishSheet() throws {
        guard !finished else { return }
        finished = true
        append("</sheetData>")
        append(#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#)
        try flush()
        try handle.close()
    }

    private func addParts(to archive: Archive) throws {
        // Fixed timestamps: the same data gives the same bytes.
        let date = Date(timeIntervalSince1970: 1_577_836_800)
        for (path, text) in parts() {
            let bytes = Data(text.utf8)
            try archive.addEntry(
                with: path,
                type: .file,
                uncompressedSize: Int64(bytes.count),
                modificationDate: date,
                compressionMethod: .deflate
            ) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let sheetSize = (try FileManager.default.attributesOfItem(atPath: temporary.path)[.size] as? NSNumber)?.int64Value ?? 0
        let reader = try FileHandle(forReadingFrom: temporary)
        defer { try? reader.close() }
        try archive.addEntry(
            with: "xl/worksheets/sheet1.xml",
            type: .file,
            uncompressedSize: sheetSize,
            modificationDate: date,
            compressionMethod: .deflate,
            bufferSize: 1 << 16
        ) { position, size in
            try reader.seek(toOffset: UInt64(position))
            return reader.readData(ofLength: size)
        }
    }

    private func parts() -> [(String, String)] {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let package = "http://schemas.openxmlformats.org/package/2006/relationships"
        let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        return [
            (
                "[Content_Types].xml",
                header
                    + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
                    + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
                    + #"<Default Extension="xml" ContentType="application/xml"/>"#
                    + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
                    + #"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
                    + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
                    + "</Types>"
            ),
            (
                "_rels/.rels",
                header + "<Relationships xmlns=\"\(package)\">"
                    + "<Relationship Id=\"rId1\" Type=\"\(relationships)/officeDocument\" Target=\"xl/workbook.xml\"/>"
                    + "</Relationships>"
            ),
            (
                "xl/workbook.xml",
                header + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(relationships)\">"
                    + "<bookViews><workbookView/></bookViews>"
                    + "<sheets><sheet name=\"\(XLSXWriter.escaped(sheetName))\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
            (
                "xl/_rels/workbook.xml.rels",
                header + "<Relationships xmlns=\"\(package)\">"
                    + "<Relationship Id=\"rId1\" Type=\"\(relationships)/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                    + "<Relationship Id=\"rId2\" Type=\"\(relationships)/styles\" Target=\"styles.xml\"/>"
                    + "</Relationships>"
            ),
            (
                "xl/styles.xml",
                // 0 text/general, 1 date (yyyy-mm-dd), 2 time (hh:mm), 3 header (bold).
                header + "<styleSheet xmlns=\"\(main)\">"
                    + #"<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/><numFmt numFmtId="165" formatCode="hh:mm"/></numFmts>"#
                    + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#
                    + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
                    + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
                    + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
                    + #"<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
                    + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
                    + #"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
                    + #"<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/></cellXfs>"#
                    + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
                    + "</styleSheet>"
            ),
        ]
    }

    // MARK: Cells

    private func appendText(_ value: String, reference: String, style: Int) {
        append("<c r=\"\(reference)\"\(style == 0 ? "" : " s=\"\(style)\"") t=\"inlineStr\"><is><t xml:space=\"preserve\">")
        XLSXWriter.appendEscaped(value, to: &buffer)
        append("</t></is></c>")
    }

    private func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// XML text: &, <, > escaped; characters XML 1.0 cannot hold (controls) and a literal `_xHHHH_` written as OOXML's
    /// `_xHHHH_` escapes, so that they read back unchanged.
    static func appendEscaped(_ value: String, to out: inout [UInt8]) {
        let bytes = Array(value.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x09, 0x0A: out.append(byte)
            case 0x00...0x1F:
                out.append(contentsOf: "_x00\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16, uppercase: true))_".utf8)
            case 0x5F
            where index + 6 < bytes.count && bytes[index + 1] == 0x78 && bytes[index + 6] == 0x5F
                && bytes[(index + 2)...(index + 5)].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }):
                out.append(contentsOf: "_x005F_".utf8)
            default: out.append(byte)
            }
            index += 1
        }
    }

    static func escaped(_ value: String) -> String {
        var out: [UInt8] = []
        appendEscaped(value, to: &out)
        return String(decoding: out, as: UTF8.self).replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A number Excel will keep as written: optional minus, digits without a leading zero (unless "0" or "0.x"),
    /// optional decimals. "0123" (a code) and "1e5" stay text.
    static func isPlainNumber(_ value: String) -> Bool {
        var bytes = Substring(value).utf8[...]
        if bytes.first == 0x2D { bytes = bytes.dropFirst() }
        guard let first = bytes.first, first >= 0x30 && first <= 0x39 else { return false }
        var seenPoint = false
        var digitsBeforePoint = 0
        for byte in bytes {
            if byte == 0x2E {
                guard !seenPoint else { return false }
                seenPoint = true
            } else if byte >= 0x30 && byte <= 0x39 {
                if !seenPoint { digitsBeforePoint += 1 }
            } else {
                return false
            }
        }
        if first == 0x30 && digitsBeforePoint > 1 { return false }
        if bytes.last == 0x2E { return false }
        // Beyond 15 significant digits a double would change it: keep as text.
        return bytes.filter { $0 != 0x2E }.count <= 15
    }

    /// The 1900-system serial of YYYY-MM-DD (from 1900-03-01 on), nil otherwise.
    static func dateSerial(_ value: String) -> Int? {
        guard value.utf8.count == 10, let days = DateValue.daysSince1970(isoDate: value) else { return nil }
        let serial = days + 25_569
        return serial >= 61 ? serial : nil
    }

    /// hh:mm (or hh:mm:ss) as a fraction of a day.
    static func timeFraction(_ value: String) -> String? {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0 != nil }), value.count == parts.count * 3 - 1 else { return nil }
        let hours = parts[0]!
        let minutes = parts[1]!
        let seconds = parts.count == 3 ? parts[2]! : 0
        guard (0...24).contains(hours), (0...59).contains(minutes), (0...59).contains(seconds) else { return nil }
        let total = hours * 3600 + minutes * 60 + seconds
        guard total <= 86_400 else { return nil }
        return "\(Double(total) / 86_400)"
    }

    /// Excel's rules for sheet names: at most 31 characters, none of : \ / ? * [ ].
    static func validSheetName(_ name: String) -> String {
        let cleaned = String(name.map { ":\\/?*[]".contains($0) ? "_" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }
}
