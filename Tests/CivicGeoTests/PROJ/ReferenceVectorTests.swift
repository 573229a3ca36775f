import Foundation
import Testing

@testable import CivicGeo

/// Civic against PROJ's own tools (cs2cs, cct; tools/make_reference_vectors.py, Fixtures/reference/README.md).
@Suite struct ReferenceVectorTests {
    static func rows(_ name: String) throws -> [[String: String]] {
        let text = try String(contentsOf: Fixture.url("reference/" + name), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
    }

    /// Metres between two nearby lon/lat points (local flat approximation; fine at centimetre scale).
    static func metres(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
        let north = (a.1 - b.1) * 111_320
        let east = (a.0 - b.0) * 111_320 * cos(a.1 * .pi / 180)
        return (north * north + east * east).squareRoot()
    }

    static func double(_ row: [String: String], _ key: String) -> Double { Double(row[key]!)! }

    @Test func everyZoneBothWaysWithinAMillimetre() throws {
        let rows = try Self.rows("plane_rectangular.csv")
        #expect(Set(rows.map { $0["zone"]! }).count == 19)
        for row in rows {
            let zone = Int(row["zone"]!)!
            for (datum, code) in [(CRS.Datum.jgd2011, "epsg_jgd2011"), (.jgd2000, "epsg_jgd2000")] {
                let plane = try #require(CRS.planeRectangular(zone: zone, datum: datum))
                #expect(plane.epsg == Int(row[code]!))
                let forward = try CoordinateTransform(from: datum.geographic, to: plane)
                let (east, north) = try forward.transform(x: Self.double(row, "longitude"), y: Self.double(row, "latitude"))
                #expect(abs(east - Self.double(row, "y_easting")) < 0.001, "\(row["name"]!) zone \(zone)")
                #expect(abs(north - Self.double(row, "x_northing")) < 0.001, "\(row["name"]!) zone \(zone)")
                let back = try CoordinateTransform(from: plane, to: datum.geographic)
                let (longitude, latitude) = try back.transform(x: Self.double(row, "y_easting"), y: Self.double(row, "x_northing"))
                let error = Self.metres((longitude, latitude), (Self.double(row, "longitude"), Self.double(row, "latitude")))
                #expect(error < 0.001, "\(row["name"]!) zone \(zone): \(error) m")
            }
        }
    }

    @Test func tokyoDatumWithinOneCentimetreOfPROJWithTheSameGrid() throws {
        let transform = try CoordinateTransform(from: .tokyo, to: .jgd2011)
        let rows = try Self.rows("tokyo_to_jgd2011.csv")
        #expect(rows.count >= 12)
        for row in rows {
            let (longitude, latitude) = try transform.transform(x: Self.double(row, "tokyo_longitude"), y: Self.double(row, "tokyo_latitude"))
            let error = Self.metres((longitude, latitude), (Self.double(row, "jgd2011_longitude"), Self.double(row, "jgd2011_latitude")))
            #expect(error < 0.01, "\(row["name"]!): \(error) m")
        }
        #expect(transform.operations.map(\.name).joined().contains("TKY2JGD"))
    }

    @Test func notTheThreeParameterFallback() throws {
        let transform = try CoordinateTransform(from: .tokyo, to: .jgd2011)
        for row in try Self.rows("tokyo_to_jgd2011_helmert.csv") where Self.double(row, "distance_to_grid_result_m") > 1 {
            let (longitude, latitude) = try transform.transform(x: Self.double(row, "tokyo_longitude"), y: Self.double(row, "tokyo_latitude"))
            let fromHelmert = Self.metres((longitude, latitude), (Self.double(row, "jgd2011_longitude"), Self.double(row, "jgd2011_latitude")))
            // The flat approximation is good to about 0.2 % (石垣: 250 m apart).
            let expected = Self.double(row, "distance_to_grid_result_m")
            #expect(abs(fromHelmert - expected) < max(0.05, expected * 0.002), "\(row["name"]!)")
        }
    }

    @Test func jgd2000ToJGD2011InNorthernHonshu() throws {
        let transform = try CoordinateTransform(from: .jgd2000, to: .jgd2011)
        for row in try Self.rows("jgd2000_to_jgd2011_tohoku.csv") {
            let (longitude, latitude) = try transform.transform(x: Self.double(row, "jgd2000_longitude"), y: Self.double(row, "jgd2000_latitude"))
            let error = Self.metres((longitude, latitude), (Self.double(row, "jgd2011_longitude"), Self.double(row, "jgd2011_latitude")))
            #expect(error < 0.01, "\(row["name"]!): \(error) m")
        }
        // Outside the Tōhoku grid JGD2000 = JGD2011 (EPSG:6698): 焼津市役所 passes through unchanged.
        let (longitude, latitude) = try transform.transform(x: 138.323171, y: 34.866918)
        #expect(longitude == 138.323171 && latitude == 34.866918)
    }
}
