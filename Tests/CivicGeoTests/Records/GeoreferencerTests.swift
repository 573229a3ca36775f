import CivicData
import Foundation
import Testing

@testable import CivicGeo

/// 焼津市's AED file, rewritten by PROJ's own tools (tools/make_geo_fixtures.py) as plane rectangular X/Y and in the
/// Tokyo datum, must come back to the published coordinates.
@Suite struct GeoreferencerTests {
    static let published = Result { try Fixture.georeference("records/yaizu_aed.csv") }

    func expectSamePoints(_ records: [NormalizedRecord], tolerance: Double = 1e-7) throws {
        let published = try Self.published.get()
        #expect(records.count == published.records.count)
        for (record, original) in zip(records, published.records) {
            guard let longitude = record.longitude, let latitude = record.latitude else {
                Issue.record("line \(record.line): no coordinates")
                continue
            }
            #expect(abs(longitude - original.longitude!) < tolerance, "line \(record.line)")
            #expect(abs(latitude - original.latitude!) < tolerance, "line \(record.line)")
        }
    }

    @Test func publishedLatLonIsJGD2011ByDefault() throws {
        let use = try #require(try Self.published.get().report.coordinates?.sources.first)
        #expect(use.basis == "defaulted")
        #expect(use.definition == "EPSG:6668")
        #expect(use.records == 82)
    }

    @Test func planeCoordinatesFromThePrefecturesZone() throws {
        let (records, report) = try Fixture.georeference("records/yaizu_aed_plane.csv")
        try expectSamePoints(records)
        let use = try #require(report.coordinates?.sources.first)
        #expect(use.definition == "EPSG:6676")
        #expect(use.basis == "detected")
        #expect(use.reason.contains("静岡県") && use.reason.contains("VIII系"))
        // 緯度/経度 are filled from X/Y; X座標/Y座標 stay as extra columns.
        let latitude = try #require(report.outputColumns.firstIndex(of: "緯度"))
        #expect(records.allSatisfy { !$0.values[latitude].isEmpty })
        #expect(report.outputColumns.contains("X座標"))
        #expect(report.isValid)
    }

    @Test func swappedXYIsExchangedAndReported() throws {
        let (records, report) = try Fixture.georeference("records/yaizu_aed_plane_swapped.csv")
        try expectSamePoints(records)
        #expect(report.coordinates?.swapped == 82)
        #expect(report.findings.filter { $0.code == .coordinatesSwappedXY }.count == 82)
    }

    @Test func tokyoDatumFromTheColumnUsesTheGrid() throws {
        let (records, report) = try Fixture.georeference("records/yaizu_aed_tokyo.csv")
        // The grid round trip (inverse by PROJ's cct, forward by Civic) agrees to about a millimetre.
        try expectSamePoints(records, tolerance: 1e-8)
        let use = try #require(report.coordinates?.sources.first)
        #expect(use.definition == "EPSG:4301")
        #expect(use.basis == "detected")
        #expect(use.operations.first?.contains("TKY2JGD") == true)
        #expect((use.accuracy ?? 99) < 1.5)
    }

    @Test func declaredCRSWins() throws {
        let (records, report) = try Fixture.georeference(
            "records/yaizu_aed_plane.csv",
            options: Georeferencer.Options(declared: CRS.planeRectangular(zone: 8), declaredBy: "--from-crs")
        )
        try expectSamePoints(records)
        #expect(report.coordinates?.sources.first?.basis == "declared")
        #expect(report.coordinates?.sources.first?.reason == "--from-crs EPSG:6676")
    }

    /// 焼津市's VIII系 points read in IX系 land 120 km east, in the sea: not in Japan, so not placed (an error each).
    @Test func aWrongZoneLandsOutsideJapan() throws {
        let (records, report) = try Fixture.georeference(
            "records/yaizu_aed_plane.csv",
            options: Georeferencer.Options(declared: CRS.planeRectangular(zone: 9), declaredBy: "--from-crs")
        )
        #expect(report.coordinates?.outsideJapan == 82 && report.coordinates?.outsidePrefecture == 0)
        #expect(records.allSatisfy { $0.longitude == nil && $0.latitude == nil })
        #expect(report.findings.filter { $0.code == .coordinatesOutsideJapan && $0.severity == .error }.count == 82)
    }

    @Test func aMunicipalityThatSpansZonesNeedsFromCRS() throws {
        // The same points, published as if by 小笠原村 (134210), which spans XIV, XVIII and XIX系.
        let text = try String(contentsOf: Fixture.url("records/yaizu_aed_plane.csv"), encoding: .utf8)
            .replacingOccurrences(of: "\r\n222127,", with: "\r\n134210,")
        let (records, report) = try Fixture.georeference(.bytes(Array(text.utf8), name: "ogasawara.csv"))
        #expect(records.allSatisfy { $0.longitude == nil })
        let failures = report.findings.filter { $0.code == .coordinatesTransformFailed }
        #expect(failures.count == 82)
        #expect(failures[0].message.contains("declare the coordinates' CRS"))
        #expect(failures[0].message.contains("XIV"))
        #expect(!report.isValid)
    }

    @Test func aZoneColumnDecides() throws {
        let text = try String(contentsOf: Fixture.url("records/yaizu_aed_plane.csv"), encoding: .utf8)
            .replacingOccurrences(of: ",X座標,Y座標\r\n", with: ",X座標,Y座標,座標系番号\r\n")
            .replacingOccurrences(of: "\r\n", with: ",Ⅷ\r\n")
            .replacingOccurrences(of: ",座標系番号,Ⅷ\r\n", with: ",座標系番号\r\n")
            .replacingOccurrences(of: "\r\n222127,", with: "\r\n134210,")
        let (records, report) = try Fixture.georeference(.bytes(Array(text.utf8), name: "zone.csv"))
        try expectSamePoints(records)
        #expect(report.coordinates?.sources.first?.reason.hasPrefix("座標系番号 gives VIII系") == true)
    }
}

@Suite struct TokyoDatumRewriteTests {
    @Test func latLonAreRewrittenAndTheOriginalsReported() throws {
        let (records, report) = try Fixture.georeference("records/yaizu_aed_tokyo.csv")
        let latitude = try #require(report.outputColumns.firstIndex(of: "緯度"))
        let fixes = report.findings.filter { $0.code == .coordinatesReprojected }
        #expect(fixes.count == 2 * 82)
        #expect(fixes[0].before == "34.8636121505")
        #expect(records[0].values[latitude] == fixes[0].after)
        #expect(abs(Double(records[0].values[latitude])! - 34.866918) < 1e-7)
    }
}
