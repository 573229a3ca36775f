import CivicData
import Foundation

/// The bounding box of a municipality (市区町村, 東京都の特別区; a 政令指定都市 as one city), for telling whether a point
/// is near the municipality that publishes it.
///
/// From the 気象庁's polygons of its 土砂災害警戒情報 areas (出典：気象庁ホームページ; see
/// `tools/make_municipality_extents.py` and the generated `MunicipalityExtentTable.swift`): the box holds every
/// part and island of the municipality, so a point inside it may still lie in a neighbour, but a point far outside it
/// is not in the municipality.
struct MunicipalityExtent: Sendable, Equatable {
    /// The first five digits of the 全国地方公共団体コード.
    var code: String
    var name: String
    var south: Double, west: Double, north: Double, east: Double  // degrees (JGD2011)

    /// A point farther than this from a municipality's box is reported (`coordinates.farFromMunicipality`). A
    /// municipality's facilities outside its boundary (a 霊園, a campsite, a 一部事務組合's plant) are usually within a
    /// few kilometres of it; a point tens of kilometres away is the wrong row, municipality or coordinates.
    static let nearDistance = 10_000.0

    /// The distance in metres from the point to the box (0 inside), on a sphere of the mean Earth radius: good to
    /// a fraction of a percent at these distances, which is all a 10 km threshold needs.
    func distance(longitude: Double, latitude: Double) -> Double {
        let nearestLatitude = min(max(latitude, south), north)
        let nearestLongitude = min(max(longitude, west), east)
        return MunicipalityExtent.haversine(latitude, longitude, nearestLatitude, nearestLongitude)
    }

    static func haversine(_ latitude1: Double, _ longitude1: Double, _ latitude2: Double, _ longitude2: Double) -> Double {
        let radians = Double.pi / 180
        let dLatitude = (latitude2 - latitude1) * radians
        let dLongitude = (longitude2 - longitude1) * radians
        let a =
            sin(dLatitude / 2) * sin(dLatitude / 2) + cos(latitude1 * radians) * cos(latitude2 * radians) * sin(dLongitude / 2) * sin(dLongitude / 2)
        return 2 * 6_371_008.8 * asin(min(1, a.squareRoot()))
    }

    /// The municipality a 6-digit 全国地方公共団体コード (check digit valid) names; a ward of a 政令指定都市
    /// (e.g. 141020 横浜市神奈川区) gives its city. Nil for a prefecture's code, or a code the table lacks (a
    /// municipality merged away).
    static func of(code: String) -> MunicipalityExtent? {
        guard MunicipalityCode.isValid(code) else { return nil }
        let five = String(code.prefix(5))
        if let extent = all[five] { return extent }
        // A ward (区) of a designated city: 3rd–5th digits 101–199 outside 東京都; its city is the nearest code below
        // in the table within the same prefecture and hundred (14131 川崎市川崎区 → 14130 川崎市).
        guard !five.hasPrefix("13"), let number = Int(five.suffix(3)), (101...199).contains(number) else { return nil }
        let prefecture = String(five.prefix(2))
        for candidate in stride(from: number - 1, through: 100, by: -1) {
            let key = prefecture + String(format: "%03d", candidate)
            if let extent = all[key] { return extent }
        }
        return nil
    }

    /// Every municipality by the first five digits of its code.
    static let all: [String: MunicipalityExtent] = {
        var extents: [String: MunicipalityExtent] = [:]
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 6, let south = Double(fields[1]), let west = Double(fields[2]), let north = Double(fields[3]),
                let east = Double(fields[4])
            else { continue }
            let code = String(fields[0])
            extents[code] = MunicipalityExtent(code: code, name: String(fields[5]), south: south, west: west, north: north, east: east)
        }
        return extents
    }()
}
