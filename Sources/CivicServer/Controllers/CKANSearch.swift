import CivicStore
import Foundation

/// `package_search`'s filter query (`fq`) in the Solr syntax CKAN passes on, as harvesters send it: clauses
/// `field:value`, `field:"quoted value"`, ranges `field:[A TO B]` (`*` open, `{…}` exclusive, dates as ISO 8601 with or
/// without `Z`, `NOW`, `NOW-1DAY`), alternatives `field:(a OR b)`, groups `( … )`, `-` (must not) and `+` (must), joined
/// by `OR` and by `AND` or a space (all must hold; `OR` binds first, as CKAN's harvester means
/// `organization:a OR organization:b metadata_modified:[… TO *]`). Fields: `organization`/`owner_org`, `name`/`id`,
/// `tags`, `res_format`, `license_id`, `metadata_modified`, `metadata_created`, `standard_dataset`,
/// `municipality_code`, `title`, `groups` (Civic has none), `state`, `*:*`. An unknown field or a clause that cannot be
/// read is an error, never a silent empty result (docs/harvesting.md).
indirect enum SolrFilter: Equatable {
    case all
    case term(field: String, value: String)
    case range(field: String, low: String?, high: String?, includeLow: Bool, includeHigh: Bool)
    case not(SolrFilter)
    case and([SolrFilter])
    case or([SolrFilter])

    struct Invalid: Error, Equatable {
        var message: String
    }

    static let fields: Set<String> = [
        "organization", "owner_org", "name", "id", "tags", "res_format", "license_id", "metadata_modified", "metadata_created",
        "standard_dataset", "extras_standard_dataset", "municipality_code", "extras_municipality_code", "title", "groups", "state",
        "dataset_type", "type", "capacity",
    ]

    // MARK: Parsing

    static func parse(_ text: String) throws -> SolrFilter {
        var parser = Parser(tokens: try tokens(text))
        let filter = try parser.expression()
        guard parser.position == parser.tokens.count else {
            throw Invalid(message: "fq: unexpected '\(parser.tokens[parser.position].text)'")
        }
        return filter
    }

    struct Token: Equatable {
        enum Kind: Equatable { case word, quoted, open, close, rangeOpen(Bool), rangeClose(Bool), colon, minus, plus }
        var kind: Kind
        var text: String
    }

    static func tokens(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        // Inside [A TO B] a colon is a time's.
        var inRange = false
        while index < characters.count {
            let character = characters[index]
            switch character {
            case " ", "\t", "\n", "\r": index += 1
            case "(": tokens.append(Token(kind: .open, text: "(")); index += 1
            case ")": tokens.append(Token(kind: .close, text: ")")); index += 1
            case "[", "{":
                tokens.append(Token(kind: .rangeOpen(character == "["), text: String(character)))
                inRange = true
                index += 1
            case "]", "}":
                tokens.append(Token(kind: .rangeClose(character == "]"), text: String(character)))
                inRange = false
                index += 1
            case ":": tokens.append(Token(kind: .colon, text: ":")); index += 1
            // At a clause's start, not as a value (field:-3).
            case "-" where tokens.last?.kind != .colon:
                tokens.append(Token(kind: .minus, text: "-"))
                index += 1
            case "+": tokens.append(Token(kind: .plus, text: "+")); index += 1
            case "\"":
                var value = ""
                index += 1
                while index < characters.count, characters[index] != "\"" {
                    if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    value.append(characters[index])
                    index += 1
                }
                guard index < characters.count else { throw Invalid(message: "fq: a quote is not closed") }
                index += 1
                tokens.append(Token(kind: .quoted, text: value))
            default:
                var value = ""
                while index < characters.count, !" \t\n\r()[]{}\"".contains(characters[index]) {
                    // A colon ends a field name, but belongs to a value (a time: 10:00:00) once a field is read.
                    if characters[index] == ":", !inRange, tokens.last?.kind != .colon { break }
                    if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    value.append(characters[index])
                    index += 1
                }
                tokens.append(Token(kind: .word, text: value))
            }
        }
        return tokens
    }

    struct Parser {
        let tokens: [Token]
        var position = 0

        var next: Token? { position < tokens.count ? tokens[position] : nil }

        /// clauses joined by AND (or a space), each a run of clauses joined by OR.
        mutating func expression() throws -> SolrFilter {
            var all: [SolrFilter] = []
            while let token = next, token.kind != .close {
                if token.kind == .word, token.text == "AND" || token.text == "&&" {
                    position += 1
                    continue
                }
                var any = [try clause()]
                while let token = next, token.kind == .word, token.text == "OR" || token.text == "||" {
                    position += 1
                    any.append(try clause())
                }
                all.append(any.count == 1 ? any[0] : .or(any))
            }
            guard !all.isEmpty else { throw Invalid(message: "fq: an empty clause") }
            return all.count == 1 ? all[0] : .and(all)
        }

        mutating func clause() throws -> SolrFilter {
            guard let token = next else { throw Invalid(message: "fq: a clause is missing at the end") }
            switch token.kind {
            case .minus:
                position += 1
                return .not(try clause())
            case .plus:
                position += 1
                return try clause()
            case .open:
                position += 1
                let inner = try expression()
                guard next?.kind == .close else { throw Invalid(message: "fq: a parenthesis is not closed") }
                position += 1
                return inner
            case .word where token.text == "*:*" || token.text == "*":
                position += 1
                if next?.kind == .colon {
                    position += 1
                    guard next?.text == "*" else { throw Invalid(message: "fq: use *:* for every dataset") }
                    position += 1
                }
                return .all
            case .word:
                position += 1
                guard next?.kind == .colon else {
                    throw Invalid(message: "fq: '\(token.text)' is not field:value (fields: \(SolrFilter.fields.sorted().joined(separator: ", ")))")
                }
                position += 1
                let field = token.text
                guard SolrFilter.fields.contains(field) else {
                    throw Invalid(message: "fq: unknown field '\(field)' (fields: \(SolrFilter.fields.sorted().joined(separator: ", ")))")
                }
                return try value(of: field)
            default:
                throw Invalid(message: "fq: unexpected '\(token.text)'")
            }
        }

        mutating func value(of field: String) throws -> SolrFilter {
            guard let token = next else { throw Invalid(message: "fq: \(field): has no value") }
            switch token.kind {
            case .word, .quoted:
                position += 1
                return .term(field: field, value: token.text)
            case .rangeOpen(let inclusive):
                position += 1
                var bounds: [String] = []
                while let bound = next, bound.kind == .word || bound.kind == .quoted {
                    if bound.kind == .word && bound.text == "TO" {
                        position += 1
                        continue
                    }
                    bounds.append(bound.text)
                    position += 1
                }
                guard bounds.count == 2, case .rangeClose(let inclusiveHigh) = next?.kind else {
                    throw Invalid(message: "fq: \(field): a range is [A TO B]")
                }
                position += 1
                return .range(
                    field: field,
                    low: bounds[0] == "*" ? nil : bounds[0],
                    high: bounds[1] == "*" ? nil : bounds[1],
                    includeLow: inclusive,
                    includeHigh: inclusiveHigh
                )
            case .open:
                // field:(a OR b c): alternatives of the one field.
                position += 1
                var any: [SolrFilter] = []
                while let part = next, part.kind != .close {
                    if part.kind == .word, ["OR", "||", "AND", "&&"].contains(part.text) {
                        position += 1
                        continue
                    }
                    any.append(try value(of: field))
                }
                guard next?.kind == .close, !any.isEmpty else { throw Invalid(message: "fq: \(field): a parenthesis is not closed") }
                position += 1
                return any.count == 1 ? any[0] : .or(any)
            case .minus:
                // A value starting with '-' (a negative number).
                position += 1
                guard let word = next, word.kind == .word else { throw Invalid(message: "fq: \(field): has no value") }
                position += 1
                return .term(field: field, value: "-" + word.text)
            default:
                throw Invalid(message: "fq: \(field): has no value")
            }
        }
    }

    // MARK: Matching

    /// True when `dataset` (its catalogue entry for dates) meets the filter.
    func matches(_ dataset: SearchableDataset, now: Date = Date()) -> Bool {
        switch self {
        case .all: return true
        case .not(let inner): return !inner.matches(dataset, now: now)
        case .and(let all): return all.allSatisfy { $0.matches(dataset, now: now) }
        case .or(let any): return any.contains { $0.matches(dataset, now: now) }
        case .term(let field, let value):
            if value == "*" { return !dataset.values(field).isEmpty }
            if let low = SolrFilter.date(value, now: now), field == "metadata_modified" || field == "metadata_created" {
                return dataset.date(field).map { abs($0.timeIntervalSince(low)) < 0.0005 } ?? false
            }
            let wanted = value.lowercased()
            return dataset.values(field).contains { $0.lowercased() == wanted }
        case .range(let field, let low, let high, let includeLow, let includeHigh):
            if field == "metadata_modified" || field == "metadata_created" {
                guard let date = dataset.date(field) else { return false }
                if let low {
                    guard let bound = SolrFilter.date(low, now: now), includeLow ? date >= bound : date > bound else { return false }
                }
                if let high {
                    guard let bound = SolrFilter.date(high, now: now), includeHigh ? date <= bound : date < bound else { return false }
                }
                return true
            }
            return dataset.values(field).contains { value in
                (low.map { includeLow ? value >= $0 : value > $0 } ?? true) && (high.map { includeHigh ? value <= $0 : value < $0 } ?? true)
            }
        }
    }

    /// The ranges' and terms' dates are valid, so that a typo is an error rather than no result.
    func validate(now: Date = Date()) throws {
        switch self {
        case .all, .term: return
        case .not(let inner): try inner.validate(now: now)
        case .and(let parts), .or(let parts): try parts.forEach { try $0.validate(now: now) }
        case .range(let field, let low, let high, _, _):
            guard field == "metadata_modified" || field == "metadata_created" else { return }
            for bound in [low, high].compactMap({ $0 }) where SolrFilter.date(bound, now: now) == nil {
                throw Invalid(message: "fq: \(field): '\(bound)' is not a date (2026-12-01T00:00:00Z, NOW, NOW-1DAY, *)")
            }
        }
    }

    /// An ISO 8601 time (with or without `Z`, with any fraction of a second), a day, or Solr's `NOW[-+]n(DAY|HOUR|…)`.
    static func date(_ text: String, now: Date) -> Date? {
        if text.hasPrefix("NOW") {
            var rest = text.dropFirst(3)
            var date = now
            while let sign = rest.first, sign == "-" || sign == "+" {
                rest = rest.dropFirst()
                let digits = rest.prefix { $0.isNumber }
                rest = rest.dropFirst(digits.count)
                let unit = rest.prefix { $0.isLetter }
                rest = rest.dropFirst(unit.count)
                let seconds: Double? =
                    switch unit.uppercased() {
                    case "SECOND", "SECONDS": 1
                    case "MINUTE", "MINUTES": 60
                    case "HOUR", "HOURS": 3600
                    case "DAY", "DAYS": 86400
                    case "MONTH", "MONTHS": 30 * 86400
                    case "YEAR", "YEARS": 365 * 86400
                    default: nil
                    }
                guard let seconds, let count = Double(digits.isEmpty ? "1" : String(digits)) else { return nil }
                date = date.addingTimeInterval((sign == "-" ? -1 : 1) * count * seconds)
            }
            return rest.isEmpty ? date : nil
        }
        var text = text
        if text.count == 10 { text += "T00:00:00Z" }
        // No zone: UTC, as Solr reads it. A numeric offset (`+09:00`, `-05:00`) is kept.
        let zoned = text.hasSuffix("Z") || text.dropFirst(19).contains { $0 == "+" || $0 == "-" }
        if !zoned { text += "Z" }
        if let date = Store.date(text) { return date }
        // RFC 3339 with fractional seconds and an offset.
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

/// What `package_search` filters and sorts a dataset by: its fields as CKAN names them.
struct SearchableDataset {
    var dataset: StoredDataset
    var entry: CatalogEntry?
    var licenseID: String
    var formats: [String]

    func values(_ field: String) -> [String] {
        switch field {
        case "organization", "owner_org", "municipality_code", "extras_municipality_code": [dataset.municipalityCode ?? "unknown"]
        case "name", "id": [dataset.id]
        case "tags": [dataset.standard, dataset.standardTitle]
        case "standard_dataset", "extras_standard_dataset": [dataset.standard]
        case "res_format": formats
        case "license_id": [licenseID]
        case "title": [dataset.title]
        case "state": [entry?.deleted == true ? "deleted" : "active"]
        case "dataset_type", "type": ["dataset"]
        case "capacity": ["public"]
        default: []
        }
    }

    func date(_ field: String) -> Date? {
        Store.date(field == "metadata_created" ? created : modified)
    }

    var created: String { entry?.created ?? dataset.loadedAt }
    var modified: String { entry?.modified ?? dataset.loadedAt }
}
