import Testing

@testable import CivicData

/// What a 座標系 / 測地系 cell names, as municipalities write it.
@Suite struct CoordinateSystemNameTests {
    typealias Name = CoordinateSystemName

    @Test(arguments: [
        ("世界測地系", Name(datum: .jgd2011)),
        ("世界測地系（JGD2000）", Name(datum: .jgd2000)),
        ("JGD2011", Name(datum: .jgd2011)),
        ("ＪＧＤ２０１１", Name(datum: .jgd2011)),
        ("JGD2000", Name(datum: .jgd2000)),
        ("測地成果2011", Name(datum: .jgd2011)),
        ("日本測地系", Name(datum: .tokyo)),
        ("旧日本測地系", Name(datum: .tokyo)),
        ("Tokyo", Name(datum: .tokyo)),
        ("WGS84", Name(datum: .wgs84)),
        ("WGS 84", Name(datum: .wgs84)),
        ("平面直角座標系IX系", Name(zone: 9)),
        ("平面直角座標系Ⅸ系", Name(zone: 9)),
        ("9系", Name(zone: 9)),
        ("第9系", Name(zone: 9)),
        ("第１９系", Name(zone: 19)),
        ("9", Name(zone: 9)),
        ("XIX", Name(zone: 19)),
        ("JGD2011 / 平面直角座標系 9系", Name(datum: .jgd2011, zone: 9)),
        ("日本測地系　平面直角座標系第Ⅷ系", Name(datum: .tokyo, zone: 8)),
        ("EPSG:6677", Name(datum: .jgd2011, zone: 9)),
        ("epsg 2451", Name(datum: .jgd2000, zone: 9)),
        ("EPSG:30169", Name(datum: .tokyo, zone: 9)),
        ("JGD2011 / 平面直角座標系 IX系 (EPSG:6677)", Name(datum: .jgd2011, zone: 9)),
        ("EPSG:6668", Name(datum: .jgd2011, isGeographic: true)),
        ("EPSG:4301", Name(datum: .tokyo, isGeographic: true)),
        ("EPSG:4326", Name(datum: .wgs84, isGeographic: true)),
    ])
    func reads(text: String, expected: CoordinateSystemName) {
        #expect(Name.parse(text) == expected, "\(text)")
    }

    @Test(arguments: [
        "", "不明", "20系", "第0系", "EPSG:3857", "EPSG:6690", "日本測地系 JGD2011", "EPSG:6677 8系", "EPSG:6677 日本測地系", "平面直角座標系",
        "JGD2024", "測地系", "緯度経度",
    ])
    func refuses(text: String) {
        #expect(Name.parse(text) == nil, "\(text)")
    }

    @Test func twoColumnsCombineOrContradict() {
        let zone = Name(zone: 9)
        #expect(zone.combined(with: Name(datum: .tokyo)) == Name(datum: .tokyo, zone: 9))
        #expect(Name(datum: .jgd2011, zone: 9).combined(with: Name(datum: .tokyo)) == nil)
        #expect(zone.combined(with: Name(zone: 8)) == nil)
        #expect(Name(datum: .tokyo, zone: 8).description == "日本測地系 / 8系")
    }
}
