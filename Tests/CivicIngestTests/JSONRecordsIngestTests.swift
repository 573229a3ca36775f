import CivicData
import Foundation
import Testing

@testable import CivicIngest

/// A JSON array of flat records (a city API, a CKAN datastore dump) is a table: one record per object, the columns
/// the union of the keys, coordinates from 緯度/経度-like columns as in a CSV.
@Suite struct JSONRecordsIngestTests {
    static let towada = HeldOutTests.folder.appendingPathComponent("towada-022063__022063_public_wireless_lan.json")

    static func rows(_ source: GeoJSONRows) throws -> (header: [String], rows: [CSVRow]) {
        let header = try #require(try source.nextRow()).cells
        var rows: [CSVRow] = []
        while let row = try source.nextRow() { rows.append(row) }
        return (header, rows)
    }

    /// Every property value of every object, compared with an independent parse (Foundation's JSONSerialization):
    /// strings as they are, numbers as the same number, null as an empty cell, nested values as equal JSON.
    static func expectEveryValueKept(_ bytes: [UInt8], records path: [String] = [], name: String) throws {
        var parsed: Any = try JSONSerialization.jsonObject(with: Data(bytes))
        for key in path { parsed = try #require((parsed as? [String: Any])?[key]) }
        let objects = try #require(parsed as? [[String: Any]])
        let (header, rows) = try Self.rows(try GeoJSONRows(bytes: bytes, name: name))
        #expect(rows.count == objects.count)
        #expect(Set(header) == Set(objects.flatMap(\.keys)))
        for (object, row) in zip(objects, rows) {
            #expect(row.cells.count == header.count)
            for (key, value) in object {
                let cell = try #require(header.firstIndex(of: key).map { row.cells[$0] })
                switch value {
                case is NSNull:
                    #expect(cell == "", "\(key)")
                case let text as String:
                    #expect(cell == text, "\(key)")
                case let number as NSNumber where cell == "true" || cell == "false":
                    // A JSON boolean (Foundation reads it as a number 1 or 0).
                    #expect(number.boolValue == (cell == "true"), "\(key)")
                case let number as NSNumber:
                    #expect(Double(cell) == number.doubleValue, "\(key): \(cell)")
                default:
                    // Nested: the cell is JSON text equal to the value (both written with sorted keys to compare).
                    let nested = try JSONSerialization.jsonObject(with: Data(cell.utf8))
                    let written = try JSONSerialization.data(withJSONObject: nested, options: [.sortedKeys])
                    let expected = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
                    #expect(written == expected, "\(key): \(cell)")
                }
            }
            // Keys the object does not have are empty cells.
            for (index, column) in header.enumerated() where object[column] == nil { #expect(row.cells[index] == "") }
        }
    }

    @Test func theTowadaWiFiListIsAPublicWirelessLANDataset() throws {
        let (records, report) = try Ingest.readAll(.file(Self.towada))
        #expect(report.recognition.dataset == "public_wireless_lan")
        #expect(report.source.format == "json")
        #expect(report.source.member == nil)
        #expect(records.count == 3)
        // Each record's line is the line its object starts on (found here by reading the text).
        let text = try String(contentsOf: Self.towada, encoding: .utf8)
        let starts = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.trimmingCharacters(in: .whitespaces) == "{" }.map { $0.offset + 1 }
        #expect(records.map(\.line) == starts)
        // Placed in 十和田市 (40.61 N, 141.21 E), by the 緯度/経度 columns like a CSV's.
        for record in records {
            let latitude = try #require(record.latitude)
            let longitude = try #require(record.longitude)
            #expect((40.45...40.75).contains(latitude) && (140.85...141.35).contains(longitude), "\(latitude), \(longitude)")
        }
        let coordinates = try #require(report.coordinates)
        #expect(coordinates.sources.map(\.records).reduce(0, +) == 3)
        #expect(coordinates.failed == 0 && coordinates.outsidePrefecture == 0 && coordinates.farFromMunicipality == 0)
        #expect(!report.findings.contains { $0.code == .rowBlank })
    }

    @Test func everyTowadaValueIsKept() throws {
        try Self.expectEveryValueKept(Array(try Data(contentsOf: Self.towada)), name: "towada.json")
    }

    @Test func valuesOfEveryJSONTypeAreKept() throws {
        let text = """
            [
              {"名称": "A", "数": 1.50, "大": 12345678901234567890, "有": true, "無": false, "空": null, "入れ子": {"a": [1, "x"]}},
              {"名称": "B", "後": "only here", "数": -2e3},
              {}
            ]
            """
        try Self.expectEveryValueKept(Array(text.utf8), name: "types.json")
        let (header, rows) = try Self.rows(try GeoJSONRows(bytes: Array(text.utf8), name: "types.json"))
        #expect(header == ["名称", "数", "大", "有", "無", "空", "入れ子", "後"])
        // Numbers keep their written text; an empty object is still a record.
        #expect(rows[0].cells[1] == "1.50" && rows[0].cells[2] == "12345678901234567890" && rows[1].cells[1] == "-2e3")
        #expect(rows.map(\.line) == [2, 3, 4])
        let (records, report) = try Ingest.readAll(.bytes(Array(text.utf8), name: "types.json"))
        #expect(records.count == 3 && report.summary.blankRows == 0)
    }

    @Test func aCKANDatastoreDumpIsReadFromResultRecords() throws {
        let text = """
            {"help": "https://ckan.example/api/3/action/help_show?name=datastore_search", "success": true,
             "result": {"resource_id": "5a2c", "fields": [{"id": "_id", "type": "int"}, {"id": "名称", "type": "text"}],
              "records": [
                {"_id": 1, "名称": "十和田市民図書館", "緯度": "40.6125", "経度": "141.2069"},
                {"_id": 2, "名称": "十和田市役所", "緯度": "40.6122", "経度": "141.2061"}
              ],
              "total": 2}}
            """
        let bytes = Array(text.utf8)
        try Self.expectEveryValueKept(bytes, records: ["result", "records"], name: "datastore.json")
        let (records, report) = try Ingest.readAll(.bytes(bytes, name: "datastore.json"))
        #expect(report.source.format == "json" && report.source.member == "result.records")
        #expect(records.count == 2 && records.map(\.line) == [4, 5])
        #expect(records.allSatisfy { $0.latitude != nil && $0.longitude != nil })
        #expect(report.columns.map(\.column).contains("_id"))
        // The rest of the document is in the report, not lost.
        let others = try #require(report.findings.first { $0.code == .jsonOtherMember })
        let rest = try #require(try JSONSerialization.jsonObject(with: Data((others.before ?? "").utf8)) as? [String: Any])
        #expect(Set(rest.keys) == ["help", "success", "result"])
        #expect(Set((rest["result"] as? [String: Any])?.keys.map { $0 } ?? []) == ["resource_id", "fields", "total"])
        // The text report says which member was read.
        let out = ByteWriter()
        let writer = TextReportWriter(output: out)
        try writer.finish(report)
        #expect(String(decoding: out.bytes, as: UTF8.self).contains(#"the records of "result.records""#))
    }

    @Test func aRepeatedKeyKeepsItsEarlierValueInTheReport() throws {
        let rows = try GeoJSONRows(bytes: Array("[\n{\"a\": 1, \"a\": \"two\"}\n]".utf8), name: "twice.json")
        #expect(try Self.rows(rows).rows.map(\.cells) == [["two"]])
        let findings = rows.takeFindings()
        #expect(findings.map(\.code) == [.jsonRepeatedKey] && findings.first?.before == "1" && findings.first?.line == 2)
    }

    @Test func theCommonWrappersAreRead() throws {
        for member in ["records", "data", "result", "items"] {
            let text = #"{"count": 1, "\#(member)": [{"名称": "A"}, {"名称": "B"}]}"#
            let rows = try GeoJSONRows(bytes: Array(text.utf8), name: "\(member).json")
            #expect(rows.member == member && rows.isRecordArray && !rows.hasGeometry)
            #expect(try Self.rows(rows).rows.map(\.cells) == [["A"], ["B"]])
            #expect(rows.takeFindings().map(\.before) == [#"{"count":1}"#])
        }
    }

    /// Anything but an array of objects stays "not a table", saying what it is (and where, for an array).
    @Test func otherJSONIsRefusedWithWhatItIs() throws {
        func message(_ text: String) -> String? {
            do {
                _ = try Ingest.open(.bytes(Array(text.utf8), name: "x.json"))
                return nil
            } catch {
                return (error as? DatasetError).map { "\($0.line): \($0.message)" }
            }
        }
        #expect(message("[1, 2, 3]")?.contains("1: not a table: a JSON document (an array of 3 numbers; element 1 (line 1) is a number") == true)
        #expect(
            message("[\n{\"a\": 1},\n{\"a\": 2},\n\"x\",\n[]\n]")?.contains(
                "4: not a table: a JSON document (an array of 2 objects, 1 string, 1 array; element 3 (line 4) is a string"
            ) == true
        )
        #expect(message("[]")?.contains("an empty array: no records") == true)
        #expect(
            message(#"{"a": {"b": [{"c": 1}]}}"#)?.contains(
                #"an object with "a": no GeoJSON type, and no array of records in "records", "data", "result", "items""#
            ) == true
        )
        #expect(message(#"{"data": [{"a": 1}], "items": [{"b": 2}]}"#)?.contains(#"several arrays of records, "data" and "items""#) == true)
        #expect(message(#"{"data": [1, {"a": 1}]}"#)?.contains(#"an object whose "data" is an array of 1 number, 1 object"#) == true)
        #expect(message(#"{"type": "Topology", "objects": {}}"#)?.contains(#"an object whose "type" is "Topology""#) == true)
    }
}
