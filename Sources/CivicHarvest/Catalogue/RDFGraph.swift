import Foundation

/// The triples of an RDF document (DCAT-AP in JSON-LD or Turtle), subject by subject: what the DCAT reader walks.
/// Only what reading a catalogue needs: IRIs, blank nodes and literals (with their language).
struct RDFGraph {
    enum Term: Hashable {
        case iri(String)
        case blank(String)
        case literal(String, language: String?)

        /// An IRI's or a literal's text; nil for a blank node.
        var text: String? {
            switch self {
            case .iri(let value): value
            case .literal(let value, _): value
            case .blank: nil
            }
        }

        /// The node it names, for an IRI or a blank node.
        var node: String? {
            switch self {
            case .iri(let value): value
            case .blank(let id): "_:" + id
            case .literal: nil
            }
        }
    }

    /// Subject (an IRI, or `_:` and a blank node's label) → predicate IRI → objects, in document order.
    private(set) var subjects: [String: [String: [Term]]] = [:]
    /// Subjects in the order they first appear.
    private(set) var order: [String] = []

    mutating func add(_ subject: String, _ predicate: String, _ object: Term) {
        if subjects[subject] == nil { order.append(subject) }
        subjects[subject, default: [:]][predicate, default: []].append(object)
    }

    func objects(_ subject: String, _ predicate: String) -> [Term] {
        subjects[subject]?[predicate] ?? []
    }

    /// The subjects typed `type`.
    func instances(of type: String) -> [String] {
        order.filter { objects($0, RDFGraph.rdfType).contains(.iri(type)) }
    }

    /// A literal for `predicate`, preferring Japanese, then no language, then any.
    func text(_ subject: String, _ predicate: String) -> String? {
        let values = objects(subject, predicate)
        func pick(_ accept: (String?) -> Bool) -> String? {
            for case .literal(let value, let language) in values where accept(language) { return value }
            return nil
        }
        return pick { $0?.lowercased().hasPrefix("ja") == true } ?? pick { $0 == nil } ?? pick { _ in true }
            ?? values.lazy.compactMap(\.text).first
    }

    /// The first IRI (or literal holding a URL) for `predicate`.
    func link(_ subject: String, _ predicate: String) -> String? {
        for value in objects(subject, predicate) {
            if case .iri(let iri) = value { return iri }
            if case .literal(let text, _) = value, text.hasPrefix("http") { return text }
        }
        return nil
    }

    static let rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

    /// The prefixes DCAT-AP documents use, for reading compact IRIs a document uses without declaring.
    static let knownPrefixes: [String: String] = [
        "dcat": "http://www.w3.org/ns/dcat#",
        "dct": "http://purl.org/dc/terms/",
        "dcterms": "http://purl.org/dc/terms/",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "vcard": "http://www.w3.org/2006/vcard/ns#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "hydra": "http://www.w3.org/ns/hydra/core#",
        "schema": "http://schema.org/",
        "adms": "http://www.w3.org/ns/adms#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "dqv": "http://www.w3.org/ns/dqv#",
        "owl": "http://www.w3.org/2002/07/owl#",
    ]
}

/// An RDF document that could not be read: where, and what.
struct RDFError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
