public import Foundation

extension Schema {
    /// Decodes one schema from its JSON text and checks that every `constraints.pattern` compiles.
    ///
    /// - Parameter file: the file's name, for errors.
    /// - Throws: `SchemaError` (`malformed`, with the line and column of a JSON syntax error when the parser gives
    ///   them and the coding path of a missing or mistyped value; `invalidPattern`).
    public static func decode(json: Data, file: String? = nil) throws -> Schema {
        let schema: Schema
        do {
            schema = try JSONDecoder().decode(Schema.self, from: json)
        } catch {
            throw SchemaError(decoding: error, json: json, file: file)
        }
        do {
            try schema.checkPatterns()
        } catch var error as SchemaError {
            error.file = file
            throw error
        }
        return schema
    }

    /// The schema as JSON (pretty-printed, keys sorted, no escaped slashes), as the store keeps it beside a
    /// dataset. `Schema.decode(json:)` reads it back to an equal value; keys the types do not model (and keys
    /// whose value is null) are not written.
    public func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Throws `SchemaError.invalidPattern` for the first field (current or legacy) whose `constraints.pattern` is
    /// not a regular expression.
    public func checkPatterns() throws {
        var checked: Set<String> = []
        for field in fields + legacyFields {
            guard let pattern = field.constraints?.pattern, checked.insert(pattern).inserted else { continue }
            _ = try ValuePattern(pattern, schema: id, field: field.name)
        }
    }
}

extension SchemaError {
    /// A `malformed` error for a decoding failure: where in the JSON (line and column of a syntax error, the coding
    /// path of a missing or mistyped value) and what.
    init(decoding error: any Error, json: Data, file: String?) {
        self.init(code: .malformed, message: "not a schema: \(error)", file: file, cause: error)
        guard let decodingError = error as? DecodingError else { return }
        switch decodingError {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            message = "not valid JSON"
            // JSONDecoder does not say where; JSONSerialization does ("… around character 15." on Linux, "… around
            // line 2, column 7." on Darwin).
            do {
                _ = try JSONSerialization.jsonObject(with: json)
            } catch {
                let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
                if let (line, column) = SchemaError.position(in: detail, json: json) {
                    (self.line, self.column) = (line, column)
                }
                // "Invalid value around character 15." → "invalid value"
                let reason = (detail.components(separatedBy: " around ").first ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "."))
                if let first = reason.first { message += ": " + first.lowercased() + reason.dropFirst() }
            }
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            message = "at \(SchemaError.path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            message = "at \(SchemaError.path(context.codingPath)): the key '\(key.stringValue)' is missing"
        @unknown default:
            break
        }
    }

    /// `fields[3].constraints.minimum`; `the top level` for an empty path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        let text = DecodingFailure.path(codingPath)
        return text.isEmpty ? "the top level" : text
    }

    /// The 1-based line and column of a parser's "around line L, column C" or "around character N" (a byte offset).
    static func position(in detail: String, json: Data) -> (line: Int, column: Int)? {
        let numbers = { (prefix: String) -> [Int]? in
            guard let range = detail.range(of: prefix) else { return nil }
            return detail[range.upperBound...].split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        }
        if let found = numbers("around line "), found.count == 2 { return (found[0], found[1]) }
        guard let offset = numbers("around character ")?.first, offset <= json.count else { return nil }
        let before = json.prefix(offset)
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? before.startIndex
        let line = before.count(where: { $0 == 0x0A }) + 1
        return (line, String(decoding: before[lineStart...], as: UTF8.self).count + 1)
    }
}
