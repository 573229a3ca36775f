import Testing

@testable import CivicGeo

/// The municipality boxes (気象庁's 土砂災害警戒情報 areas) against places whose position is known independently.
@Suite struct MunicipalityExtentTests {
    @Test func coversEveryPrefectureAndIsPlausible() {
        let all = MunicipalityExtent.all
        // 1,741 municipalities and special wards, plus 北方領土's six villages the 気象庁 also lists.
        #expect((1_741...1_760).contains(all.count))
        #expect(Set(all.keys.map { $0.prefix(2) }).count == 47)
        for extent in all.values {
            #expect(extent.south < extent.north && extent.west < extent.east, "\(extent.code)")
            // Inside its prefecture's box (GSI's extreme points), with GSI's whole-second rounding as margin.
            let prefecture = PrefectureExtent.all[String(extent.code.prefix(2))]!
            #expect(prefecture.contains(longitude: extent.west, latitude: extent.south, margin: 0.01), "\(extent.code) \(extent.name)")
            #expect(prefecture.contains(longitude: extent.east, latitude: extent.north, margin: 0.01), "\(extent.code) \(extent.name)")
        }
    }

    /// Town halls, placed independently of the table: 焼津市役所 as 焼津市 publishes it (the fixture), the others
    /// rounded to 0.001° (about 100 m, plenty for a box test).
    @Test(arguments: [
        ("222127", "焼津市", 34.866918, 138.323171),
        ("011002", "札幌市", 43.062, 141.354),
        ("131016", "千代田区", 35.694, 139.754),
        ("472018", "那覇市", 26.212, 127.679),
        ("473821", "与那国町", 24.468, 123.004),
        ("134210", "小笠原村", 27.094, 142.192),
    ])
    func containsItsOffice(code: String, name: String, latitude: Double, longitude: Double) throws {
        let extent = try #require(MunicipalityExtent.of(code: code))
        #expect(extent.name == name)
        #expect(extent.distance(longitude: longitude, latitude: latitude) == 0)
    }

    @Test func wardsResolveToTheirDesignatedCity() throws {
        #expect(MunicipalityExtent.of(code: "141020")?.name == "横浜市")
        #expect(MunicipalityExtent.of(code: "141321")?.name == "川崎市")
        #expect(MunicipalityExtent.of(code: "011011")?.name == "札幌市")
        #expect(MunicipalityExtent.of(code: "131016")?.name == "千代田区")
        #expect(MunicipalityExtent.of(code: "130001") == nil)  // 東京都
        #expect(MunicipalityExtent.of(code: "222128") == nil)  // wrong check digit
    }

    @Test func distancesAreGreatCircleMetres() {
        // One degree of latitude on the mean sphere: 6,371,008.8 m × π / 180.
        #expect(abs(MunicipalityExtent.haversine(35, 139, 36, 139) - 111_195.08) < 0.1)
        let box = MunicipalityExtent(code: "00000", name: "x", south: 35, west: 139, north: 36, east: 140)
        #expect(box.distance(longitude: 139.5, latitude: 35.5) == 0)
        #expect(abs(box.distance(longitude: 139.5, latitude: 34) - 111_195.08) < 0.1)
    }
}
