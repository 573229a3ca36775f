import Foundation

/// A coordinate reference system, named the way Japanese data names them.
///
/// Every CRS has a `definition` PROJ understands (`EPSG:6669`, `OGC:CRS84`, or a PROJ string). The well-known
/// ones also say their geodetic datum and, for the plane rectangular systems (平面直角座標系), their zone (系).
/// Coordinates travel as `x` = east (longitude or easting) and `y` = north (latitude or northing), whatever the
/// CRS's own axis order: the plane rectangular CRSs define X as northing, and Civic's `CoordinateTransform`
/// takes care of that.
public struct CRS: Hashable, Sendable, CustomStringConvertible {
    /// The text PROJ is given.
    public let definition: String
    /// A name for people: `JGD2011 / 平面直角座標系 IX系 (EPSG:6677)`.
    public let name: String
    public let epsg: Int?
    public let datum: Datum?
    /// Plane rectangular zone 1…19 (系 I…XIX).
    public let zone: Int?
    public let isGeographic: Bool

    /// The geodetic datums of Japanese data.
    public enum Datum: String, Sendable, Hashable, CaseIterable {
        /// 世界測地系 (測地成果2011).
        case jgd2011
        /// 世界測地系 (測地成果2000).
        case jgd2000
        /// 日本測地系 (旧測地系, Bessel 1841).
        case tokyo
        case wgs84

        /// The geographic CRS of the datum.
        public var geographic: CRS {
            switch self {
            case .jgd2011: .jgd2011
            case .jgd2000: .jgd2000
            case .tokyo: .tokyo
            case .wgs84: .wgs84
            }
        }

        var label: String {
            switch self {
            case .jgd2011: "JGD2011"
            case .jgd2000: "JGD2000"
            case .tokyo: "Tokyo"
            case .wgs84: "WGS 84"
            }
        }
    }

    init(definition: String, name: String, epsg: Int?, datum: Datum?, zone: Int? = nil, isGeographic: Bool) {
        self.definition = definition
        self.name = name
        self.epsg = epsg
        self.datum = datum
        self.zone = zone
        self.isGeographic = isGeographic
    }

    public var description: String { name }

    // MARK: Well-known systems

    /// WGS 84 longitude/latitude, the CRS of RFC 7946 GeoJSON (OGC:CRS84).
    public static let crs84 = CRS(definition: "OGC:CRS84", name: "WGS 84 (CRS84, lon/lat)", epsg: nil, datum: .wgs84, isGeographic: true)
    public static let wgs84 = CRS(definition: "EPSG:4326", name: "WGS 84 (EPSG:4326)", epsg: 4326, datum: .wgs84, isGeographic: true)
    /// 世界測地系 JGD2011 緯度経度.
    public static let jgd2011 = CRS(definition: "EPSG:6668", name: "JGD2011 (EPSG:6668)", epsg: 6668, datum: .jgd2011, isGeographic: true)
    /// 世界測地系 JGD2000 緯度経度.
    public static let jgd2000 = CRS(definition: "EPSG:4612", name: "JGD2000 (EPSG:4612)", epsg: 4612, datum: .jgd2000, isGeographic: true)
    /// 日本測地系 (Tokyo datum) 緯度経度.
    public static let tokyo = CRS(definition: "EPSG:4301", name: "Tokyo (日本測地系, EPSG:4301)", epsg: 4301, datum: .tokyo, isGeographic: true)
    /// Web Mercator (EPSG:3857).
    public static let webMercator = CRS(
        definition: "EPSG:3857",
        name: "WGS 84 / Pseudo-Mercator (EPSG:3857)",
        epsg: 3857,
        datum: .wgs84,
        isGeographic: false
    )

    /// 平面直角座標系 zone (系) 1…19 on a datum: JGD2011 EPSG:6669–6687, JGD2000 2443–2461, Tokyo 30161–30179.
    public static func planeRectangular(zone: Int, datum: Datum = .jgd2011) -> CRS? {
        guard (1...19).contains(zone) else { return nil }
        let base: Int
        switch datum {
        case .jgd2011: base = 6669
        case .jgd2000: base = 2443
        case .tokyo: base = 30161
        case .wgs84: return nil
        }
        let code = base + zone - 1
        return CRS(
            definition: "EPSG:\(code)",
            name: "\(datum.label) / 平面直角座標系 \(romanNumerals[zone - 1])系 (EPSG:\(code))",
            epsg: code,
            datum: datum,
            zone: zone,
            isGeographic: false
        )
    }

    /// UTM zones over Japan (51–56 N): JGD2011 EPSG:6688–6692 (51–55), JGD2000 3097–3101 (51–55), WGS 84 32651–32656.
    public static func utm(zone: Int, datum: Datum = .jgd2011) -> CRS? {
        let code: Int
        switch (datum, zone) {
        case (.jgd2011, 51...55): code = 6688 + zone - 51
        case (.jgd2000, 51...55): code = 3097 + zone - 51
        case (.wgs84, 51...56): code = 32651 + zone - 51
        default: return nil
        }
        return CRS(
            definition: "EPSG:\(code)",
            name: "\(datum.label) / UTM zone \(zone)N (EPSG:\(code))",
            epsg: code,
            datum: datum,
            isGeographic: false
        )
    }

    /// Any EPSG code: the well-known ones get their names and datums, others are passed to PROJ as they are.
    public init(epsg code: Int) {
        if let known = CRS.known[code] {
            self = known
        } else {
            self.init(definition: "EPSG:\(code)", name: "EPSG:\(code)", epsg: code, datum: nil, isGeographic: false)
        }
    }

    /// Reads `EPSG:6677`, `6677`, `urn:ogc:def:crs:EPSG::6677`, `http://www.opengis.net/def/crs/EPSG/0/6677`,
    /// `OGC:CRS84` (and its URI), `JGD2011`, `JGD2000`, `Tokyo`, `WGS84`, or a PROJ string (`+proj=…`).
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let upper = trimmed.uppercased()
        switch upper {
        case "CRS84", "OGC:CRS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84", "HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84":
            self = .crs84
            return
        case "JGD2011": self = .jgd2011; return
        case "JGD2000": self = .jgd2000; return
        case "TOKYO", "日本測地系": self = .tokyo; return
        case "WGS84", "WGS 84": self = .wgs84; return
        default: break
        }
        for prefix in ["EPSG:", "URN:OGC:DEF:CRS:EPSG::", "HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/", "HTTPS://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/", ""] {
            if upper.hasPrefix(prefix), let code = Int(upper.dropFirst(prefix.count)), code > 0 {
                self.init(epsg: code)
                return
            }
        }
        if trimmed.hasPrefix("+proj=") || trimmed.hasPrefix("proj=") {
            self.init(
                definition: trimmed,
                name: trimmed,
                epsg: nil,
                datum: nil,
                isGeographic: trimmed.contains("proj=longlat") || trimmed.contains("proj=latlong")
            )
            return
        }
        throw ReprojectionError(code: .unknownCRS, message: "'\(text)' is not a CRS Civic can read; use EPSG:nnnn, OGC:CRS84 or a PROJ string")
    }

    /// The OGC URI (`http://www.opengis.net/def/crs/EPSG/0/6677`), for OGC API Features.
    public var uri: String? {
        if self == .crs84 { return "http://www.opengis.net/def/crs/OGC/1.3/CRS84" }
        return epsg.map { "http://www.opengis.net/def/crs/EPSG/0/\($0)" }
    }

    static let romanNumerals = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX",
    ]

    static let known: [Int: CRS] = {
        var table: [Int: CRS] = [:]
        for crs in [CRS.wgs84, .jgd2011, .jgd2000, .tokyo, .webMercator] { table[crs.epsg!] = crs }
        for datum in [Datum.jgd2011, .jgd2000, .tokyo] {
            for zone in 1...19 {
                let crs = planeRectangular(zone: zone, datum: datum)!
                table[crs.epsg!] = crs
            }
        }
        for datum in [Datum.jgd2011, .jgd2000, .wgs84] {
            for zone in 51...56 {
                if let crs = utm(zone: zone, datum: datum) { table[crs.epsg!] = crs }
            }
        }
        return table
    }()
}
