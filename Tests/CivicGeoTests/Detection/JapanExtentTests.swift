import Testing

@testable import CivicGeo

/// "In Japan" is near some municipality's box, not the range 緯度 20–46 / 経度 122–154 that holds Seoul and Busan.
@Suite struct JapanExtentTests {
    /// Places at the edges of Japan (rounded to 0.001°, positions from GSI maps / the municipalities' own files).
    @Test(arguments: [
        ("対馬市役所", 34.203, 129.287),
        ("対馬 鰐浦 (north tip)", 34.697, 129.431),
        ("那覇市役所", 26.212, 127.679),
        ("与那国町役場", 24.468, 123.004),
        ("波照間島", 24.058, 123.782),
        ("小笠原村 父島", 27.094, 142.192),
        ("小笠原村 母島", 26.640, 142.162),
        ("稚内市役所", 45.415, 141.673),
        ("根室市役所", 43.330, 145.583),
        ("隠岐の島町役場", 36.207, 133.317),
        ("焼津市役所", 34.866918, 138.323171),
        ("函館病院 (hokkaido hospital_list.csv)", 41.7891094, 140.7735373),
    ])
    func placesInJapan(name: String, latitude: Double, longitude: Double) {
        #expect(JapanExtent.contains(longitude: longitude, latitude: latitude), "\(name)")
    }

    /// Inside the old box, outside Japan.
    @Test(arguments: [
        ("Seoul, 용산구 (the held-out AED file)", 37.5202528, 126.9943529),
        ("Busan", 35.180, 129.076),
        ("Jeju", 33.499, 126.531),
        ("Vladivostok", 43.116, 131.882),
        ("Shanghai", 31.230, 121.474),
        ("Taipei", 25.033, 121.565),
        ("Pyongyang", 39.039, 125.763),
        ("Pacific, between 本州 and 小笠原", 31.0, 141.0),
        ("Sea of Japan, middle", 40.0, 135.0),
    ])
    func placesOutsideJapan(name: String, latitude: Double, longitude: Double) {
        #expect(!JapanExtent.contains(longitude: longitude, latitude: latitude), "\(name)")
    }

    /// The margin: a point 3 km off a municipality's box is in Japan, one 20 km off (and off every other box) is not.
    @Test func marginIsKilometres() throws {
        let yonaguni = try #require(MunicipalityExtent.of(code: "473821"))
        let degreesPerKilometre = 1 / 111.195
        #expect(JapanExtent.contains(longitude: yonaguni.west - 3 * degreesPerKilometre / 0.91, latitude: yonaguni.south))
        #expect(!JapanExtent.contains(longitude: yonaguni.west - 20 * degreesPerKilometre / 0.91, latitude: yonaguni.south))
        #expect(!JapanExtent.contains(longitude: .nan, latitude: 35))
        #expect(!JapanExtent.contains(longitude: 139, latitude: .infinity))
    }

    /// Every municipality's box centre is in Japan (the grid indexes every box).
    @Test func everyMunicipalityIsInJapan() {
        for extent in MunicipalityExtent.all.values {
            #expect(
                JapanExtent.contains(longitude: (extent.west + extent.east) / 2, latitude: (extent.south + extent.north) / 2),
                "\(extent.code) \(extent.name)"
            )
            #expect(JapanExtent.contains(longitude: extent.east, latitude: extent.north), "\(extent.code) \(extent.name)")
        }
    }
}
