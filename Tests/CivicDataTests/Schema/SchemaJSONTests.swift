import Foundation
import Testing

@testable import CivicData

/// Schemas to and from JSON: the round trip, and the errors a malformed schema gives.
@Suite struct SchemaJSONTests {
    @Test(arguments: SchemaCatalog.bundled.schemas.map(\.id))
    func roundTrips(_ id: String) throws {
        let schema = try #require(SchemaCatalog.bundled[id])
        let encoded = try schema.encodedJSON()
        #expect(try Schema.decode(json: encoded) == schema)
        // Nothing of the file is lost: the same JSON, but for keys whose value is null.
        let text = try #require(SchemaCatalog.bundledSchemaJSON.first { $0.id == id }?.json)
        let original = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let written = try JSONSerialization.jsonObject(with: encoded)
        #expect(
            NSDictionary(dictionary: try #require(Self.droppingNulls(original) as? [String: Any])).isEqual(
                to: try #require(written as? [String: Any])
            )
        )
        // Encoding is deterministic.
        #expect(try schema.encodedJSON() == encoded)
    }

    @Test func unknownKindRoundTrips() throws {
        let schema = try UserSchema.make(fields: [#"{"name": "靴", "type": "string", "civic": {"kind": "shoeSize"}}"#])
        let decoded = try Schema.decode(json: try schema.encodedJSON())
        #expect(decoded == schema)
        #expect(decoded.fields[0].unknownKind == "shoeSize")
        #expect(String(decoding: try schema.encodedJSON(), as: UTF8.self).contains(#""kind" : "shoeSize""#))
    }

    @Test func settingAKindReplacesAnUnknownOne() throws {
        var schema = try UserSchema.make(fields: [#"{"name": "靴", "type": "string", "civic": {"kind": "shoeSize"}}"#])
        schema.fields[0].civic?.kind = .integer
        #expect(schema.fields[0].kind == .integer && schema.fields[0].unknownKind == nil)
    }

    @Test func aSyntaxErrorSaysWhere() throws {
        let json = "{\n  \"name\": \"x\",\n  \"title\": ,\n}"
        let error = try #require(throws: SchemaError.self) { try Schema.decode(json: Data(json.utf8), file: "x.schema.json") }
        #expect(error.code == .malformed)
        #expect(error.file == "x.schema.json")
        #expect(error.line == 3 && error.column == 12)
        #expect(error.description == "x.schema.json:3:12: malformed: not valid JSON: invalid value")
    }

    @Test func anUnfinishedFileSaysSo() throws {
        let error = try #require(throws: SchemaError.self) { try Schema.decode(json: Data(#"{"name": "x", "fields": ["#.utf8)) }
        #expect(error.code == .malformed)
        #expect(error.description.hasPrefix("malformed: not valid JSON"))
    }

    @Test func aMistypedValueSaysItsPath() throws {
        let json = #"{"name": "x", "title": "x", "fields": [{"name": "a", "type": "integer", "constraints": {"minimum": "zero"}}], "civic": {}}"#
        let error = try #require(throws: SchemaError.self) { try Schema.decode(json: Data(json.utf8), file: "x.schema.json") }
        #expect(error.code == .malformed)
        #expect(error.description.hasPrefix("x.schema.json: malformed: at fields[0].constraints.minimum: "))
    }

    @Test func aMissingKeySaysWhichAndWhere() throws {
        let json = #"{"name": "x", "fields": [{"name": "a"}, {"type": "string"}]}"#
        let error = try #require(throws: SchemaError.self) { try Schema.decode(json: Data(json.utf8)) }
        #expect(error.description == "malformed: at fields[1]: the key 'name' is missing")
    }

    @Test func aPlainFrictionlessSchemaDecodes() throws {
        // No `title`, no `civic`, a field without `type`: defaults as in Frictionless.
        let json = #"{"name": "x", "fields": [{"name": "a"}, {"name": "b", "type": "integer", "constraints": {"minimum": 0}}]}"#
        let schema = try Schema.decode(json: Data(json.utf8))
        #expect(schema.title == "x" && schema.civic == Schema.Extension())
        #expect(schema.fields.map(\.type) == ["string", "integer"])
        #expect(schema.fields.map(\.kind) == [.text, .integer])
        #expect(try Schema.decode(json: try schema.encodedJSON()) == schema)
    }

    @Test func anInvalidPatternNamesSchemaAndField() throws {
        let json = #"{"name": "x", "title": "x", "fields": [{"name": "番号", "type": "string", "constraints": {"pattern": "([0-9]"}}], "civic": {}}"#
        let error = try #require(throws: SchemaError.self) { try Schema.decode(json: Data(json.utf8), file: "x.schema.json") }
        #expect(error.code == .invalidPattern)
        #expect(
            error.description == "x.schema.json: invalidPattern: schema 'x', field '番号': constraints.pattern is not a regular expression: ([0-9]"
        )
    }

    /// The JSON value without the object keys whose value is null.
    static func droppingNulls(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            return object.filter { !($0.value is NSNull) }.mapValues(droppingNulls)
        }
        if let array = value as? [Any] { return array.map(droppingNulls) }
        return value
    }
}
