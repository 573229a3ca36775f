import Foundation

/// What a 座標系 / 測地系 / 座標系番号 cell names: a geodetic datum, a plane rectangular zone (系), or both, as
/// municipalities write them — `世界測地系`, `JGD2011`, `JGD2000`, `日本測地系`, `Tokyo`, `WGS84`, `平面直角座標系IX系`,
/// `9系`, `第9系`, `Ⅸ`, `JGD2011 / 平面直角座標系 9系`, `EPSG:6677` (the Japanese geographic and plane rectangular
/// EPSG codes). Full-width forms and spaces anywhere read too. Nil for anything else, never a guess.
public struct CoordinateSystemName: Sendable, Hashable, CustomStringConvertible {
    /// The geodetic datums of Japanese data.
    public enum Datum: String, Sendable, Hashable {
        /// 世界測地系 (測地成果2011); `世界測地系` alone means it, as in the standard.
        case jgd2011
        /// 世界測地系 (測地成果2000).
        case jgd2000
        /// 日本測地系 (旧測地系, Tokyo datum).
        case tokyo
        case wgs84
    }

    public var datum: Datum?
    /// Plane rectangular zone 1…19 (系 I…XIX).
    public var zone: Int?
    /// True when the text names a geographic CRS by its EPSG code (EPSG:6668, 4612, 4301, 4326).
    public var isGeographic = false

    public init(datum: Datum? = nil, zone: Int? = nil, isGeographic: Bool = false) {
        self.datum = datum
        self.zone = zone
        self.isGeographic = isGeographic
    }

    /// The names of the same system combined (a 測地系 column and a 座標系番号 column); nil when they contradict each
    /// other (日本測地系 beside EPSG:6677).
    public func combined(with other: CoordinateSystemName) -> CoordinateSystemName? {
        if let datum, let otherDatum = other.datum, datum != otherDatum { return nil }
        if let zone, let otherZone = other.zone, zone != otherZone { return nil }
        return CoordinateSystemName(
            datum: datum ?? other.datum,
            zone: zone ?? other.zone,
            isGeographic: isGeographic || other.isGeographic
        )
    }

    /// Reads a cell; nil when it names nothing Civic knows, or names two different things.
    public static func parse(_ text: String) -> CoordinateSystemName? {
        // Compatibility forms (Ⅸ → IX, full-width → ASCII), upper case, no spaces of any width.
        var rest = Width.narrowed(text).precomposedStringWithCompatibilityMapping.uppercased()
        rest.removeAll { $0.isWhitespace }
        guard !rest.isEmpty else { return nil }
        var name = CoordinateSystemName()

        // An EPSG code anywhere ("EPSG:6677", "(EPSG:6677)").
        if let range = rest.range(of: #"EPSG:?[0-9]+"#, options: .regularExpression) {
            guard let code = Int(rest[range].drop { !$0.isNumber }), let named = epsg(code) else { return nil }
            name = named
            rest.removeSubrange(range)
        }

        // Datum words, longest first ("日本測地系" before "測地系"; "JGD2011" before "JGD").
        var generic = false  // 世界測地系 / JGD alone: JGD2011 unless a year says otherwise.
        for (word, datum) in datumWords {
            guard rest.contains(word) else { continue }
            rest = rest.replacingOccurrences(of: word, with: "")
            if let datum {
                if let known = name.datum, known != datum { return nil }
                name.datum = datum
            } else {
                generic = true
            }
        }
        if generic && name.datum == nil { name.datum = .jgd2011 }

        // Words that say only "coordinate system", and separators.
        for word in fillerWords { rest = rest.replacingOccurrences(of: word, with: "") }
        rest.removeAll { "/・,、()[]-_:;|".contains($0) }

        // What is left is a zone or nothing.
        if !rest.isEmpty {
            guard let zone = PlanePoint.zone(from: rest) else { return nil }
            if let known = name.zone, known != zone { return nil }
            name.zone = zone
        }
        return name.datum == nil && name.zone == nil && !name.isGeographic ? nil : name
    }

    /// Datum words as they appear after upper-casing, longest first; nil is 世界測地系 without a year.
    private static let datumWords: [(String, Datum?)] = [
        ("旧日本測地系", .tokyo), ("日本測地系", .tokyo), ("旧測地系", .tokyo), ("東京測地系", .tokyo), ("TOKYODATUM", .tokyo),
        ("TOKYO", .tokyo), ("BESSEL", .tokyo),
        ("測地成果2011", .jgd2011), ("測地成果2000", .jgd2000), ("JGD2011", .jgd2011), ("JGD2000", .jgd2000), ("JGD2K", .jgd2000),
        ("WGS1984", .wgs84), ("WGS-84", .wgs84), ("WGS84", .wgs84),
        ("新測地系", nil), ("世界測地系", nil), ("JGD", nil),
    ]

    private static let fillerWords = [
        "平面直角座標系", "平面直角座標", "平面直角", "地理座標系", "座標系番号", "座標系", "系番号", "測地系", "緯度経度", "経緯度", "緯度・経度", "ZONE",
    ]

    /// The Japanese EPSG codes: geographic 6668/4612/4301/4326, and the plane rectangular zones on JGD2011
    /// (6669–6687), JGD2000 (2443–2461) and Tokyo (30161–30179).
    public static func epsg(_ code: Int) -> CoordinateSystemName? {
        switch code {
        case 6668: CoordinateSystemName(datum: .jgd2011, isGeographic: true)
        case 4612: CoordinateSystemName(datum: .jgd2000, isGeographic: true)
        case 4301: CoordinateSystemName(datum: .tokyo, isGeographic: true)
        case 4326: CoordinateSystemName(datum: .wgs84, isGeographic: true)
        case 6669...6687: CoordinateSystemName(datum: .jgd2011, zone: code - 6668)
        case 2443...2461: CoordinateSystemName(datum: .jgd2000, zone: code - 2442)
        case 30161...30179: CoordinateSystemName(datum: .tokyo, zone: code - 30160)
        default: nil
        }
    }

    /// For people: `JGD2011 / 9系`, `日本測地系`.
    public var description: String {
        let datumText: String? =
            switch datum {
            case .jgd2011: "JGD2011"
            case .jgd2000: "JGD2000"
            case .tokyo: "日本測地系"
            case .wgs84: "WGS 84"
            case nil: nil
            }
        return [datumText, zone.map { "\($0)系" }].compactMap { $0 }.joined(separator: " / ")
    }
}
