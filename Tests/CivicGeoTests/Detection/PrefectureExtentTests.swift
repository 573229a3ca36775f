import Testing

@testable import CivicGeo

@Suite struct PrefectureExtentTests {
    @Test func fortySevenPrefecturesByCode() {
        let all = PrefectureExtent.all
        #expect(all.count == 47)
        #expect(all.keys.sorted() == (1...47).map { $0 < 10 ? "0\($0)" : "\($0)" })
        for (code, extent) in all {
            #expect(extent.code == code)
            #expect(!extent.name.isEmpty)
        }
        #expect(all["01"]?.name == "北海道")
        #expect(all["13"]?.name == "東京都")
        #expect(all["47"]?.name == "沖縄県")
    }

    @Test func boxesAreWellFormed() {
        for extent in PrefectureExtent.all.values {
            #expect(extent.south < extent.north, "\(extent.name)")
            #expect(extent.west < extent.east, "\(extent.name)")
        }
    }

    @Test func everyBoxIsInsideJapan() {
        // 日本の東西南北端点 (GSI): 20°25′31″N, 122°55′57″E, 45°33′26″N, 153°59′12″E.
        for extent in PrefectureExtent.all.values {
            #expect(extent.south >= 20.4 && extent.north <= 45.6, "\(extent.name)")
            #expect(extent.west >= 122.9 && extent.east <= 154.0, "\(extent.name)")
        }
    }

    @Test func nationalExtremesAreGSIs() throws {
        // The country's extremes are prefectures' extremes, converted exactly from GSI's degrees, minutes and seconds.
        let all = PrefectureExtent.all
        #expect(try #require(all["01"]).north == Double(45 * 3600 + 33 * 60 + 26) / 3600)  // 択捉島
        #expect(try #require(all["13"]).east == Double(153 * 3600 + 59 * 60 + 12) / 3600)  // 南鳥島
        #expect(try #require(all["13"]).south == Double(20 * 3600 + 25 * 60 + 31) / 3600)  // 沖ノ鳥島
        #expect(try #require(all["47"]).west == Double(122 * 3600 + 55 * 60 + 57) / 3600)  // 与那国島 (トゥイシ)
        #expect(all.values.map(\.north).max() == all["01"]?.north)
        #expect(all.values.map(\.east).max() == all["13"]?.east)
        #expect(all.values.map(\.south).min() == all["13"]?.south)
        #expect(all.values.map(\.west).min() == all["47"]?.west)
    }

    /// A real city hall, its prefecture and a neighbour it is far from.
    struct CityHall: Sendable, CustomTestStringConvertible {
        var name: String, latitude: Double, longitude: Double, home: String, neighbour: String
        var testDescription: String { name }
    }

    static let cityHalls = [
        CityHall(name: "焼津市役所", latitude: 34.8669, longitude: 138.3232, home: "22", neighbour: "23"),  // 静岡県, not 愛知県
        CityHall(name: "市川市役所", latitude: 35.7219, longitude: 139.9311, home: "12", neighbour: "14"),  // 千葉県, not 神奈川県
        CityHall(name: "高松市役所", latitude: 34.3401, longitude: 134.0434, home: "37", neighbour: "38"),  // 香川県, not 愛媛県
        CityHall(name: "松山市役所", latitude: 33.8393, longitude: 132.7657, home: "38", neighbour: "37"),  // 愛媛県, not 香川県
        CityHall(name: "札幌市役所", latitude: 43.0621, longitude: 141.3544, home: "01", neighbour: "02"),  // 北海道, not 青森県
        CityHall(name: "那覇市役所", latitude: 26.2124, longitude: 127.6809, home: "47", neighbour: "46"),  // 沖縄県, not 鹿児島県
    ]

    @Test(arguments: cityHalls)
    func cityHallLandsInItsPrefecture(_ hall: CityHall) throws {
        let own = try #require(PrefectureExtent.all[hall.home])
        let other = try #require(PrefectureExtent.all[hall.neighbour])
        #expect(own.contains(longitude: hall.longitude, latitude: hall.latitude))
        #expect(!other.contains(longitude: hall.longitude, latitude: hall.latitude))
        // With X and Y swapped it lands in no prefecture.
        #expect(PrefectureExtent.all.values.allSatisfy { !$0.contains(longitude: hall.latitude, latitude: hall.longitude) })
    }

    @Test func marginEnlargesTheBox() throws {
        let shizuoka = try #require(PrefectureExtent.all["22"])
        let justEast = shizuoka.east + 0.01
        #expect(shizuoka.contains(longitude: justEast, latitude: 35.0))
        #expect(!shizuoka.contains(longitude: justEast, latitude: 35.0, margin: 0))
        #expect(!shizuoka.contains(longitude: shizuoka.east + 0.03, latitude: 35.0))
        #expect(shizuoka.contains(longitude: shizuoka.east, latitude: shizuoka.south, margin: 0))
    }

    @Test func tokyosBoxReachesTheRemoteIslands() throws {
        // 南鳥島 and 沖ノ鳥島 are in 東京都, so its box is huge and even takes in 市川市役所 (千葉県).
        let tokyo = try #require(PrefectureExtent.all["13"])
        #expect(tokyo.contains(longitude: 153.9867, latitude: 24.2831))
        #expect(tokyo.contains(longitude: 136.0697, latitude: 20.4253))
        #expect(tokyo.east - tokyo.west > 17 && tokyo.north - tokyo.south > 15)
        #expect(tokyo.contains(longitude: 139.9311, latitude: 35.7219))
    }
}
