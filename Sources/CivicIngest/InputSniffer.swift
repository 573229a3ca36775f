public import CivicData
import CivicExcel
import Foundation

/// Tells, from its first bytes, a file that is not a table at all — a PDF, an image, an archive that is not a
/// workbook, a web page saved instead of the file — so that the error says what the file is instead of
/// failing to decode it as text. Tables (CSV/TSV text, .xlsx, .xls) pass; JSON (`isJSON`) is
/// GeoJSONRows' to read (GeoJSON, an array of records) or refuse.
public enum InputSniffer {
    /// What the file is when it is not a table; nil for anything that may be one.
    public static func notATable(_ source: InputSource) -> String? {
        switch source {
        case .file(let url):
            guard let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
            defer { try? handle.close() }
            let head = Array(handle.readData(ofLength: 4096))
            return describe(head) { ZipListing.names(of: url) }
        case .bytes(let bytes, _):
            return describe(Array(bytes.prefix(4096))) { ZipListing.names(of: bytes) }
        case .standardInput:
            return nil
        }
    }

    /// True when the file's text starts with `{` or `[` (after a byte order mark and white space): JSON, which
    /// `Ingest.open` reads as GeoJSON or an array of records (standard input is always read as a table).
    public static func isJSON(_ source: InputSource) -> Bool {
        let head: [UInt8]
        switch source {
        case .file(let url):
            guard let handle = FileHandle(forReadingAtPath: url.path) else { return false }
            defer { try? handle.close() }
            head = Array(handle.readData(ofLength: 512))
        case .bytes(let bytes, _):
            head = Array(bytes.prefix(512))
        case .standardInput:
            return false
        }
        var text = head[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        text = text.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        return text.first == 0x7B || text.first == 0x5B
    }

    /// `head`: the first bytes; `entries`: the names inside, when the bytes are a ZIP archive.
    static func describe(_ head: [UInt8], entries: () -> [String]?) -> String? {
        func starts(_ signature: [UInt8]) -> Bool { head.starts(with: signature) }
        if starts(Array("%PDF".utf8)) { return "a PDF document" }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "a PNG image" }
        if starts([0xFF, 0xD8, 0xFF]) { return "a JPEG image" }
        if starts(Array("GIF8".utf8)) { return "a GIF image" }
        if starts([0x1F, 0x8B]) { return "a gzip-compressed file (decompress it first)" }
        if starts([0x37, 0x7A, 0xBC, 0xAF]) { return "a 7-Zip archive (extract it first)" }
        if starts(Array("Rar!".utf8)) { return "a RAR archive (extract it first)" }
        // An OLE2 compound file: a legacy Excel workbook (.xls), for the workbook reader.
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return nil }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) {
            guard let names = entries() else { return nil }  // damaged: the workbook reader says how
            let lower = names.map { $0.lowercased() }
            if lower.contains("xl/workbook.xml") || lower.contains("[content_types].xml") && lower.contains(where: { $0.hasPrefix("xl/") }) {
                return nil
            }
            if lower.contains("word/document.xml") { return "a Word document (.docx), not a table" }
            if lower.contains(where: { $0.hasPrefix("ppt/") }) { return "a PowerPoint presentation (.pptx), not a table" }
            if lower.contains("content.xml") && lower.contains("mimetype") {
                return "an OpenDocument file (.ods/.odt): save it as .xlsx or CSV"
            }
            let shown = names.filter { !$0.hasSuffix("/") }.prefix(5).joined(separator: ", ")
            return
                "a ZIP archive that is not a workbook (it holds \(shown.isEmpty ? "nothing" : shown)\(names.count > 5 ? ", …" : "")); extract it first"
        }
        // Text: skip a UTF-8 byte order mark and white space.
        var text = head[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        let isUTF16 = head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF])
        text = text.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let lowered = String(decoding: text.prefix(512), as: UTF8.self).lowercased()
        if lowered.hasPrefix("<!doctype html") || lowered.hasPrefix("<html") {
            return "an HTML page (a web page was saved instead of the file?)"
        }
        if lowered.hasPrefix("<") { return "an XML document, not a table" }
        if !isUTF16, head.contains(0) { return "a binary file, not text" }
        if !isUTF16, let firstLine = String(decoding: text.prefix(512), as: UTF8.self).split(whereSeparator: \.isNewline).first,
            isJavaScript(String(firstLine))
        {
            return "a JavaScript file (a script for a web map, saved with a table's name)"
        }
        return nil
    }

    /// A first line that opens a script: a declaration (`var mapData = {`, `const x =`), a function, an export,
    /// a global assignment (`window.data = [`) or "use strict". No header line of a table looks like these: header
    /// cells hold no `name = ` after a keyword and a space.
    static func isJavaScript(_ line: String) -> Bool {
        let text = line.drop { $0.isWhitespace }
        let openings = [
            "\"use strict\"", "'use strict'", "module.exports", "export default ", "export const ", "export let ", "export var ",
            "export function ",
        ]
        if openings.contains(where: { text.hasPrefix($0) }) { return true }
        // `keyword name =`, `object.name =`.
        for keyword in ["var ", "let ", "const ", "var\t", "let\t", "const\t", "window.", "globalThis.", "self."] where text.hasPrefix(keyword) {
            let rest = text.dropFirst(keyword.count).drop { $0.isWhitespace }
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" || $0 == "." }
            guard let first = name.first, !first.isNumber else { continue }
            if rest.dropFirst(name.count).drop(while: { $0.isWhitespace }).hasPrefix("=") { return true }
        }
        // `function name(`.
        if text.hasPrefix("function"), let next = text.dropFirst("function".count).first, next.isWhitespace || next == "(" {
            let rest = text.dropFirst("function".count).drop { $0.isWhitespace }
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
            if rest.dropFirst(name.count).drop(while: { $0.isWhitespace }).hasPrefix("(") { return true }
        }
        return false
    }
}
