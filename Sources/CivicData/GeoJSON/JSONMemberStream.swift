import Foundation

/// Reads a JSON document whose top level is an object from a file, in chunks, without building it: each member in
/// turn as its key and the bytes of its value, except one array member (`streamed`, GeoJSON's `"features"`) whose
/// elements are handed out one at a time. Memory is one chunk plus the largest element or member.
///
/// It checks the document's structure between the values it hands out (braces, commas, colons, strings) and says
/// where it breaks (line and column); each value's own syntax is left to `JSONParser`, which parses it.
final class JSONMemberStream {
    enum Item {
        /// A top-level member other than the streamed array.
        case member(key: String, value: [UInt8], line: Int, column: Int)
        /// An element of the streamed array; `index` counts from 0.
        case element(bytes: [UInt8], index: Int, line: Int, column: Int)
    }

    /// A structural error: what, and where (1-based line and column in bytes of the line's characters).
    struct Failure: Error {
        var message: String
        var line: Int
        var column: Int
    }

    private let handle: FileHandle
    private let streamed: String
    private var buffer: [UInt8] = []
    private var index = 0
    private var atEnd = false
    /// Bytes consumed before `buffer[0]`.
    private var base = 0
    private var line = 1
    /// Characters consumed on the current line.
    private var characters = 0
    private var previous: UInt8 = 0
    private var sawCRLF = false
    private enum State { case start, beforeMember(first: Bool), inArray(first: Bool), done }
    private var state = State.start
    private var elementIndex = 0
    static let chunk = 1 << 20

    /// True once the streamed array member has begun (even when it holds no element).
    private(set) var foundStreamed = false

    /// Bytes read from the file so far.
    var consumed: Int { base + index }

    init(url: URL, streamed: String) throws {
        handle = try FileHandle(forReadingFrom: url)
        self.streamed = streamed
    }

    deinit { try? handle.close() }

    /// The next member or element; nil after the closing brace (and nothing but white space after it).
    func next() throws(Failure) -> Item? {
        while true {
            switch state {
            case .done:
                return nil
            case .start:
                skipWhitespace()
                if peek() == 0xEF {  // a UTF-8 byte order mark
                    for expected: UInt8 in [0xEF, 0xBB, 0xBF] where peek() == expected { advance() }
                    skipWhitespace()
                }
                guard peek() == UInt8(ascii: "{") else { throw failure("expected an object ({) at the top level") }
                advance()
                state = .beforeMember(first: true)
            case .beforeMember(let first):
                skipWhitespace()
                if peek() == UInt8(ascii: "}") {
                    advance()
                    skipWhitespace()
                    guard peek() == nil else { throw failure("content after the end of the document") }
                    state = .done
                    return nil
                }
                if !first {
                    guard peek() == UInt8(ascii: ",") else { throw failure("expected , or } after a member") }
                    advance()
                    skipWhitespace()
                }
                guard peek() == UInt8(ascii: "\"") else { throw failure("expected a member name in quotes") }
                let keyBytes = try capture()
                guard case .string(let key) = try parse(keyBytes, line: line, column: 1) else { throw failure("expected a member name") }
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else { throw failure("expected : after \"\(key)\"") }
                advance()
                skipWhitespace()
                if key == streamed, peek() == UInt8(ascii: "[") {
                    advance()
                    foundStreamed = true
                    state = .inArray(first: true)
                    continue
                }
                let (valueLine, valueColumn) = (line, column)
                let value = try capture()
                state = .beforeMember(first: false)
                return .member(key: key, value: value, line: valueLine, column: valueColumn)
            case .inArray(let first):
                skipWhitespace()
                if peek() == UInt8(ascii: "]") {
                    advance()
                    state = .beforeMember(first: false)
                    continue
                }
                if !first {
                    guard peek() == UInt8(ascii: ",") else { throw failure("expected , or ] after element \(elementIndex) of \"\(streamed)\"") }
                    advance()
                    skipWhitespace()
                }
                let (elementLine, elementColumn) = (line, column)
                let bytes = try capture()
                state = .inArray(first: false)
                elementIndex += 1
                return .element(bytes: bytes, index: elementIndex - 1, line: elementLine, column: elementColumn)
            }
        }
    }

    /// Parses a value's bytes; an error names its place in the file.
    func parse(_ bytes: [UInt8], line: Int, column: Int) throws(Failure) -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            let (innerLine, innerColumn) = JSONParser.position(of: error.offset, in: bytes)
            throw Failure(message: error.message, line: line + innerLine - 1, column: innerLine == 1 ? column + innerColumn - 1 : innerColumn)
        }
    }

    // MARK: Bytes

    private func peek() -> UInt8? {
        if index == buffer.count, !refill() { return nil }
        return buffer[index]
    }

    private func advance() {
        let byte = buffer[index]
        index += 1
        if byte == 0x0A {
            line += 1
            characters = 0
            if previous == 0x0D { sawCRLF = true }
        } else if byte & 0xC0 != 0x80 {
            characters += 1
        }
        previous = byte
    }

    /// `none`, `LF` or `CRLF`, as `SourceDescription` says it, for what was read so far.
    var lineEndings: String { line == 1 ? "none" : (sawCRLF ? "CRLF" : "LF") }

    /// Reads the next chunk, dropping what was consumed; false at the end of the file.
    private func refill() -> Bool {
        guard !atEnd else { return false }
        let keepFrom = index
        let chunk = (try? handle.read(upToCount: JSONMemberStream.chunk)) ?? nil
        guard let chunk, !chunk.isEmpty else {
            atEnd = true
            return false
        }
        buffer.removeFirst(keepFrom)
        base += keepFrom
        index -= keepFrom
        buffer.append(contentsOf: chunk)
        return true
    }

    private func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { advance() }
    }

    /// The 1-based column (in characters) of the next byte.
    private var column: Int { characters + 1 }

    private func failure(_ message: String) -> Failure {
        Failure(message: peek() == nil ? "the document ends early: \(message)" : message, line: line, column: column)
    }

    /// The bytes of one value starting at the next byte: a string, an object or array (to its matching bracket), or
    /// a number or literal (to the next delimiter). Its syntax is checked when it is parsed.
    private func capture() throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        guard let first = peek() else { throw failure("expected a value") }
        if first != UInt8(ascii: "{") && first != UInt8(ascii: "[") && first != UInt8(ascii: "\"") {
            while let byte = peek(), !Self.ends(byte) {
                out.append(byte)
                advance()
            }
            return out
        }
        var depth = 0
        var inString = false
        var escaped = false
        while true {
            if index == buffer.count, !refill() { throw failure("expected the end of a value") }
            let byte = buffer[index]
            out.append(byte)
            advance()
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return out }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return out }
                if depth < 0 { throw failure("a closing bracket without its opening one") }
            default: break
            }
        }
    }

    private static func ends(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == 0x20 || byte == 0x0A || byte == 0x0D
            || byte == 0x09
    }
}
