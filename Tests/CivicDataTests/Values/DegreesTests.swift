import Testing

@testable import CivicData

/// Angles as written in 緯度/経度 cells: degrees-minutes-seconds in their forms, decimals with spaces; nothing else.
@Suite struct DegreesTests {
    /// Degrees, minutes, seconds and sign of each case (computed in the test, not in the table: the table stays simple).
    static let cases: [(text: String, parts: [Double])] = [
        ("34°03'07.7\"N", [34, 3, 7.7]),
        ("34°3′7.7″", [34, 3, 7.7]),
        ("34度3分7.7秒", [34, 3, 7.7]),
        ("北緯34度3分7.7秒", [34, 3, 7.7]),
        ("東経138度19分23.4秒", [138, 19, 23.4]),
        ("N34.05.07.7", [34, 5, 7.7]),
        ("E138.19.23", [138, 19, 23]),
        ("３４度３分７．７秒", [34, 3, 7.7]),
        ("34° 03' 07.7\" N", [34, 3, 7.7]),
        ("34度", [34, 0, 0]),
        ("34. 866918", [34.866918, 0, 0]),
        ("S33°52'", [-33, -52, 0]),
    ]

    @Test(arguments: DegreesTests.cases)
    func reads(_ example: (text: String, parts: [Double])) throws {
        let expected = example.parts[0] + example.parts[1] / 60 + example.parts[2] / 3600
        let value = try #require(Degrees.parse(example.text))
        #expect(abs(value - expected) < 1e-9)
    }

    /// The forms of issue #10 against decimal degrees computed outside Swift (Python, exact fractions:
    /// d + m/60 + s/3600), so the table does not repeat the parser's arithmetic.
    static let written: [(text: String, degrees: Double)] = [
        ("34°03'07.7\"N", 34.05213888888889),
        ("34˚03′07.7″N", 34.05213888888889),
        ("34º03’07.7”N", 34.05213888888889),
        ("34゜03'07.7''", 34.05213888888889),
        ("34度3分7.7秒", 34.05213888888889),
        ("北緯34度3分7.7秒", 34.05213888888889),
        ("北緯　３４度３分７．７秒", 34.05213888888889),
        ("N34.05.07.7", 34.08547222222222),
        ("E135.30.15.2", 135.5042222222222),
        ("東経135.30.15.2", 135.5042222222222),
        ("東経138°19′23.4″", 138.32316666666668),
        ("35°41′22.5″ N", 35.68958333333333),
        ("24°27′05″N", 24.45138888888889),
        // Decimal degrees: full-width digits, ideographic / ASCII / no-break spaces inside.
        ("３４．８６６９１８", 34.866918),
        ("34.　866918", 34.866918),
        ("34. 866918", 34.866918),
        ("138 .323171", 138.323171),
        ("34.\u{00A0}866918", 34.866918),
        // The southern and western hemispheres are negative (the pair check then reports them outside Japan).
        ("S34°03'07.7\"", -34.05213888888889),
        ("34°03'07.7\"S", -34.05213888888889),
        ("W135.30.15.2", -135.5042222222222),
        ("南緯34度3分7.7秒", -34.05213888888889),
        ("西経135度30分15.2秒", -135.5042222222222),
    ]

    @Test(arguments: DegreesTests.written)
    func readsAsWritten(_ example: (text: String, degrees: Double)) throws {
        let value = try #require(Degrees.parse(example.text), "\(example.text)")
        #expect(abs(value - example.degrees) < 1e-12, "\(example.text)")
    }

    @Test(arguments: ["", "北緯", "34度75分", "34°3'61\"", "34.05.07", "34.5度30分", "二十度", "34,866918", "-34度", "abc"])
    func refuses(text: String) {
        #expect(Degrees.parse(text) == nil)
    }

    @Test func writesSevenDecimals() {
        #expect(Degrees.text(34.052138888) == "34.0521389")
        #expect(Degrees.text(34) == "34")
    }
}
