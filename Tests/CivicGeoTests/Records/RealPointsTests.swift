import CivicData
import Foundation
import Testing

@testable import CivicGeo

/// Every point Civic places from a real file (every CSV among the fixtures, whatever its municipality) lies inside
/// Japan; one outside the prefecture of its 全国地方公共団体コード is there only with a warning, as is the one real
/// point far from its municipality.
@Suite struct RealPointsTests {
    static let files: [String] = ["records", "realdata"].flatMap { folder in
        ((try? FileManager.default.contentsOfDirectory(atPath: Fixture.url(folder).path)) ?? [])
            .filter { $0.hasSuffix(".csv") }.sorted().map { "\(folder)/\($0)" }
    }

    @Test func theFixturesAreThere() {
        #expect(Self.files.count >= 10)
    }

    @Test(arguments: RealPointsTests.files)
    func everyPlacedPointIsInJapan(path: String) throws {
        let (records, report) = try Fixture.georeference(path)
        let code = report.outputColumns.firstIndex(of: "全国地方公共団体コード")
        var placed = 0
        let warned = Set(
            report.findings.filter { [.coordinatesFarFromMunicipality, .coordinatesOutsidePrefecture].contains($0.code) }.compactMap(\.line)
        )
        for record in records {
            guard let longitude = record.longitude, let latitude = record.latitude else { continue }
            placed += 1
            #expect((20.0...46.0).contains(latitude) && (122.0...154.0).contains(longitude), "\(path):\(record.line)")
            // Outside the prefecture of its code, a point is on the map only with a warning saying so.
            if let code, MunicipalityCode.isValid(record.values[code]), let prefecture = PrefectureExtent.all[String(record.values[code].prefix(2))],
                !prefecture.contains(longitude: longitude, latitude: latitude)
            {
                #expect(warned.contains(record.line), "\(path):\(record.line)")
            }
        }
        #expect(placed > 0, "\(path)")
        // Every record placed is counted in the report's sources, and none is placed twice.
        #expect(report.coordinates?.sources.reduce(0) { $0 + $1.records } ?? 0 >= placed)
    }

    /// 長門市's 公衆無線LAN list has 長門市立図書館 at 141.346814°E (about 131.3°E meant): in the Pacific, 917 km east of
    /// 長門市 and far from any municipality — not in Japan, so not placed (it used to be only far from the municipality).
    @Test func aRealTypoInALongitudeIsOutsideJapan() throws {
        let (records, report) = try Fixture.georeference("realdata/nagato_public_wireless_lan.csv")
        let outside = report.findings.filter { $0.code == .coordinatesOutsideJapan }
        #expect(outside.count == 1 && report.coordinates?.outsideJapan == 1)
        #expect(report.coordinates?.farFromMunicipality == 0)
        let finding = try #require(outside.first)
        #expect(finding.severity == .error && finding.before?.contains("141.346814") == true)
        #expect(records.first { $0.line == finding.line }?.longitude == nil)
    }

    @Test func aRealCoordinateSystemColumnIsRead() throws {
        let (_, report) = try Fixture.georeference("realdata/hachijo_sightseeing.csv")
        let use = try #require(report.coordinates?.sources.first)
        #expect(report.coordinates?.sources.count == 1)
        #expect(use.definition == "EPSG:6668" && use.basis == "detected" && use.records == 20)
        #expect(use.reason.contains("座標系 column"))
    }
}
