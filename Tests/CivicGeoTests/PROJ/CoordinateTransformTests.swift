import Testing

@testable import CivicGeo

@Suite struct CoordinateTransformTests {
    @Test func tokyoStationInZoneIX() throws {
        // platform-notes / cs2cs: JGD2011 139.767125 E 35.681236 N → IX系 X = −35363.2377 m (north), Y = −5992.9196 m (east).
        let transform = try CoordinateTransform(from: .jgd2011, to: #require(CRS.planeRectangular(zone: 9)))
        let (east, north) = try transform.transform(x: 139.767125, y: 35.681236)
        #expect(abs(east - -5992.9196) < 0.001)
        #expect(abs(north - -35363.2377) < 0.001)
        let back = try CoordinateTransform(from: #require(CRS.planeRectangular(zone: 9)), to: .jgd2011)
        let (longitude, latitude) = try back.transform(x: east, y: north)
        #expect(abs(longitude - 139.767125) < 1e-9)
        #expect(abs(latitude - 35.681236) < 1e-9)
    }

    @Test func tokyoDatumUsesTheGrid() throws {
        let transform = try CoordinateTransform(from: .tokyo, to: .jgd2011)
        let (longitude, latitude) = try transform.transform(x: 139.7640, y: 35.6780)
        // About 460 m north-west… the shift is ~ −0.0032° lon, +0.0032° lat around Tokyo.
        #expect(abs(longitude - 139.7640 - -0.00323) < 0.0005)
        #expect(abs(latitude - 35.6780 - 0.00324) < 0.0005)
        #expect(transform.operations.first?.name.contains("TKY2JGD") == true)
        #expect(transform.accuracy.map { $0 <= 0.5 } == true)
    }

    @Test func crsParsing() throws {
        #expect(try CRS(parsing: "EPSG:6677") == CRS.planeRectangular(zone: 9))
        #expect(try CRS(parsing: "http://www.opengis.net/def/crs/EPSG/0/6668") == .jgd2011)
        #expect(try CRS(parsing: "urn:ogc:def:crs:EPSG::2451").zone == 9)
        #expect(try CRS(parsing: "OGC:CRS84") == .crs84)
        #expect(try CRS(parsing: "30169").datum == .tokyo)
        #expect(CRS.utm(zone: 54)?.epsg == 6691)
        #expect(throws: ReprojectionError.self) { try CRS(parsing: "nonsense") }
    }

    @Test func failedPointsAreReported() throws {
        let transform = try CoordinateTransform(from: .tokyo, to: .jgd2011)
        var x = [139.76, 0.0, 135.5]
        var y = [35.68, 0.0, 34.7]
        let failed = transform.transform(x: &x, y: &y)
        #expect(failed == [1])
        #expect(x[0].isFinite && x[2].isFinite && x[1].isNaN)
    }
}

@Suite struct TokyoGridGapTests {
    @Test func aPointWhereTheGridHasNoDataFails() throws {
        // The Pacific south of 静岡県 is inside TKY2JGD's extent, but GSI's grid holds no shift there (0): without
        // this check the point would pass unchanged, about 430 m off.
        let transform = try CoordinateTransform(from: .tokyo, to: .jgd2011)
        var x = [138.3262517780, 137.5]
        var y = [34.8636121505, 32.0]
        #expect(transform.transform(x: &x, y: &y) == [1])
        #expect(x[0].isFinite)
    }
}

@Suite struct OtherCRSTests {
    @Test func anyEPSGCodeOrPROJStringWorks() throws {
        // 焼津市役所 in WGS 84 / UTM 54N (EPSG:32654) and the same CRS as a PROJ string.
        let byCode = try CoordinateTransform(from: .wgs84, to: CRS(parsing: "EPSG:32654"))
        let byString = try CoordinateTransform(from: .wgs84, to: CRS(parsing: "+proj=utm +zone=54 +datum=WGS84 +units=m +no_defs"))
        let a = try byCode.transform(x: 138.323171, y: 34.866918)
        let b = try byString.transform(x: 138.323171, y: 34.866918)
        #expect(abs(a.x - b.x) < 1e-6 && abs(a.y - b.y) < 1e-6)
        #expect(a.x > 200_000 && a.x < 300_000)  // west of the zone's central meridian 141° E
        #expect(a.y > 3_800_000 && a.y < 3_900_000)
        let mercator = try CoordinateTransform(from: .crs84, to: .webMercator)
        #expect(try abs(mercator.transform(x: 0, y: 0).x) < 1e-9)
    }
}
