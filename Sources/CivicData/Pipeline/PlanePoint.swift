import Foundation

/// Plane rectangular coordinates (平面直角座標系) as a file gives them, before any reprojection.
///
/// `x` and `y` are as labelled in the file: in the Japanese survey convention X is the northing and Y the easting,
/// but some GIS exports label them the other way; CivicGeo decides, and says so.
public struct PlanePoint: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double
    /// The zone (系) 1…19 from a 座標系番号 column, when the file has one.
    public var zone: Int?

    public init(x: Double, y: Double, zone: Int? = nil) {
        self.x = x
        self.y = y
        self.zone = zone
    }

    /// Reads a zone as written: `9`, `09`, `IX`, `Ⅸ`, `9系`, `第9系`, `第IX系`, full-width digits. Nil unless 1…19.
    public static func zone(from text: String) -> Int? {
        var value = Width.narrowed(Whitespace.trimmed(text))
        if value.hasPrefix("第") { value.removeFirst() }
        if value.hasSuffix("系") { value.removeLast() }
        if let number = Int(value), (1...19).contains(number) { return number }
        let roman = value.precomposedStringWithCompatibilityMapping.uppercased()
        let numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX"]
        return numerals.firstIndex(of: roman).map { $0 + 1 }
    }
}
