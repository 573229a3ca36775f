import Testing

@testable import CivicData

/// Per-row coordinate facts: a 座標系 / 測地系 column deciding each row's system, and a pair swapped in one row only.
@Suite struct CoordinateColumnsTests {
    static func read(_ text: String) throws -> (records: [NormalizedRecord], report: Report) {
        try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "aed.csv"), options: ReadOptions(dataset: "aed"))
    }

    @Test func eachRowsSystemIsReadAndAnUnreadableCellKeepsItOffTheMap() throws {
        let text = """
            ID,名称,緯度,経度,座標系,測地系\r
            1,a,34.866918,138.323171,世界測地系,\r
            2,b,34.866918,138.323171,不明,\r
            3,c,34.866918,138.323171,EPSG:6677,日本測地系\r
            4,d,34.866918,138.323171,,JGD2024\r
            5,e,34.866918,138.323171,9系,日本測地系\r
            6,f,34.866918,138.323171,,\r
            7,g,,,-,\r

            """
        let (records, report) = try Self.read(text)
        #expect(records.count == 7)
        #expect(
            records.map(\.coordinateSystem) == [
                CoordinateSystemName(datum: .jgd2011), nil, nil, nil, CoordinateSystemName(datum: .tokyo, zone: 9), nil, nil,
            ]
        )
        // Rows 2–4 are off the map, with a finding naming the cell; the others keep their point. Row 7 has no point,
        // so its "-" needs no system and is only kept (no finding).
        #expect(records.map { $0.latitude != nil } == [true, false, false, false, true, true, false])
        #expect(!report.findings.contains { $0.line == 8 && $0.column == "座標系" })
        let zone = report.findings.filter { $0.code == .coordinateZoneInvalid }
        #expect(zone.count == 1 && zone[0].line == 3 && zone[0].column == "座標系" && zone[0].before == "不明")
        let conflict = report.findings.filter { $0.code == .coordinateSystemConflict }
        #expect(conflict.count == 1 && conflict[0].line == 4 && conflict[0].column == "測地系")
        #expect(conflict[0].message.contains("JGD2011 / 9系") && conflict[0].message.contains("日本測地系"))
        let datum = report.findings.filter { $0.code == .coordinateDatumInvalid }
        #expect(datum.count == 1 && datum[0].line == 5 && datum[0].column == "測地系" && datum[0].before == "JGD2024")
        #expect(zone.allSatisfy { $0.severity == .error } && conflict[0].severity == .error && datum[0].severity == .error)
        // Every cell is still in the output.
        let system = try #require(report.outputColumns.firstIndex(of: "座標系"))
        #expect(records.map { $0.values[system] } == ["世界測地系", "不明", "EPSG:6677", "", "9系", "", "-"])
    }

    @Test func oneSwappedRowAmongStraightOnesIsExchangedAloneAndReported() throws {
        let text = """
            ID,名称,緯度,経度\r
            1,a,34.866918,138.323171\r
            2,b,138.325,34.868\r
            3,c,34.87,138.33\r

            """
        let (records, report) = try Self.read(text)
        #expect(records.map(\.latitude) == [34.866918, 34.868, 34.87])
        #expect(records.map(\.longitude) == [138.323171, 138.325, 138.33])
        let swapped = report.findings.filter { $0.code == .coordinatesSwapped }
        #expect(swapped.count == 2 && swapped.allSatisfy { $0.line == 3 && $0.severity == .fixed })
        #expect(swapped.map(\.before) == ["138.325", "34.868"] && swapped.map(\.after) == ["34.868", "138.325"])
        let latitude = try #require(report.outputColumns.firstIndex(of: "緯度"))
        #expect(records[1].values[latitude] == "34.868")
    }

    @Test func writtenFormsArePlacedAndEachRewriteIsAFinding() throws {
        // Expected degrees computed outside Swift (Python, exact fractions).
        let text = """
            ID,名称,緯度,経度\r
            1,a,３４．８６６９１８,１３８．３２３１７１\r
            2,b,34.　866918,138. 323171\r
            3,c,N34.52.00.9,E138.19.23.4\r
            4,d,北緯34度52分0.9秒,東経138度19分23.4秒\r
            5,e,S34°52′0.9″,138.323171\r

            """
        let (records, report) = try Self.read(text)
        let expected: [(Double, Double)?] = [
            (34.866918, 138.323171), (34.866918, 138.323171), (34.86691666666667, 138.32316666666668),
            (34.86691666666667, 138.32316666666668), nil,
        ]
        for (record, point) in zip(records, expected) {
            if let point {
                let latitude = try #require(record.latitude, "line \(record.line)")
                let longitude = try #require(record.longitude, "line \(record.line)")
                #expect(abs(latitude - point.0) < 1e-7 && abs(longitude - point.1) < 1e-7, "line \(record.line)")
            } else {
                #expect(record.latitude == nil, "line \(record.line)")
            }
        }
        // The southern latitude is negative, so outside Japan.
        #expect(report.findings.contains { $0.code == .coordinatesOutsideJapan && $0.line == 6 })
        // Row 2's spaces and rows 3–5's degrees-minutes-seconds are rewritten as decimal degrees, the originals kept.
        let rewritten = report.findings.filter { $0.code == .coordinateDegreesMinutesSeconds }
        #expect(rewritten.map(\.line) == [3, 3, 4, 4, 5, 5, 6])
        #expect(rewritten.allSatisfy { $0.severity == .fixed && $0.before != nil && $0.after != nil })
    }

    @Test func aLongitudeThatIsALatitudeIsSaidSo() throws {
        // 神戸市's AED file, line 1118: 34.764793 and 34.764776.
        let (records, report) = try Self.read("ID,名称,緯度,経度\r\n1,a,34.764793,34.764776\r\n")
        #expect(records[0].latitude == nil)
        let finding = try #require(report.findings.first { $0.code == .coordinatesOutsideJapan })
        #expect(finding.message.contains("経度 34.764776 is a latitude"))
    }

    @Test func aLostDecimalPointIsReportedNotGuessed() throws {
        let text = """
            ID,名称,緯度,経度\r
            1,a,3486691,138.323171\r
            2,b,34.866918,1383\r
            3,c,34.866918,138.323171\r

            """
        let (records, report) = try Self.read(text)
        #expect(records.map { $0.latitude != nil } == [false, false, true])
        let lost = report.findings.filter { $0.code == .coordinateDecimalPointLost }
        #expect(lost.map(\.line) == [2, 3])
        #expect(lost.map(\.column) == ["緯度", "経度"])
        #expect(lost[0].message.contains("34.86691") && lost[1].message.contains("138.3"))
        // The cells are kept as written.
        let latitude = try #require(report.outputColumns.firstIndex(of: "緯度"))
        #expect(records[0].values[latitude] == "3486691")
    }
}
