import Foundation

/// Checks a record's 緯度/経度 as decimal degrees: both present, numbers, inside Japan; a pair given the other way
/// round (a longitude in 緯度) is exchanged and reported. Points outside Japan are left off the map, never guessed.
struct CoordinateCheck: Sendable {
    static let japanLatitudes = 20.0...46.0
    static let japanLongitudes = 122.0...154.0

    /// The standard fields' names and the input columns feeding them (for findings).
    var latitudeField: String
    var longitudeField: String
    var latitudeColumn: String
    var longitudeColumn: String

    /// What a pair of cells gives.
    struct Outcome: Equatable {
        /// The point, when usable.
        var latitude: Double?
        var longitude: Double?
        /// True when the two were exchanged (the values are then to be written the other way round).
        var swapped = false
    }

    /// Checks `latitudeText`/`longitudeText` (normalised), appending findings. `hasPlanePoint`: X/Y stand in for
    /// missing 緯度/経度.
    func check(latitudeText: String, longitudeText: String, line: Int, hasPlanePoint: Bool, into findings: inout [Finding]) -> Outcome {
        if latitudeText.isEmpty && longitudeText.isEmpty {
            // Plane rectangular X/Y stand in for them; CivicGeo reprojects and reports.
            if hasPlanePoint { return Outcome() }
            findings.append(
                Finding(
                    .coordinatesMissing,
                    .warning,
                    line: line,
                    column: latitudeColumn,
                    field: latitudeField,
                    message: "no coordinates; the record is left out of GeoJSON"
                )
            )
            return Outcome()
        }
        if latitudeText.isEmpty || longitudeText.isEmpty {
            findings.append(
                Finding(
                    .coordinatesIncomplete,
                    .error,
                    line: line,
                    column: latitudeText.isEmpty ? latitudeColumn : longitudeColumn,
                    field: latitudeText.isEmpty ? latitudeField : longitudeField,
                    message: "only one of 緯度/経度 is given; the record is left out of GeoJSON"
                )
            )
            return Outcome()
        }
        var parsed: [Double] = []
        for (text, column, field) in [(latitudeText, latitudeColumn, latitudeField), (longitudeText, longitudeColumn, longitudeField)] {
            if NumberValue.isDecimal(text), let number = Double(text) {
                parsed.append(number)
            } else {
                findings.append(
                    Finding(
                        .coordinateNotNumber,
                        .error,
                        line: line,
                        column: column,
                        field: field,
                        message: "not a decimal number (degrees); the record is left out of GeoJSON",
                        before: text
                    )
                )
            }
        }
        guard parsed.count == 2 else { return Outcome() }
        let (latitude, longitude) = (parsed[0], parsed[1])
        if latitude == longitude {
            // One value copied into both cells: neither can be trusted, and no guess is made.
            findings.append(
                Finding(
                    .coordinatesEqual,
                    .error,
                    line: line,
                    column: latitudeColumn,
                    field: latitudeField,
                    message: "緯度 and 経度 are the same number; the record is left out of GeoJSON",
                    before: latitudeText
                )
            )
            return Outcome()
        }
        if CoordinateCheck.japanLatitudes.contains(latitude) && CoordinateCheck.japanLongitudes.contains(longitude) {
            return Outcome(latitude: latitude, longitude: longitude)
        }
        if CoordinateCheck.japanLatitudes.contains(longitude) && CoordinateCheck.japanLongitudes.contains(latitude) {
            for (column, field, before, after) in [
                (latitudeColumn, latitudeField, latitudeText, longitudeText), (longitudeColumn, longitudeField, longitudeText, latitudeText),
            ] {
                findings.append(
                    Finding(
                        .coordinatesSwapped,
                        .fixed,
                        line: line,
                        column: column,
                        field: field,
                        message: "緯度 and 経度 were swapped; exchanged",
                        before: before,
                        after: after
                    )
                )
            }
            return Outcome(latitude: longitude, longitude: latitude, swapped: true)
        }
        if let lost = CoordinateCheck.decimalPointLost(latitude: latitude, longitude: longitude) {
            // A decimal point lost or moved (3503432 for 35.03432, 1355 for 135.5): reported, never guessed.
            let (column, field, text, name) =
                lost.isLatitude ? (latitudeColumn, latitudeField, latitudeText, "緯度") : (longitudeColumn, longitudeField, longitudeText, "経度")
            findings.append(
                Finding(
                    .coordinateDecimalPointLost,
                    .error,
                    line: line,
                    column: column,
                    field: field,
                    message:
                        "\(name) \(text) is not in Japan; with its decimal point elsewhere (\(Degrees.text(lost.value))) it would be: a decimal point lost? Not guessed; the record is left out of GeoJSON",
                    before: text
                )
            )
            return Outcome()
        }
        if !(-90.0...90.0).contains(latitude) || !(-180.0...180.0).contains(longitude) {
            let badLatitude = !(-90.0...90.0).contains(latitude)
            findings.append(
                Finding(
                    .coordinateOutOfRange,
                    .error,
                    line: line,
                    column: badLatitude ? latitudeColumn : longitudeColumn,
                    field: badLatitude ? latitudeField : longitudeField,
                    message: "\(badLatitude ? "緯度 outside −90…90" : "経度 outside −180…180"); the record is left out of GeoJSON",
                    before: badLatitude ? latitudeText : longitudeText
                )
            )
            return Outcome()
        }
        findings.append(
            Finding(
                .coordinatesOutsideJapan,
                .error,
                line: line,
                column: latitudeColumn,
                field: latitudeField,
                message: CoordinateCheck.japanLatitudes.contains(latitude) && CoordinateCheck.japanLatitudes.contains(longitude)
                    ? "the point is outside Japan: 経度 \(longitudeText) is a latitude, like 緯度 (copied?); the record is left out of GeoJSON"
                    : "the point is outside Japan (緯度 20–46, 経度 122–154); the record is left out of GeoJSON",
                before: "\(latitudeText),\(longitudeText)"
            )
        )
        return Outcome()
    }

    /// When exactly one of the two is outside Japan's range and moving its decimal point (×10^k, k = −8…8, k ≠ 0)
    /// alone would put the pair inside Japan: which one, and the value it would have. Nil otherwise (also when
    /// the other is not in Japan either: then nothing points to a decimal point).
    static func decimalPointLost(latitude: Double, longitude: Double) -> (isLatitude: Bool, value: Double)? {
        let latitudeIn = japanLatitudes.contains(latitude)
        let longitudeIn = japanLongitudes.contains(longitude)
        guard latitudeIn != longitudeIn else { return nil }
        let (value, range) = latitudeIn ? (longitude, japanLongitudes) : (latitude, japanLatitudes)
        guard value.isFinite, value > 0 else { return nil }
        for exponent in [-1, -2, -3, -4, -5, -6, -7, -8, 1, 2, 3, 4, 5, 6, 7, 8] {
            let moved = exponent < 0 ? value / pow(10, Double(-exponent)) : value * pow(10, Double(exponent))
            if range.contains(moved) { return (!latitudeIn, moved) }
        }
        return nil
    }

    /// Splits a packed "lat,lon" cell (comma, space, semicolon or slash between two decimals) into latitude and
    /// longitude text; the order is decided by Japan's ranges when they tell, otherwise latitude first as such
    /// columns are named. Nil when the cell is not two decimals.
    static func unpack(_ raw: String) -> (latitude: String, longitude: String)? {
        let text = Width.narrowed(Whitespace.trimmed(raw))
        let parts = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" || $0 == "/" }).map(String.init)
        guard parts.count == 2, parts.allSatisfy(NumberValue.isDecimal), let a = Double(parts[0]), let b = Double(parts[1]) else { return nil }
        let latitudeFirst = !(japanLongitudes.contains(a) && japanLatitudes.contains(b))
        return latitudeFirst ? (parts[0], parts[1]) : (parts[1], parts[0])
    }
}
