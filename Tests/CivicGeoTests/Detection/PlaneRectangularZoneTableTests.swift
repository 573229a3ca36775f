import Testing

@testable import CivicGeo

@Suite struct PlaneRectangularZoneTableTests {
    typealias Table = PlaneRectangularZoneTable

    static let multiZonePrefectures: Set<String> = ["01", "13", "46", "47"]

    @Test func all47PrefecturesArePresent() {
        let expected = Set((1...47).map { $0 < 10 ? "0\($0)" : "\($0)" })
        #expect(Set(Table.zonesByPrefecture.keys) == expected)
    }

    @Test func everyZoneIsUsed() {
        let used = Set(Table.zonesByPrefecture.values.flatMap { $0 })
        #expect(used == Set(1...19))
    }

    @Test func zoneListsAreSortedAndDistinct() {
        for (prefecture, zones) in Table.zonesByPrefecture {
            #expect(!zones.isEmpty, "\(prefecture)")
            #expect(zones == Array(Set(zones)).sorted(), "\(prefecture)")
        }
    }

    @Test func onlyHokkaidoTokyoKagoshimaAndOkinawaHaveSeveralZones() {
        let multi = Set(Table.zonesByPrefecture.filter { $0.value.count > 1 }.keys)
        #expect(multi == Self.multiZonePrefectures)
        #expect(Table.zonesByPrefecture["01"] == [11, 12, 13])
        #expect(Table.zonesByPrefecture["13"] == [9, 14, 18, 19])
        #expect(Table.zonesByPrefecture["46"] == [1, 2])
        #expect(Table.zonesByPrefecture["47"] == [15, 16, 17])
    }

    @Test(arguments: [
        ("34", 3),  // 広島県
        ("28", 5),  // 兵庫県
        ("33", 5),  // 岡山県
        ("41", 2),  // 佐賀県
        ("12", 9),  // 千葉県
        ("22", 8),  // 静岡県
        ("37", 4),  // 香川県
        ("38", 4),  // 愛媛県
        ("42", 1),  // 長崎県
        ("02", 10),  // 青森県
        ("30", 6),  // 和歌山県
        ("23", 7),  // 愛知県
    ])
    func singleZonePrefecture(prefecture: String, zone: Int) {
        #expect(Table.zonesByPrefecture[prefecture] == [zone])
    }

    /// The 告示's origins, written as degrees and minutes: (系, 緯度, 経度の度, 経度の分).
    @Test(arguments: [
        (1, 33, 129, 30), (2, 33, 131, 0), (3, 36, 132, 10), (4, 33, 133, 30), (5, 36, 134, 20),
        (6, 36, 136, 0), (7, 36, 137, 10), (8, 36, 138, 30), (9, 36, 139, 50), (10, 40, 140, 50),
        (11, 44, 140, 15), (12, 44, 142, 15), (13, 44, 144, 15), (14, 26, 142, 0), (15, 26, 127, 30),
        (16, 26, 124, 0), (17, 26, 131, 0), (18, 20, 136, 0), (19, 26, 154, 0),
    ])
    func originMatchesTheNotice(zone: Int, latitude: Int, longitudeDegrees: Int, longitudeMinutes: Int) throws {
        let origin = try #require(Table.origins[zone])
        #expect(origin.latitude == Double(latitude))
        #expect(abs(origin.longitude - (Double(longitudeDegrees) + Double(longitudeMinutes) / 60)) < 1e-12)
    }

    @Test func originsCoverExactlyTheNineteenZones() {
        #expect(Set(Table.origins.keys) == Set(1...19))
    }

    @Test(arguments: [
        ("01100", 12),  // 札幌市
        ("01101", 12),  // 札幌市中央区
        ("01110", 12),  // 札幌市清田区
        ("01202", 11),  // 函館市
        ("01203", 11),  // 小樽市
        ("01204", 12),  // 旭川市
        ("01205", 12),  // 室蘭市 (胆振, not one of the three towns)
        ("01206", 13),  // 釧路市
        ("01207", 13),  // 帯広市
        ("01208", 13),  // 北見市
        ("01211", 13),  // 網走市
        ("01214", 12),  // 稚内市
        ("01219", 12),  // 紋別市 (オホーツク, not listed)
        ("01223", 13),  // 根室市
        ("01233", 11),  // 伊達市
        ("01236", 11),  // 北斗市
        ("01367", 11),  // 奥尻町 (檜山)
        ("01371", 11),  // せたな町 (檜山)
        ("01347", 11),  // 長万部町 (渡島)
        ("01395", 11),  // ニセコ町 (後志)
        ("01409", 11),  // 赤井川村 (後志)
        ("01543", 13),  // 美幌町
        ("01555", 12),  // 遠軽町 (オホーツク, not listed)
        ("01564", 13),  // 大空町
        ("01571", 11),  // 豊浦町
        ("01575", 11),  // 壮瞥町
        ("01578", 12),  // 白老町 (胆振, not listed)
        ("01584", 11),  // 洞爺湖町
        ("01601", 12),  // 日高町
        ("01631", 13),  // 音更町 (十勝)
        ("01668", 13),  // 白糠町 (釧路)
        ("01694", 13),  // 羅臼町 (根室)
    ])
    func hokkaido(code: String, zone: Int) {
        #expect(Table.zoneByMunicipality[code] == zone)
    }

    @Test func hokkaidoListsEveryMunicipality() {
        let hokkaido = Table.zoneByMunicipality.filter { $0.key.hasPrefix("01") }
        let wards = Set((1...10).map { $0 < 10 ? "0110\($0)" : "011\($0)" })
        let municipalities = hokkaido.filter { !wards.contains($0.key) }
        #expect(municipalities.count == 179)
        #expect(wards.allSatisfy { hokkaido[$0] == 12 })
        #expect(municipalities.values.filter { $0 == 11 }.count == 42)
        #expect(municipalities.values.filter { $0 == 12 }.count == 94)
        #expect(municipalities.values.filter { $0 == 13 }.count == 43)
        #expect(!Table.ambiguousMunicipalities.keys.contains { $0.hasPrefix("01") })
    }

    @Test(arguments: [
        ("13101", 9),  // 千代田区
        ("13201", 9),  // 八王子市
        ("13361", 9),  // 大島町
        ("13401", 9),  // 八丈町
        ("13402", 9),  // 青ヶ島村
        ("46201", 2),  // 鹿児島市
        ("46213", 2),  // 西之表市 (種子島)
        ("46505", 2),  // 屋久島町
        ("46222", 1),  // 奄美市
        ("46529", 1),  // 喜界町 (east of 130°E, inside the 奄美群島 extension to 130°13′)
        ("46535", 1),  // 与論町
        ("47201", 15),  // 那覇市
        ("47361", 15),  // 久米島町
        ("47207", 16),  // 石垣市
        ("47214", 16),  // 宮古島市
        ("47382", 16),  // 与那国町
        ("47357", 17),  // 南大東村
        ("47358", 17),  // 北大東村
    ])
    func islandPrefectures(code: String, zone: Int) {
        #expect(Table.zoneByMunicipality[code] == zone)
    }

    @Test(arguments: [
        ("13421", [14, 18, 19]),  // 小笠原村
        ("46215", [1, 2]),  // 薩摩川内市 (甑島列島)
        ("46220", [1, 2]),  // 南さつま市 (宇治群島・草垣群島)
        ("46303", [1, 2]),  // 三島村 (黒島 / 硫黄島・竹島)
    ])
    func straddlingMunicipality(code: String, zones: [Int]) {
        #expect(Table.ambiguousMunicipalities[code] == zones)
        #expect(Table.zoneByMunicipality[code] == nil)
    }

    @Test(arguments: [("13", 62), ("46", 43), ("47", 41)])
    func everyMunicipalityOfAnIslandPrefectureIsPlaced(prefecture: String, count: Int) {
        let placed = Table.zoneByMunicipality.keys.filter { $0.hasPrefix(prefecture) }
        let ambiguous = Table.ambiguousMunicipalities.keys.filter { $0.hasPrefix(prefecture) }
        #expect(placed.count + ambiguous.count == count)
    }

    @Test func municipalitiesBelongToMultiZonePrefecturesAndUseTheirZones() {
        for (code, zone) in Table.zoneByMunicipality {
            #expect(code.count == 5 && code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber), "\(code)")
            let prefecture = String(code.prefix(2))
            #expect(Self.multiZonePrefectures.contains(prefecture), "\(code)")
            #expect(Table.zonesByPrefecture[prefecture]?.contains(zone) == true, "\(code) → \(zone)")
        }
    }

    @Test func ambiguousMunicipalitiesAreDisjointAndStraddleTheirPrefecturesZones() {
        for (code, zones) in Table.ambiguousMunicipalities {
            #expect(Table.zoneByMunicipality[code] == nil, "\(code)")
            #expect(zones.count >= 2, "\(code)")
            let prefecture = String(code.prefix(2))
            #expect(Self.multiZonePrefectures.contains(prefecture), "\(code)")
            let allowed = Set(Table.zonesByPrefecture[prefecture] ?? [])
            #expect(Set(zones).isSubset(of: allowed), "\(code) → \(zones)")
        }
    }

    @Test func everyZoneOfAMultiZonePrefectureIsReachedByAMunicipality() {
        let reached = Set(Table.zoneByMunicipality.values).union(Table.ambiguousMunicipalities.values.flatMap { $0 })
        for prefecture in Self.multiZonePrefectures {
            let zones = Set(Table.zonesByPrefecture[prefecture] ?? [])
            #expect(zones.isSubset(of: reached), "\(prefecture)")
        }
    }
}
