import CivicData

/// Which plane rectangular zone (系) a municipality's coordinates are in, from 平成十四年国土交通省告示第九号.
enum ZoneDecision: Equatable {
    case zone(Int, why: String)
    case undecided(why: String)

    /// Decides from a 6-digit 全国地方公共団体コード: the prefecture when it lies in one zone, else the
    /// municipality when it lies wholly in one.
    static func zone(forMunicipality code: String?) -> ZoneDecision {
        guard let code, code.utf8.count >= 5 else {
            return .undecided(why: "no 全国地方公共団体コード to tell the prefecture")
        }
        let prefecture = String(code.prefix(2))
        let name = PrefectureExtent.all[prefecture]?.name ?? "prefecture \(prefecture)"
        guard let zones = PlaneRectangularZoneTable.zonesByPrefecture[prefecture] else {
            return .undecided(why: "\(code) is not a known prefecture's code")
        }
        if zones.count == 1 {
            return .zone(zones[0], why: "the municipality \(code) is in \(name), which lies wholly in \(CRS.romanNumerals[zones[0] - 1])系")
        }
        let municipality = String(code.prefix(5))
        if let zone = PlaneRectangularZoneTable.zoneByMunicipality[municipality] {
            return .zone(zone, why: "the municipality \(code) lies wholly in \(CRS.romanNumerals[zone - 1])系")
        }
        let spanned = (PlaneRectangularZoneTable.ambiguousMunicipalities[municipality] ?? zones).map { CRS.romanNumerals[$0 - 1] }
        return .undecided(why: "\(name) spans \(spanned.joined(separator: ", "))系 and the municipality \(code) does not decide it")
    }
}
