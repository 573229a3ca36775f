import Foundation

/// Reads a JSON-LD document into triples, as a JSON-LD processor expands it for what DCAT catalogues use: a local
/// `@context` (terms, prefixes, `@vocab`, `@base`, `"@type": "@id"` coercion, nested contexts), `@graph`, `@id`,
/// `@type`, value objects with `@language`, `@list`/`@set`, embedded and referenced nodes. A remote context (a URL
/// in `@context`) is not fetched: the prefixes DCAT-AP uses (`RDFGraph.knownPrefixes`) stand in for it.
struct JSONLDReader {
    private struct Context {
        var terms: [String: (iri: String, coercesToID: Bool)] = [:]
        var vocab: String?
        var base: String?
    }

    private var graph = RDFGraph()
    private var blankCount = 0
    private let documentURL: String

    init(documentURL: String) {
        self.documentURL = documentURL
    }

    static func read(_ data: Data, url: String) throws -> RDFGraph {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw RDFError(message: "\(url): not JSON: \(error.localizedDescription)")
        }
        var reader = JSONLDReader(documentURL: url)
        var context = Context()
        context.base = url
        reader.nodes(json, context: context)
        return reader.graph
    }

    /// Top-level values: a node, an array of nodes, a `@graph`.
    private mutating func nodes(_ value: Any, context: Context) {
        if let array = value as? [Any] {
            for item in array { nodes(item, context: context) }
        } else if let object = value as? [String: Any] {
            _ = node(object, context: context)
        }
    }

    /// Reads a node object's triples; returns its name (IRI or `_:` label).
    private mutating func node(_ object: [String: Any], context outer: Context) -> String {
        let context = object["@context"].map { merged(outer, $0) } ?? outer
        let subject: String
        if let id = object["@id"] as? String {
            subject = expand(id, context, vocabulary: false)
        } else {
            blankCount += 1
            subject = "_:b\(blankCount)"
        }
        if let graphValue = object["@graph"] { nodes(graphValue, context: context) }
        for type in JSONLDReader.list(object["@type"]) {
            guard let name = type as? String else { continue }
            graph.add(subject, RDFGraph.rdfType, .iri(expand(name, context, vocabulary: true)))
        }
        for (key, value) in object where !key.hasPrefix("@") {
            guard let predicate = expandKey(key, context) else { continue }
            let coerce = context.terms[key]?.coercesToID ?? false
            for item in JSONLDReader.list(value) {
                for object in objects(item, coerce: coerce, context: context) { graph.add(subject, predicate, object) }
            }
        }
        return subject
    }

    private mutating func objects(_ value: Any, coerce: Bool, context: Context) -> [RDFGraph.Term] {
        switch value {
        case let text as String:
            return [coerce ? .iri(expand(text, context, vocabulary: false)) : .literal(text, language: nil)]
        case let number as NSNumber:
            return [.literal(number.stringValue, language: nil)]
        case let object as [String: Any]:
            if let literal = object["@value"] {
                return [.literal(JSONLDReader.scalar(literal), language: object["@language"] as? String)]
            } else if let list = object["@list"] ?? object["@set"] {
                return JSONLDReader.list(list).flatMap { objects($0, coerce: coerce, context: context) }
            } else {
                let name = node(object, context: context)
                return [name.hasPrefix("_:") ? .blank(String(name.dropFirst(2))) : .iri(name)]
            }
        default:
            return []
        }
    }

    private static func list(_ value: Any?) -> [Any] {
        guard let value else { return [] }
        return (value as? [Any]) ?? [value]
    }

    private static func scalar(_ value: Any) -> String {
        if let text = value as? String { return text }
        if let number = value as? NSNumber { return number.stringValue }
        return "\(value)"
    }

    private func merged(_ outer: Context, _ value: Any) -> Context {
        var context = outer
        for item in JSONLDReader.list(value) {
            guard let definitions = item as? [String: Any] else { continue }  // a remote context: not fetched
            if let vocab = definitions["@vocab"] as? String { context.vocab = vocab }
            if let base = definitions["@base"] as? String { context.base = base }
            // Prefixes first (a term's IRI may use one defined in the same context).
            for (term, definition) in definitions where !term.hasPrefix("@") {
                if let iri = definition as? String { context.terms[term] = (iri, false) }
            }
            for (term, definition) in definitions where !term.hasPrefix("@") {
                if let iri = definition as? String {
                    context.terms[term] = (expand(iri, context, vocabulary: true), false)
                } else if let object = definition as? [String: Any] {
                    let id = (object["@id"] as? String).map { expand($0, context, vocabulary: true) } ?? expand(term, context, vocabulary: true)
                    context.terms[term] = (id, object["@type"] as? String == "@id")
                }
            }
        }
        return context
    }

    private func expandKey(_ key: String, _ context: Context) -> String? {
        let iri = expand(key, context, vocabulary: true)
        return iri.contains(":") ? iri : nil
    }

    /// An IRI from a term, a compact IRI (`dcat:Dataset`), an absolute IRI, or (not `vocabulary`) a relative IRI.
    private func expand(_ value: String, _ context: Context, vocabulary: Bool) -> String {
        if value.hasPrefix("_:") { return value }
        if vocabulary, let term = context.terms[value] { return term.iri }
        if let colon = value.firstIndex(of: ":") {
            let prefix = String(value[..<colon])
            let local = value[value.index(after: colon)...]
            if !local.hasPrefix("//") {
                if let term = context.terms[prefix] { return term.iri + local }
                if let known = RDFGraph.knownPrefixes[prefix] { return known + local }
            }
            return value
        }
        if vocabulary, let vocab = context.vocab { return vocab + value }
        return URL(string: value, relativeTo: URL(string: context.base ?? documentURL))?.absoluteString ?? value
    }
}
