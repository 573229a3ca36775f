import CivicData
import Foundation
import Testing

@testable import CivicGeo

/// A file whose 座標系 column says, row by row, which CRS its coordinates are in: 焼津市's AED points written in five
/// systems by PROJ's own tools (the fixtures), mixed into one file.
@Suite struct CoordinateSystemColumnTests {
    /// The fixtures' data rows, as cells.
    static func rows(_ path: String) throws -> [[String]] {
        let text = try String(contentsOf: Fixture.url(path), encoding: .utf8)
        return text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
    }

    /// Row i is written in `systems[i % systems.count]`: its 座標系 text, and whether it carries plane X/Y (else
    /// 緯度/経度: Tokyo-datum ones when the text names 日本測地系).
    static let systems: [(text: String, plane: Bool, tokyo: Bool)] = [
        ("世界測地系", false, false),
        ("日本測地系", false, true),
        ("JGD2011 / 平面直角座標系 8系", true, false),
        ("EPSG:6676", true, false),
        ("平面直角座標系Ⅷ系", true, false),
        ("WGS84", false, false),
        ("不明", false, false),
        ("JGD2011", false, false),
    ]

    static func mixedFile() throws -> String {
        let published = try rows("records/yaizu_aed.csv")
        let tokyo = try rows("records/yaizu_aed_tokyo.csv")
        let plane = try rows("records/yaizu_aed_plane.csv")
        let header = try String(contentsOf: Fixture.url("records/yaizu_aed.csv"), encoding: .utf8).components(separatedBy: "\r\n")[0]
        var lines = [header + ",X座標,Y座標,座標系"]
        for index in published.indices {
            let system = systems[index % systems.count]
            var cells = published[index]
            var xy = ["", ""]
            if system.plane {
                cells[8] = ""
                cells[9] = ""
                xy = Array(plane[index].suffix(2))
            } else if system.tokyo {
                cells[8] = tokyo[index][8]
                cells[9] = tokyo[index][9]
            }
            lines.append((cells + xy + [system.text]).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    @Test func eachRowIsReadInItsSystemAndGroupedByCRS() throws {
        let (records, report) = try Fixture.georeference(.bytes(Array(try Self.mixedFile().utf8), name: "mixed.csv"))
        let published = try Fixture.georeference("records/yaizu_aed.csv").records
        #expect(records.count == 82)
        for (index, (record, original)) in zip(records, published).enumerated() {
            if Self.systems[index % Self.systems.count].text == "不明" {
                #expect(record.longitude == nil && record.latitude == nil, "line \(record.line)")
                continue
            }
            let longitude = try #require(record.longitude, "line \(record.line)")
            let latitude = try #require(record.latitude, "line \(record.line)")
            // Tokyo-datum points come back through the grid to about a millimetre; the plane ones to 1e-7°.
            #expect(abs(longitude - (try #require(original.longitude))) < 1e-7, "line \(record.line)")
            #expect(abs(latitude - (try #require(original.latitude))) < 1e-7, "line \(record.line)")
        }
        let sources = try #require(report.coordinates?.sources)
        var expected: [String: Int] = [:]
        for index in 0..<82 {
            let definition = ["EPSG:6668", "EPSG:4301", "EPSG:6676", "EPSG:6676", "EPSG:6676", "EPSG:4326", "", "EPSG:6668"][index % 8]
            if !definition.isEmpty { expected[definition, default: 0] += 1 }
        }
        // One group per CRS, however the rows wrote it.
        #expect(Dictionary(uniqueKeysWithValues: sources.map { ($0.definition, $0.records) }) == expected)
        #expect(sources.allSatisfy { $0.basis == "detected" })
        let plane = try #require(sources.first { $0.definition == "EPSG:6676" })
        #expect(plane.reason == "座標系 gives VIII系; datum from the 座標系 column where it names one, else JGD2011 (世界測地系)")
        // The unreadable cells: one error each, naming line and column; nothing else fails.
        let unreadable = report.findings.filter { $0.code == .coordinateZoneInvalid }
        #expect(unreadable.map(\.line) == stride(from: 6, to: 82, by: 8).map { $0 + 2 })
        #expect(unreadable.allSatisfy { $0.column == "座標系" && $0.before == "不明" && $0.severity == .error })
        #expect(report.coordinates?.failed == 0)
        #expect(report.coordinates?.farFromMunicipality == 0)
    }

    @Test func aDeclaredCRSWinsAndEachRowNamingAnotherDatumIsAWarning() throws {
        let (records, report) = try Fixture.georeference(
            .bytes(Array(try Self.mixedFile().utf8), name: "mixed.csv"),
            options: Georeferencer.Options(declared: .jgd2011, declaredBy: "--from-crs")
        )
        // The 日本測地系 rows (1 in 8) are read as declared, and each says so; WGS84 and JGD2011 rows agree with it.
        let overridden = report.findings.filter { $0.code == .coordinateSystemOverridden }
        #expect(overridden.map(\.line) == stride(from: 1, to: 82, by: 8).map { $0 + 2 })
        #expect(overridden.allSatisfy { $0.severity == .warning && $0.message.contains("Tokyo") && $0.message.contains("--from-crs EPSG:6668") })
        #expect(report.coordinates?.sources.first { $0.basis == "declared" }?.definition == "EPSG:6668")
        #expect(records[1].latitude == 34.8636121505)
    }
}

/// Points far from the municipality that publishes them (`coordinates.farFromMunicipality`).
@Suite struct MunicipalityDistanceTests {
    static func withCode(_ code: String) throws -> String {
        try String(contentsOf: Fixture.url("records/yaizu_aed.csv"), encoding: .utf8).replacingOccurrences(of: "\r\n222127,", with: "\r\n\(code),")
    }

    @Test func pointsInTheirMunicipalityAreNotReported() throws {
        for path in ["records/yaizu_aed.csv", "records/yaizu_public_facility.csv", "records/yaizu_aed_plane.csv"] {
            let (_, report) = try Fixture.georeference(path)
            #expect(report.coordinates?.farFromMunicipality == 0, "\(path)")
            #expect(!report.findings.contains { $0.code == .coordinatesFarFromMunicipality }, "\(path)")
        }
    }

    @Test func anotherMunicipalitysCodeIsAWarningAndThePointStays() throws {
        // 131016 千代田区: from 焼津市役所 (34.867°N 138.323°E) to the box's south-west corner (35.670°N 139.731°E) is
        // 0.803° of latitude (89 km) and 1.408° of longitude at about 35.3°N (128 km): some 156 km.
        let (records, report) = try Fixture.georeference(.bytes(Array(try Self.withCode("131016").utf8), name: "aed.csv"))
        let far = report.findings.filter { $0.code == .coordinatesFarFromMunicipality }
        #expect(far.count == 82 && report.coordinates?.farFromMunicipality == 82)
        #expect(far.allSatisfy { $0.severity == .warning && $0.column == "緯度" })
        #expect(far[0].line == 2 && far[0].message.contains("千代田区 (131016)"))
        let kilometres = try #require(Int(far[0].message.split(separator: " km from")[0].split(separator: " ").last ?? ""))
        #expect((150...160).contains(kilometres))
        #expect(records.allSatisfy { $0.longitude != nil })
    }

    @Test func aWardCodeMeansItsCityAndAPrefectureCodeChecksNothing() throws {
        // 141020 横浜市神奈川区 → 横浜市; 220001 静岡県 is no municipality.
        let ward = try Fixture.georeference(.bytes(Array(try Self.withCode("141020").utf8), name: "aed.csv")).report
        #expect(ward.findings.first { $0.code == .coordinatesFarFromMunicipality }?.message.contains("横浜市 (141020)") == true)
        let prefecture = try Fixture.georeference(.bytes(Array(try Self.withCode("220001").utf8), name: "aed.csv")).report
        #expect(prefecture.coordinates?.farFromMunicipality == 0)
    }

    @Test func thePublishersCodeCountsWhenTheRowsCarryNone() throws {
        let text = try String(contentsOf: Fixture.url("records/yaizu_aed.csv"), encoding: .utf8).replacingOccurrences(
            of: "\r\n222127,",
            with: "\r\n,"
        )
        let near = try Fixture.georeference(
            .bytes(Array(text.utf8), name: "aed.csv"),
            options: Georeferencer.Options(municipalityCode: "222127")
        ).report
        #expect(near.coordinates?.farFromMunicipality == 0)
        let far = try Fixture.georeference(
            .bytes(Array(text.utf8), name: "aed.csv"),
            options: Georeferencer.Options(municipalityCode: "472018")
        ).report
        #expect(far.coordinates?.farFromMunicipality == 82)
    }
}
