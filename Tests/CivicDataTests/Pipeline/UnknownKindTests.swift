import Foundation
import Testing

@testable import CivicData

/// A `civic.kind` Civic does not know does not fail the schema: the field is text, and the reader says so once.
@Suite struct UnknownKindTests {
    @Test func unknownKindIsTextAndReportedOnce() throws {
        let schema = try UserSchema.make(fields: [
            #"{"name": "名称", "type": "string"}"#,
            #"{"name": "靴のサイズ", "type": "string", "civic": {"kind": "shoeSize"}}"#,
            #"{"name": "色", "type": "string", "civic": {"kind": "colour"}}"#,
        ])
        #expect(schema.fields[1].kind == .text)
        #expect(schema.fields[1].unknownKind == "shoeSize")
        #expect(schema.fields[0].unknownKind == nil)
        let (records, report) = try UserSchema.read("# 施設一覧\n名称,靴のサイズ\nA,ｶﾞ\nB,25\n", as: schema)
        #expect(records.map { $0.values[1] } == ["ガ", "25"])  // checked as text: half-width kana widened
        let unknown = report.findings.filter { $0.code == .schemaUnknownKind }
        #expect(
            unknown.map { "\($0.line ?? 0) \($0.column ?? "-") \($0.field ?? "-") \($0.severity)" } == ["2 靴のサイズ 靴のサイズ warning", "2 - 色 warning"]
        )
        #expect(unknown.first?.message == "the schema gives 靴のサイズ the kind 'shoeSize', which Civic does not know; checked as text")
    }
}
