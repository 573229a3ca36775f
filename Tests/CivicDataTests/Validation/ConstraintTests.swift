import Foundation
import Testing

@testable import CivicData

/// `constraints` of a user schema, enforced on any field whatever its kind, on the normalised value.
@Suite struct ConstraintTests {
    @Test func patternOnATextField() throws {
        let schema = try UserSchema.make(fields: [
            #"{"name": "名称", "type": "string"}"#,
            #"{"name": "管理番号", "type": "string", "constraints": {"pattern": "[A-Z]{2}[0-9]{4}"}}"#,
        ])
        let (records, report) = try UserSchema.read("名称,管理番号\nA,AB1234\nB,AB12345\nC,ab1234\nD,\nE, AB1234 \n", as: schema)
        #expect(records.count == 5)
        // Implicitly anchored: AB12345 does not match; the trimmed value of line 6 does; an empty cell is not checked.
        #expect(UserSchema.findings(.cellPattern, in: report) == ["3 管理番号 管理番号", "4 管理番号 管理番号"])
        let finding = try #require(report.findings.first { $0.code == .cellPattern })
        #expect(finding.severity == .error)
        #expect(finding.message == "管理番号 does not match the pattern [A-Z]{2}[0-9]{4}")
    }

    @Test func patternIsCheckedAfterNormalisation() throws {
        // Full-width digits in an ID are narrowed first; a pattern on the ID sees the half-width value.
        let schema = try UserSchema.make(
            fields: [#"{"name": "ID", "type": "string", "constraints": {"pattern": "^[A-Z]{2}[0-9]{4}$"}, "civic": {"kind": "identifier"}}"#],
            civic: #""idField": "ID""#
        )
        let (_, report) = try UserSchema.read("ID\nＡＢ１２３４\nab1234\nAB-12\n", as: schema)
        #expect(UserSchema.findings(.cellNarrowed, in: report) == ["2 ID ID"])
        // Line 4 breaks the kind's rule (半角英数字) and the pattern: reported once, by the kind.
        #expect(UserSchema.findings(.cellPattern, in: report) == ["3 ID ID", "4 ID ID"])
        let messages = report.findings.filter { $0.code == .cellPattern }.map(\.message)
        #expect(messages == ["ID does not match the pattern ^[A-Z]{2}[0-9]{4}$", "ID must be 半角英数字 (A–Z, a–z, 0–9)"])
    }

    @Test func minimumAndMaximumOnAnIntegerField() throws {
        // No `civic.kind`: the Frictionless type makes it an integer column.
        let schema = try UserSchema.make(fields: [
            #"{"name": "名称", "type": "string"}"#,
            #"{"name": "収容人数", "type": "integer", "constraints": {"minimum": 0, "maximum": 5000}}"#,
        ])
        #expect(schema.fields[1].kind == .integer)
        let (records, report) = try UserSchema.read("名称,収容人数\nA,0\nB,5000\nC,-1\nD,5001\nE,\"1,200\"\nF,many\nG,１２０００\n", as: schema)
        #expect(records.map { $0.values[1] } == ["0", "5000", "-1", "5001", "1200", "many", "12000"])
        #expect(UserSchema.findings(.numberBelowMinimum, in: report) == ["4 収容人数 収容人数"])
        #expect(UserSchema.findings(.numberAboveMaximum, in: report) == ["5 収容人数 収容人数", "8 収容人数 収容人数"])
        // Not a number: the kind says so, the bounds say nothing.
        #expect(UserSchema.findings(.numberInvalid, in: report) == ["7 収容人数 収容人数"])
        let messages = report.findings.filter { $0.code == .numberBelowMinimum || $0.code == .numberAboveMaximum }.map(\.message)
        #expect(messages == ["収容人数 is below the minimum 0", "収容人数 is above the maximum 5000", "収容人数 is above the maximum 5000"])
    }

    @Test func boundsOnANumberField() throws {
        let schema = try UserSchema.make(fields: [#"{"name": "水深", "type": "number", "constraints": {"minimum": -12.5, "maximum": 0.5}}"#])
        let (_, report) = try UserSchema.read("水深\n-12.5\n0.5\n-12.6\n0.51\n", as: schema)
        #expect(UserSchema.findings(.numberBelowMinimum, in: report) == ["4 水深 水深"])
        #expect(UserSchema.findings(.numberAboveMaximum, in: report) == ["5 水深 水深"])
        #expect(report.findings.contains { $0.message == "水深 is below the minimum -12.5" })
    }

    @Test func boundsOnATextFieldAreIgnored() throws {
        let schema = try UserSchema.make(fields: [#"{"name": "備考", "type": "string", "constraints": {"minimum": 0, "maximum": 10}}"#])
        let (_, report) = try UserSchema.read("備考\n-5\n50\n", as: schema)
        #expect(report.findings.isEmpty)
    }

    @Test func aCountBelowZeroInABundledSchema() throws {
        // The bundled counts say `minimum: 0`; a negative count is `number.belowMinimum`, as before.
        let schema = try #require(SchemaCatalog.bundled["public_toilet"])
        let field = try #require(schema.fields.first { $0.kind == .integer })
        #expect(field.constraints?.minimum == 0)
        let header = schema.fields.map(\.name)
        var row = Array(repeating: "", count: header.count)
        row[try #require(header.firstIndex(of: field.name))] = "-3"
        let csv = header.joined(separator: ",") + "\n" + row.joined(separator: ",") + "\n"
        let (_, report) = try DatasetReader.readAll(source: .bytes(Array(csv.utf8), name: "t.csv"), options: ReadOptions(dataset: "public_toilet"))
        #expect(UserSchema.findings(.numberBelowMinimum, in: report) == ["2 \(field.name) \(field.name)"])
        #expect(UserSchema.findings(.numberFormat, in: report).isEmpty)
        #expect(UserSchema.findings(.numberInvalid, in: report).isEmpty)
    }

    @Test func narrowerBoundsOnLatitude() throws {
        // ±90/±180 are the coordinate check's; narrower bounds are checked on the cell, except on a value in the other
        // coordinate's range for Japan, which the pair check exchanges (line 4) or reports.
        let schema = try UserSchema.make(
            fields: [
                #"{"name": "緯度", "type": "number", "constraints": {"minimum": 30, "maximum": 40}, "civic": {"kind": "latitude"}}"#,
                #"{"name": "経度", "type": "number", "constraints": {"minimum": -180, "maximum": 180}, "civic": {"kind": "longitude"}}"#,
            ],
            civic: #""latitudeField": "緯度", "longitudeField": "経度""#
        )
        let (records, report) = try UserSchema.read("緯度,経度\n35.6,139.7\n43.0,141.3\n139.7,35.6\n", as: schema)
        #expect(UserSchema.findings(.numberAboveMaximum, in: report) == ["3 緯度 緯度"])
        #expect(UserSchema.findings(.coordinatesSwapped, in: report).count == 2)
        #expect(records[2].latitude == 35.6)
        #expect(UserSchema.findings(.numberBelowMinimum, in: report).isEmpty)
    }

    @Test func enumOnAnyField() throws {
        let schema = try UserSchema.make(fields: [
            #"{"name": "区分", "type": "string", "constraints": {"enum": ["公立", "私立"]}}"#,
            #"{"name": "種別", "type": "string", "constraints": {"enum": ["A", "B"]}, "civic": {"enumLevel": "warning"}}"#,
        ])
        let (_, report) = try UserSchema.read("区分,種別\n公立,A\n国立,C\n", as: schema)
        #expect(UserSchema.findings(.cellEnum, in: report) == ["3 区分 区分", "3 種別 種別"])
        #expect(report.findings.filter { $0.code == .cellEnum }.map(\.severity) == [.error, .warning])
    }

    @Test func uniqueValues() throws {
        let schema = try UserSchema.make(
            fields: [
                #"{"name": "ID", "type": "string", "civic": {"kind": "identifier"}}"#,
                #"{"name": "管理番号", "type": "string", "constraints": {"unique": true}}"#,
                #"{"name": "名称", "type": "string"}"#,
            ],
            civic: #""idField": "ID""#
        )
        let (_, report) = try UserSchema.read("ID,管理番号,名称\n1,A,x\n2,B,x\n2, A ,x\n3,,x\n4,,x\n", as: schema)
        // The ID keeps `id.duplicate`; another unique field says `cell.unique`; values compare after normalisation.
        #expect(UserSchema.findings(.idDuplicate, in: report) == ["4 ID ID"])
        #expect(UserSchema.findings(.cellUnique, in: report) == ["4 管理番号 管理番号"])
        let finding = try #require(report.findings.first { $0.code == .cellUnique })
        #expect(finding.severity == .error && finding.message == "the same 管理番号 as the record on line 2" && finding.before == "A")
    }

    @Test func uniqueOnTheIDFieldIsReportedOnce() throws {
        let schema = try UserSchema.make(
            fields: [#"{"name": "ID", "type": "string", "constraints": {"unique": true}, "civic": {"kind": "identifier"}}"#],
            civic: #""idField": "ID""#
        )
        let (_, report) = try UserSchema.read("ID\n1\n1\n", as: schema)
        #expect(UserSchema.findings(.idDuplicate, in: report) == ["3 ID ID"])
        #expect(UserSchema.findings(.cellUnique, in: report).isEmpty)
    }

    @Test func anInvalidPatternInASchemaValueIsASchemaError() throws {
        // Schema.decode refuses it; a schema built in code meets the same error when a reader uses it.
        var schema = try UserSchema.make(fields: [#"{"name": "名称", "type": "string"}"#])
        schema.fields[0].constraints = Field.Constraints(pattern: "[A-")
        let error = try #require(throws: SchemaError.self) { try UserSchema.read("名称\nA\n", as: schema) }
        #expect(error.code == .invalidPattern)
        #expect(error.description.hasPrefix("invalidPattern: schema 'facility', field '名称': constraints.pattern is not a regular expression: [A-"))
    }
}

/// `ValuePattern`: Frictionless patterns match the whole value.
@Suite struct ValuePatternTests {
    @Test(arguments: [
        ("[A-Z]{2}[0-9]{4}", "AB1234", true),
        ("[A-Z]{2}[0-9]{4}", "AB12345", false),
        ("[A-Z]{2}[0-9]{4}", "xAB1234", false),
        ("a|ab", "ab", true),
        ("^[0-9]{2}$|^[0-9]{5,6}$", "12345", true),
        ("^[0-9]{2}$|^[0-9]{5,6}$", "1234", false),
        ("[0-9]+", "12\n", false),
        ("^.+$", "a\nb", false),
        ("東京都.*", "東京都港区", true),
    ])
    func matchesTheWholeValue(pattern: String, value: String, matches: Bool) throws {
        #expect(try ValuePattern(pattern, schema: "s", field: "f").matches(value) == matches)
    }

    @Test(arguments: ["[A-", "a)(b", "(?<x", "*"])
    func refusesAnInvalidPattern(_ pattern: String) {
        #expect(throws: SchemaError.self) { try ValuePattern(pattern, schema: "s", field: "f") }
    }

    @Test func everyBundledPatternIsEnforcedByItsKind() {
        // So reading a file of a standard dataset runs no regular expression.
        for schema in SchemaCatalog.bundled.schemas {
            for field in schema.fields {
                guard let pattern = field.constraints?.pattern else { continue }
                #expect(CellNormalizer.kindEnforces(pattern: pattern, kind: field.kind), "\(schema.id) \(field.name)")
            }
        }
    }
}

/// `UniqueValues` on its own.
@Suite struct UniqueValuesTests {
    @Test func reportsRepeatsPerColumn() {
        let unique = UniqueValues(columns: [
            .init(output: 0, field: "ID", inputColumn: "NO", code: .idDuplicate),
            .init(output: 2, field: "番号", inputColumn: "番号", code: .cellUnique),
        ])
        var findings: [Finding] = []
        for (line, values) in [(2, ["1", "x", "a"]), (3, ["2", "x", "a"]), (4, ["1", "y", ""]), (5, ["3", "y", ""])] {
            unique.check(NormalizedRecord(line: line, values: values), into: &findings)
        }
        #expect(findings.map { "\($0.code) \($0.line ?? 0) \($0.column ?? "-")" } == ["cell.unique 3 番号", "id.duplicate 4 NO"])
        #expect(findings.map(\.message) == ["the same 番号 as the record on line 2", "the same ID as the record on line 2"])
    }
}
