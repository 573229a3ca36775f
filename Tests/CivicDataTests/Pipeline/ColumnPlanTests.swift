import Foundation
import Testing

@testable import CivicData

/// Headers → column plans, over a small schema with every way a column can be matched.
@Suite struct ColumnPlanTests {
    /// Fields: 0 ID, 1 地方公共団体名 (required), 2 名称 (required, inferred), 3 所在地_連結表記, 4 緯度, 5 経度.
    static let schema: Schema = {
        let json = #"""
            {
              "name": "plan_test",
              "title": "テスト一覧",
              "fields": [
                {"name": "ID", "type": "string", "civic": {"kind": "identifier", "aliases": ["identifier"]}},
                {"name": "地方公共団体名", "type": "string", "constraints": {"required": true}},
                {"name": "名称", "type": "string", "constraints": {"required": true}, "civic": {"requiredLevelSource": "inferred"}},
                {"name": "所在地_連結表記", "type": "string", "civic": {"aliases": ["住所", "address"]}},
                {"name": "緯度", "type": "number", "civic": {"kind": "latitude", "aliases": ["lat"]}},
                {"name": "経度", "type": "number", "civic": {"kind": "longitude", "aliases": ["lon"]}}
              ],
              "civic": {
                "legacyFields": [
                  {"name": "NO", "type": "string", "civic": {"kind": "identifier", "currentName": "ID"}},
                  {"name": "都道府県名", "type": "string", "civic": {"currentName": "地方公共団体名"}},
                  {"name": "市区町村名", "type": "string", "civic": {"currentName": "地方公共団体名"}},
                  {"name": "住所", "type": "string", "civic": {"currentName": null}}
                ],
                "latitudeField": "緯度",
                "longitudeField": "経度",
                "idField": "ID"
              }
            }
            """#
        do {
            return try Schema.decode(json: Data(json.utf8))
        } catch {
            preconditionFailure("the test schema does not decode: \(error)")
        }
    }()

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var header: [String]
        var targets: [ColumnPlan.Target]
        /// Output columns after the six standard ones.
        var extraColumns: [String] = []
        var how: [ColumnMapping.How]
        /// `code severity column field` per finding, "-" for nil.
        var findings: [String] = []
        var present: Set<Int>
        var packedColumn: Int?
        /// X, Y, 座標系番号, 測地系 input positions.
        var plane: [Int?] = [nil, nil, nil, nil]

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "current names",
            header: ["ID", "地方公共団体名", "名称", "所在地_連結表記", "緯度", "経度"],
            targets: (0..<6).map { .field(output: $0, field: $0) },
            how: Array(repeating: .same, count: 6),
            present: [0, 1, 2, 3, 4, 5]
        ),
        Case(
            name: "names compared by HeaderKey",
            header: ["ＩＤ", "地方公共団体名（必須）", " 名称 "],
            targets: [.field(output: 0, field: 0), .field(output: 1, field: 1), .field(output: 2, field: 2)],
            how: [.same, .same, .same],
            present: [0, 1, 2]
        ),
        Case(
            name: "legacy names, two joined",
            header: ["NO", "都道府県名", "市区町村名", "名称"],
            targets: [.field(output: 0, field: 0), .field(output: 1, field: 1), .join(output: 1, field: 1), .field(output: 2, field: 2)],
            how: [.legacyName, .joined, .joined, .same],
            findings: [
                "header.renamed info NO ID",
                "header.renamed info 都道府県名 地方公共団体名",
                "column.joined info 市区町村名 地方公共団体名",
            ],
            present: [0, 1, 2]
        ),
        Case(
            name: "aliases",
            header: ["identifier", "地方公共団体名", "名称", "lat", "LON"],
            targets: [
                .field(output: 0, field: 0), .field(output: 1, field: 1), .field(output: 2, field: 2), .field(output: 4, field: 4),
                .field(output: 5, field: 5),
            ],
            how: [.alias, .same, .same, .alias, .alias],
            findings: ["header.renamed info identifier ID", "header.renamed info lat 緯度", "header.renamed info LON 経度"],
            present: [0, 1, 2, 4, 5]
        ),
        Case(
            name: "a legacy name without a current field is not tried as an alias",
            header: ["地方公共団体名", "名称", "住所"],
            targets: [.field(output: 1, field: 1), .field(output: 2, field: 2), .extra(output: 6)],
            extraColumns: ["住所"],
            how: [.same, .same, .extra],
            findings: ["header.extraColumn info 住所 -"],
            present: [1, 2]
        ),
        Case(
            name: "a repeated header",
            header: ["地方公共団体名", "名称", "名称"],
            targets: [.field(output: 1, field: 1), .field(output: 2, field: 2), .extra(output: 6)],
            extraColumns: ["名称 (3)"],
            how: [.same, .same, .extra],
            findings: ["header.duplicate warning 名称 -"],
            present: [1, 2]
        ),
        Case(
            name: "a second column for a filled field",
            header: ["identifier", "ID", "地方公共団体名", "名称"],
            targets: [.field(output: 0, field: 0), .extra(output: 6), .field(output: 1, field: 1), .field(output: 2, field: 2)],
            extraColumns: ["ID (2)"],
            how: [.alias, .extra, .same, .same],
            findings: ["header.renamed info identifier ID", "header.duplicate warning ID ID"],
            present: [0, 1, 2]
        ),
        Case(
            name: "a legacy column for a field filled by its current name is not joined",
            header: ["地方公共団体名", "都道府県名", "名称"],
            targets: [.field(output: 1, field: 1), .extra(output: 6), .field(output: 2, field: 2)],
            extraColumns: ["都道府県名"],
            how: [.same, .extra, .same],
            findings: ["header.duplicate warning 都道府県名 地方公共団体名"],
            present: [1, 2]
        ),
        Case(
            name: "empty headers",
            header: ["地方公共団体名", "", " ", "名称"],
            targets: [.field(output: 1, field: 1), .extra(output: 6), .extra(output: 7), .field(output: 2, field: 2)],
            extraColumns: ["列2", "列3"],
            how: [.same, .extra, .extra, .same],
            findings: [
                "header.empty warning 列2 -", #"header.extraColumn info "" -"#,
                "header.empty warning 列3 -", #"header.extraColumn info " " -"#,
            ],
            present: [1, 2]
        ),
        Case(
            name: "packed \"lat,lon\"",
            header: ["地方公共団体名", "名称", "緯度,経度"],
            targets: [.field(output: 1, field: 1), .field(output: 2, field: 2), .packedCoordinates],
            how: [.same, .same, .packedCoordinates],
            findings: ["column.packedCoordinates info 緯度,経度 -"],
            present: [1, 2, 4, 5],
            packedColumn: 2
        ),
        Case(
            name: "a packed column beside 緯度 and 経度 is an extra column",
            header: ["地方公共団体名", "名称", "latlon", "緯度", "経度"],
            targets: [
                .field(output: 1, field: 1), .field(output: 2, field: 2), .extra(output: 6), .field(output: 4, field: 4), .field(output: 5, field: 5),
            ],
            extraColumns: ["latlon"],
            how: [.same, .same, .extra, .same, .same],
            present: [1, 2, 4, 5]
        ),
        Case(
            name: "plane rectangular X, Y, zone and datum",
            header: ["地方公共団体名", "名称", "X座標", "Y座標", "座標系番号", "測地系"],
            targets: [
                .field(output: 1, field: 1), .field(output: 2, field: 2), .extra(output: 6), .extra(output: 7), .extra(output: 8), .extra(output: 9),
            ],
            extraColumns: ["X座標", "Y座標", "座標系番号", "測地系"],
            how: [.same, .same, .extra, .extra, .extra, .extra],
            findings: [
                "header.extraColumn info X座標 -", "header.extraColumn info Y座標 -",
                "header.extraColumn info 座標系番号 -", "header.extraColumn info 測地系 -",
            ],
            present: [1, 2],
            plane: [2, 3, 4, 5]
        ),
        Case(
            name: "X without Y is no plane point",
            header: ["地方公共団体名", "名称", "X", "系"],
            targets: [.field(output: 1, field: 1), .field(output: 2, field: 2), .extra(output: 6), .extra(output: 7)],
            extraColumns: ["X", "系"],
            how: [.same, .same, .extra, .extra],
            findings: ["header.extraColumn info X -", "header.extraColumn info 系 -"],
            present: [1, 2],
            plane: [nil, nil, 3, nil]
        ),
        Case(
            name: "missing required columns",
            header: ["ID", "緯度", "経度"],
            targets: [.field(output: 0, field: 0), .field(output: 4, field: 4), .field(output: 5, field: 5)],
            how: [.same, .same, .same],
            findings: ["header.missingRequired error - 地方公共団体名", "header.missingRequired warning - 名称"],
            present: [0, 4, 5]
        ),
    ]

    @Test(arguments: cases)
    func plansHeader(_ expected: Case) {
        let plan = ColumnPlan(header: expected.header, schema: Self.schema)
        #expect(plan.targets == expected.targets)
        #expect(plan.outputColumns == Self.schema.fields.map(\.name) + expected.extraColumns)
        #expect(plan.mappings.map(\.how) == expected.how)
        #expect(plan.mappings.map(\.index) == Array(1...expected.header.count))
        #expect(plan.mappings.map(\.column) == expected.header)
        #expect(plan.findings.map(Self.describe) == expected.findings)
        #expect(plan.presentFields == expected.present)
        #expect(plan.packedColumn == expected.packedColumn)
        #expect([plan.planeXColumn, plan.planeYColumn, plan.zoneColumn, plan.datumColumn] == expected.plane)
        #expect(plan.latitudeOutput == 4 && plan.longitudeOutput == 5 && plan.idOutput == 0)
    }

    @Test func mappingsNameTheOutputColumns() {
        let plan = ColumnPlan(header: ["NO", "都道府県名", "市区町村名", "緯度・経度", "名称", "名称"], schema: Self.schema)
        #expect(
            plan.mappings.map(\.output) == [["ID"], ["地方公共団体名"], ["地方公共団体名"], ["緯度", "経度"], ["名称"], ["名称 (6)"]]
        )
    }

    @Test func reportsUnknownKindsAfterTheHeaderFindings() throws {
        var schema = Self.schema
        let json = #"{"name": "名称", "type": "string", "constraints": {"required": true}, "civic": {"kind": "shoeSize"}}"#
        schema.fields[2] = try JSONDecoder().decode(Field.self, from: Data(json.utf8))
        let plan = ColumnPlan(header: ["名称", "lat"], schema: schema)
        #expect(
            plan.findings.map(Self.describe) == [
                "header.renamed info lat 緯度",
                "header.missingRequired error - 地方公共団体名",
                "schema.unknownKind warning 名称 名称",
            ]
        )
        #expect(plan.targets == [.field(output: 2, field: 2), .field(output: 4, field: 4)])
    }

    /// `code severity column field`: "-" for nil, a blank column name quoted.
    static func describe(_ finding: Finding) -> String {
        let column = finding.column.map { $0.allSatisfy(\.isWhitespace) ? "\"\($0)\"" : $0 } ?? "-"
        return "\(finding.code) \(finding.severity.rawValue) \(column) \(finding.field ?? "-")"
    }
}
