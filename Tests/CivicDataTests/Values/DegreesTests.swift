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

    @Test(arguments: ["", "北緯", "34度75分", "34°3'61\"", "34.05.07", "34.5度30分", "二十度", "34,866918", "-34度", "abc"])
    func refuses(text: String) {
        #expect(Degrees.parse(text) == nil)
    }

    @Test func writesSevenDecimals() {
        #expect(Degrees.text(34.052138888) == "34.0521389")
        #expect(Degrees.text(34) == "34")
    }
}
