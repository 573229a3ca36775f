/// A JSON value as `JSONParser` reads it: numbers keep the text they were written with (`1.50` stays `1.50`, a
/// 20-digit code keeps every digit), object members keep their order, and array elements keep the byte offset they
/// start at (so that a feature's line can be named).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number as written.
    case number(String)
    case string(String)
    /// The elements and the byte offset of each in the input.
    case array([JSONValue], offsets: [Int])
    /// The members in the order written (a repeated key appears twice).
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a, _), .array(let b, _)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The last member named `key` (JSON parsers commonly keep the last of repeated keys), for objects.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// The elements, for arrays.
    public var elements: [JSONValue]? {
        if case .array(let elements, _) = self { return elements }
        return nil
    }

    /// The text, for strings.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// What kind of value this is, for messages: `an object`, `a number` …
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as compact JSON text (numbers as written).
    public var jsonText: String {
        var out: [UInt8] = []
        appendJSON(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the value as compact JSON.
    public func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .null: JSONBytes.appendASCII("null", to: &out)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let text): JSONBytes.appendString(text, to: &out)
        case .array(let elements, _):
            out.append(0x5B)
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(0x2C) }
                element.appendJSON(to: &out)
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(0x2C) }
                JSONBytes.appendString(member.key, to: &out)
                out.append(0x3A)
                member.value.appendJSON(to: &out)
            }
            out.append(0x7D)
        }
    }
}

/// A strict RFC 8259 JSON parser over UTF-8 bytes that says where the input stops being JSON (byte offset, then
/// line and column). Foundation's `JSONSerialization` gives neither positions, the numbers' text, nor (on Linux) a
/// way to tell `true` from `1`.
public struct JSONParser {
    /// Nesting deeper than this is refused (GeoJSON needs 6 for a MultiPolygon inside a collection).
    public static let maximumDepth = 512

    /// Where and why the input is not JSON.
    public struct Failure: Error, Sendable, Equatable {
        /// Byte offset in the input.
        public var offset: Int
        public var message: String
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses one JSON text (white space around it allowed; a UTF-8 byte order mark skipped).
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        parser.skipSpace()
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    /// The 1-based line and column (in characters) of a byte offset.
    public static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self).count + 1
        return (line, column)
    }

    private func failure(_ message: String) -> Failure { Failure(offset: index, message: message) }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func value() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw failure("the file ends where a value was expected") }
        switch bytes[index] {
        case 0x7B: return try object()
        case 0x5B: return try array()
        case 0x22: return .string(try string())
        case 0x74: return try literal("true", .bool(true))
        case 0x66: return try literal("false", .bool(false))
        case 0x6E: return try literal("null", .null)
        case 0x2D, 0x30...0x39: return .number(try number())
        default: throw failure("expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func literal(_ text: String, _ value: JSONValue) throws(Failure) -> JSONValue {
        let utf8 = Array(text.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw failure("expected \(text)")
        }
        index += utf8.count
        return value
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > JSONParser.maximumDepth { throw failure("nested deeper than \(JSONParser.maximumDepth) levels") }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try enter()
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        skipSpace()
        if index < bytes.count, bytes[index] == 0x7D {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == 0x22 else { throw failure("expected a member name in double quotes") }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == 0x3A else { throw failure("expected ':' after the member name") }
            index += 1
            skipSpace()
            members.append((key, try value()))
            skipSpace()
            guard index < bytes.count else { throw failure("the file ends inside an object (missing '}')") }
            if bytes[index] == 0x2C {
                index += 1
                continue
            }
            guard bytes[index] == 0x7D else { throw failure("expected ',' or '}' in an object") }
            index += 1
            depth -= 1
            return .object(members)
        }
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        var offsets: [Int] = []
        skipSpace()
        if index < bytes.count, bytes[index] == 0x5D {
            index += 1
            depth -= 1
            return .array(elements, offsets: offsets)
        }
        while true {
            skipSpace()
            offsets.append(index)
            elements.append(try value())
            skipSpace()
            guard index < bytes.count else { throw failure("the file ends inside an array (missing ']')") }
            if bytes[index] == 0x2C {
                index += 1
                continue
            }
            guard bytes[index] == 0x5D else { throw failure("expected ',' or ']' in an array") }
            index += 1
            depth -= 1
            return .array(elements, offsets: offsets)
        }
    }

    private mutating func number() throws(Failure) -> String {
        let start = index
        func digits() -> Int {
            let from = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            return index - from
        }
        if bytes[index] == 0x2D { index += 1 }
        guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else { throw failure("a number needs a digit after '-'") }
        if bytes[index] == 0x30 {
            index += 1
        } else {
            _ = digits()
        }
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            guard digits() > 0 else { throw failure("a number needs digits after '.'") }
        }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            guard digits() > 0 else { throw failure("a number needs digits in its exponent") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw failure("a \\u escape needs four hex digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                let slice = bytes[start..<index]
                index += 1
                guard let text = String(validating: slice, as: UTF8.self) else {
                    index = start
                    throw failure("the string is not valid UTF-8")
                }
                return text
            }
            if byte == 0x5C { break }
            if byte < 0x20 { throw failure("a control character (U+\(String(byte, radix: 16, uppercase: true))) inside a string; escape it") }
            index += 1
        }
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                index += 1
                guard let text = String(validating: out, as: UTF8.self) else {
                    index = start
                    throw failure("the string is not valid UTF-8")
                }
                return text
            }
            if byte < 0x20 { throw failure("a control character inside a string; escape it") }
            guard byte == 0x5C else {
                out.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            if let simple = JSONEscape.byte(for: escape) {
                out.append(simple)
                continue
            }
            switch escape {
            case 0x75:
                var scalar = try hex4()
                if JSONEscape.isHighSurrogate(scalar), bytes.count - index >= 6, bytes[index] == 0x5C, bytes[index + 1] == 0x75 {
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("a \\u surrogate pair is incomplete") }
                    scalar = JSONEscape.scalar(high: scalar, low: low)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw failure("a \\u escape names a lone surrogate") }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                index -= 1
                throw failure("unknown escape '\\\(Character(Unicode.Scalar(escape)))' in a string")
            }
        }
        throw failure("the file ends inside a string (missing '\"')")
    }
}

/// JSON's string escapes (RFC 8259 §7), shared by `JSONParser` and the store's value decoder.
package enum JSONEscape {
    /// The byte a one-character escape stands for (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`); nil for `\u` and
    /// unknown escapes.
    @inline(__always) package static func byte(for escape: UInt8) -> UInt8? {
        switch escape {
        case 0x22, 0x5C, 0x2F: escape
        case 0x62: 0x08
        case 0x66: 0x0C
        case 0x6E: 0x0A
        case 0x72: 0x0D
        case 0x74: 0x09
        default: nil
        }
    }

    /// The first half of a UTF-16 surrogate pair written as two `\u` escapes.
    @inline(__always) package static func isHighSurrogate(_ value: UInt32) -> Bool { (0xD800...0xDBFF).contains(value) }

    /// The scalar a surrogate pair stands for.
    @inline(__always) package static func scalar(high: UInt32, low: UInt32) -> UInt32 { 0x10000 + ((high - 0xD800) << 10) + (low &- 0xDC00) }
}
