import Foundation

/// Reads a Turtle document (RDF 1.1 Turtle, as ckanext-dcat and DCAT-AP catalogues write it) into triples:
/// `@prefix`/`@base` (and SPARQL's `PREFIX`/`BASE`), IRIs, prefixed names, `a`, blank nodes (`_:x`, `[ … ]`),
/// collections, `;` and `,` lists, literals (short and long quotes, escapes, `@lang`, `^^datatype`), numbers and
/// booleans. An error names the line and what was expected.
struct TurtleReader {
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1
    private var prefixes: [String: String] = [:]
    private var base: String
    private var graph = RDFGraph()
    private var blankCount = 0

    static func read(_ data: Data, url: String) throws -> RDFGraph {
        var reader = TurtleReader(bytes: Array(data), base: url)
        try reader.document()
        return reader.graph
    }

    private init(bytes: [UInt8], base: String) {
        self.bytes = bytes
        self.base = base
    }

    private func fail(_ message: String) -> RDFError {
        RDFError(message: "\(base): line \(line): \(message)")
    }

    // MARK: Grammar

    private mutating func document() throws {
        while true {
            skipSpace()
            guard position < bytes.count else { return }
            if peek("@prefix") || peekKeyword("PREFIX") {
                let sparql = !peek("@prefix")
                position += sparql ? 6 : 7
                skipSpace()
                let name = readWhile { $0 != UInt8(ascii: ":") && !TurtleReader.isSpace($0) }
                try expect(":")
                skipSpace()
                prefixes[name] = try iriReference()
                if !sparql { try endStatement() }
            } else if peek("@base") || peekKeyword("BASE") {
                position += peek("@base") ? 5 : 4
                skipSpace()
                base = try iriReference()
                if bytes[safe: position] != nil { skipSpace() }
                if peek(".") { position += 1 }
            } else {
                try triples()
                try endStatement()
            }
        }
    }

    private mutating func endStatement() throws {
        skipSpace()
        try expect(".")
    }

    private mutating func triples() throws {
        skipSpace()
        let subject: String
        if peek("[") {
            subject = try blankNodePropertyList()
            skipSpace()
            if peek(".") { return }
        } else {
            subject = try node()
        }
        try predicateObjectList(subject)
    }

    private mutating func predicateObjectList(_ subject: String) throws {
        while true {
            skipSpace()
            if peek(".") || peek("]") { return }
            let predicate: String
            if bytes[safe: position] == UInt8(ascii: "a"), let next = bytes[safe: position + 1],
                TurtleReader.isSpace(next) || next == UInt8(ascii: "<")
            {
                position += 1
                predicate = RDFGraph.rdfType
            } else {
                predicate = try iri()
            }
            while true {
                skipSpace()
                let object = try objectTerm()
                graph.add(subject, predicate, object)
                skipSpace()
                if peek(",") {
                    position += 1
                    continue
                }
                break
            }
            skipSpace()
            guard peek(";") else { return }
            while peek(";") {
                position += 1
                skipSpace()
            }
        }
    }

    private mutating func blankNodePropertyList() throws -> String {
        try expect("[")
        blankCount += 1
        let subject = "_:anon\(blankCount)"
        try predicateObjectList(subject)
        skipSpace()
        try expect("]")
        return subject
    }

    /// A subject: an IRI, a prefixed name or a blank node label.
    private mutating func node() throws -> String {
        if peek("_:") {
            position += 2
            return "_:" + readWhile(TurtleReader.isNameByte)
        }
        if peek("(") {
            _ = try collection()
            blankCount += 1
            return "_:list\(blankCount)"
        }
        return try iri()
    }

    private mutating func objectTerm() throws -> RDFGraph.Term {
        guard let byte = bytes[safe: position] else { throw fail("expected an object, found the end") }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let text = try quoted()
            if peek("@") {
                position += 1
                return .literal(text, language: readWhile { TurtleReader.isNameByte($0) || $0 == UInt8(ascii: "-") })
            }
            if peek("^^") {
                position += 2
                _ = try iri()
            }
            return .literal(text, language: nil)
        case UInt8(ascii: "["):
            return .blank(String(try blankNodePropertyList().dropFirst(2)))
        case UInt8(ascii: "("):
            _ = try collection()
            blankCount += 1
            return .blank("list\(blankCount)")
        case UInt8(ascii: "_"):
            let name = try node()
            return .blank(String(name.dropFirst(2)))
        case UInt8(ascii: "<"):
            return .iri(try iriReference())
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return .literal(
                readWhile { ($0 >= 0x30 && $0 <= 0x39) || [0x2B, 0x2D, 0x2E, 0x65, 0x45].contains($0) }
                    .trimmingCharacters(in: CharacterSet(charactersIn: ".")),
                language: nil
            )
        default:
            if peekKeyword("true") || peekKeyword("false") {
                let value = peekKeyword("true") ? "true" : "false"
                position += value.utf8.count
                return .literal(value, language: nil)
            }
            return .iri(try iri())
        }
    }

    /// A collection's members (read, and kept out of the graph: catalogues do not list distributions in one).
    private mutating func collection() throws -> [RDFGraph.Term] {
        try expect("(")
        var members: [RDFGraph.Term] = []
        while true {
            skipSpace()
            if peek(")") {
                position += 1
                return members
            }
            members.append(try objectTerm())
        }
    }

    /// An IRI reference `<…>` or a prefixed name.
    private mutating func iri() throws -> String {
        if peek("<") { return try iriReference() }
        let name = readWhile { TurtleReader.isNameByte($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "\\") }
        // A prefixed name may end a statement: `dcat:Dataset.` — the final dot is not part of it.
        var trimmed = name
        while trimmed.hasSuffix(".") {
            trimmed.removeLast()
            position -= 1
        }
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw fail(trimmed.isEmpty ? "expected an IRI or a prefixed name" : "'\(trimmed)' is not a prefixed name (no ':')")
        }
        let prefix = String(trimmed[..<colon])
        guard let namespace = prefixes[prefix] ?? RDFGraph.knownPrefixes[prefix] else { throw fail("the prefix '\(prefix):' is not declared") }
        return namespace + trimmed[trimmed.index(after: colon)...].replacingOccurrences(of: "\\", with: "")
    }

    private mutating func iriReference() throws -> String {
        try expect("<")
        let text = readWhile { $0 != UInt8(ascii: ">") && $0 != 0x0A }
        try expect(">")
        let unescaped = TurtleReader.unescape(text)
        if unescaped.contains(":") && !unescaped.hasPrefix("/") { return unescaped }
        return URL(string: unescaped, relativeTo: URL(string: base))?.absoluteString ?? unescaped
    }

    private mutating func quoted() throws -> String {
        let quote = bytes[position]
        let long = position + 2 < bytes.count && bytes[position + 1] == quote && bytes[position + 2] == quote
        position += long ? 3 : 1
        var out: [UInt8] = []
        while true {
            guard let byte = bytes[safe: position] else { throw fail("a string is not closed") }
            if byte == quote {
                if !long {
                    position += 1
                    break
                }
                if bytes[safe: position + 1] == quote, bytes[safe: position + 2] == quote {
                    position += 3
                    break
                }
            }
            if byte == 0x0A {
                guard long else { throw fail("a line break in a short string") }
                line += 1
            }
            if byte == UInt8(ascii: "\\"), let next = bytes[safe: position + 1] {
                out.append(byte)
                out.append(next)
                position += 2
                continue
            }
            out.append(byte)
            position += 1
        }
        return TurtleReader.unescape(String(decoding: out, as: UTF8.self))
    }

    // MARK: Lexing

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// Bytes of names (PN_CHARS, and every non-ASCII byte: names may be Japanese).
    private static func isNameByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
            || byte == 0x2D || byte == 0x2E
    }

    private mutating func skipSpace() {
        while let byte = bytes[safe: position] {
            if byte == 0x0A { line += 1 }
            if TurtleReader.isSpace(byte) {
                position += 1
            } else if byte == UInt8(ascii: "#") {
                while let c = bytes[safe: position], c != 0x0A { position += 1 }
            } else {
                return
            }
        }
    }

    private func peek(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard position + utf8.count <= bytes.count else { return false }
        return Array(bytes[position..<position + utf8.count]) == utf8
    }

    /// A keyword (case-insensitive, as SPARQL's PREFIX and BASE are) followed by a space.
    private func peekKeyword(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard position + utf8.count < bytes.count else { return false }
        for (i, byte) in utf8.enumerated() where bytes[position + i] | 0x20 != byte | 0x20 { return false }
        let next = bytes[position + utf8.count]
        return TurtleReader.isSpace(next) || next == UInt8(ascii: ",") || next == UInt8(ascii: ";") || next == UInt8(ascii: ".")
            || next == UInt8(ascii: "]") || next == UInt8(ascii: ")")
    }

    private mutating func expect(_ text: String) throws {
        guard peek(text) else {
            let found = bytes[safe: position].map { String(decoding: [$0], as: UTF8.self) } ?? "the end"
            throw fail("expected '\(text)', found '\(found)'")
        }
        position += text.utf8.count
    }

    private mutating func readWhile(_ accept: (UInt8) -> Bool) -> String {
        let start = position
        while let byte = bytes[safe: position], accept(byte) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// `\t \n \r \" \' \\` and `\uXXXX`, `\UXXXXXXXX`.
    private static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out = ""
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            guard c == "\\", let next = iterator.next() else {
                out.append(c)
                continue
            }
            switch next {
            case "t": out.append("\t")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "u", "U":
                var hex = ""
                for _ in 0..<(next == "u" ? 4 : 8) { if let h = iterator.next() { hex.append(h) } }
                if let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) { out.unicodeScalars.append(scalar) }
            default: out.append(next)
            }
        }
        return out
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
