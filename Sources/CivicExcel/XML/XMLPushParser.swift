import CLibXML2
import Foundation

/// What a worksheet part's parser is told, element by element (libxml2's SAX2 events, without copies: names and
/// texts point into libxml2's buffers and are valid only during the call).
protocol XMLEventHandler: AnyObject {
    /// Set by the handler to stop the parse (e.g. a limit reached): reported as the part's error.
    var failure: String? { get }
    func startElement(_ name: XMLName, _ attributes: XMLAttributes)
    func endElement(_ name: XMLName)
    func characters(_ text: UnsafeBufferPointer<UInt8>)
}

/// An element's local name (no prefix), as libxml2 hands it over.
struct XMLName {
    let pointer: UnsafePointer<UInt8>

    /// True when the name is exactly `name` (ASCII).
    func `is`(_ name: StaticString) -> Bool {
        strcmp(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self), UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self))
            == 0
    }
}

/// An element's attributes: libxml2's array of (localname, prefix, URI, value, end) pointers, values decoded.
struct XMLAttributes {
    let base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int

    /// The value of the attribute whose local name is `name` (any prefix).
    subscript(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        guard let base else { return nil }
        let wanted = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
        for index in 0..<count {
            guard let local = base[index * 5], let value = base[index * 5 + 3], let end = base[index * 5 + 4] else { continue }
            if strcmp(UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self), wanted) == 0 {
                return UnsafeBufferPointer(start: value, count: end - value)
            }
        }
        return nil
    }

    /// The value as a string.
    func string(_ name: StaticString) -> String? {
        self[name].map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Where and why an XML part could not be read.
struct XMLFailure: Error {
    var message: String
    var line: Int
    var column: Int
}

/// libxml2's SAX2 push parser over one part, fed chunk by chunk (as the part inflates): no tree is built, no DTD is
/// read, no network is touched, and a document type declaration is refused outright, so that external entities
/// (XXE) and entity expansion (billion laughs) cannot happen. OOXML parts never declare one. One owner of one
/// `xmlParserCtxt`; not Sendable.
final class XMLPushParser {
    private final class Box {
        weak var handler: (any XMLEventHandler)?
        var failure: XMLFailure?
        var context: xmlParserCtxtPtr?

        init(_ handler: any XMLEventHandler) { self.handler = handler }

        func fail(_ message: String) {
            if failure == nil {
                failure = XMLFailure(
                    message: message,
                    line: Int(context.map { xmlSAX2GetLineNumber(UnsafeMutableRawPointer($0)) } ?? 0),
                    column: Int(context.map { xmlSAX2GetColumnNumber(UnsafeMutableRawPointer($0)) } ?? 0)
                )
            }
            if let context { xmlStopParser(context) }
        }
    }

    private let box: Box
    private let context: xmlParserCtxtPtr
    private var finished = false

    /// libxml2's global state, set up once before any thread parses (xmlInitParser is not reentrant).
    private static let libraryReady: Bool = {
        xmlInitParser()
        return true
    }()

    init(handler: any XMLEventHandler) throws {
        precondition(XMLPushParser.libraryReady)
        box = Box(handler)
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { user, localName, _, _, _, _, attributeCount, _, attributes in
            guard let user, let localName else { return }
            let box = Unmanaged<Box>.fromOpaque(user).takeUnretainedValue()
            guard let handler = box.handler else { return }
            handler.startElement(XMLName(pointer: localName), XMLAttributes(base: attributes, count: Int(attributeCount)))
            if let failure = handler.failure { box.fail(failure) }
        }
        sax.endElementNs = { user, localName, _, _ in
            guard let user, let localName else { return }
            Unmanaged<Box>.fromOpaque(user).takeUnretainedValue().handler?.endElement(XMLName(pointer: localName))
        }
        sax.characters = { user, text, length in
            guard let user, let text else { return }
            Unmanaged<Box>.fromOpaque(user).takeUnretainedValue().handler?.characters(UnsafeBufferPointer(start: text, count: Int(length)))
        }
        sax.cdataBlock = sax.characters
        // A DOCTYPE: refused before its subset is read (no entity can be declared, let alone expanded or fetched).
        sax.internalSubset = { user, _, _, _ in
            guard let user else { return }
            Unmanaged<Box>.fromOpaque(user).takeUnretainedValue().fail("a document type declaration (DOCTYPE) is not allowed in a workbook part")
        }
        sax.externalSubset = sax.internalSubset
        // Errors are collected, not printed.
        sax.serror = { user, error in
            guard let user, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let box = Unmanaged<Box>.fromOpaque(user).takeUnretainedValue()
            if box.failure == nil {
                let message = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
                box.failure = XMLFailure(
                    message: message.trimmingTrailingNewlines,
                    line: Int(error.pointee.line),
                    column: Int(error.pointee.int2)
                )
            }
        }
        let user = Unmanaged.passUnretained(box).toOpaque()
        guard let context = xmlCreatePushParserCtxt(&sax, user, nil, 0, nil) else {
            throw XMLFailure(message: "libxml2 could not create a parser", line: 0, column: 0)
        }
        self.context = context
        box.context = context
        // No network, no entity substitution, CDATA as text; the default limits (10 MB per text, depth 256) stay.
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue))
    }

    deinit {
        xmlFreeParserCtxt(context)
    }

    /// Parses the next bytes of the part.
    func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else { return }
        var offset = 0
        // xmlParseChunk takes an Int32 length.
        while offset < bytes.count {
            let length = min(bytes.count - offset, 1 << 24)
            let status = xmlParseChunk(
                context,
                bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self),
                Int32(length),
                0
            )
            try check(status)
            offset += length
        }
    }

    /// Ends the part (an unclosed element is an error).
    func finish() throws {
        guard !finished else { return }
        finished = true
        try check(xmlParseChunk(context, nil, 0, 1))
    }

    private func check(_ status: Int32) throws {
        if let failure = box.failure { throw failure }
        if status != 0 || context.pointee.wellFormed == 0 {
            throw XMLFailure(message: "malformed XML (libxml2 error \(status))", line: 0, column: 0)
        }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
