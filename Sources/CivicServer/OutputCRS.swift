import CivicGeo
import HTTPTypes
import Hummingbird

/// The CRSs the server offers (OGC API Features Part 2): CRS84 (the storage CRS), JGD2011 lat/lon and the 19
/// JGD2011 平面直角座標系 zones. Coordinates are written in each CRS's own axis order, as Part 2 requires:
/// CRS84 lon,lat; EPSG:6668 lat,lon; the plane zones X (northing), Y (easting).
struct OutputCRS: Sendable {
    static let crs84URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

    /// Every offered CRS by URI.
    static let offered: [String] = [crs84URI, CRS.jgd2011.uri!] + (1...19).map { CRS.planeRectangular(zone: $0)!.uri! }

    let uri: String
    let crs: CRS
    /// True when the CRS lists north first (EPSG:6668 lat/lon, the plane zones' X).
    var northFirst: Bool { uri != OutputCRS.crs84URI }
    /// Decimals kept: 7 for degrees, 3 (mm) for metres.
    var precision: Int { crs.isGeographic ? 7 : 3 }

    init?(uri: String) {
        guard OutputCRS.offered.contains(uri) else { return nil }
        self.uri = uri
        if uri == OutputCRS.crs84URI {
            crs = .crs84
        } else if let code = uri.split(separator: "/").last.flatMap({ Int($0) }) {
            crs = CRS(epsg: code)
        } else {
            return nil
        }
    }

    var isStorage: Bool { uri == OutputCRS.crs84URI }

    /// Converts CRS84 lon/lat points (in place) to this CRS, as (first, second) in its axis order.
    func convert(_ points: [(Double, Double)]) throws -> [(Double, Double)?] {
        guard !isStorage else { return points }
        let transform = try CoordinateTransform(from: .crs84, to: crs)
        var xs = points.map(\.0)
        var ys = points.map(\.1)
        let failed = Set(transform.transform(x: &xs, y: &ys))
        return points.indices.map { failed.contains($0) ? nil : (ys[$0], xs[$0]) }
    }

    /// A bbox given in this CRS (its axis order) as a CRS84 envelope (corners transformed, then enclosed).
    func toCRS84(_ numbers: [Double]) throws -> (minX: Double, minY: Double, maxX: Double, maxY: Double)? {
        let (a0, b0, a1, b1) = (numbers[0], numbers[1], numbers[2], numbers[3])
        guard !isStorage else { return (a0, b0, a1, b1) }
        // In this CRS's axis order the first number is north.
        let corners = [(b0, a0), (b1, a0), (b1, a1), (b0, a1)]
        let transform = try CoordinateTransform(from: crs, to: .crs84)
        var xs = corners.map(\.0)
        var ys = corners.map(\.1)
        guard transform.transform(x: &xs, y: &ys).isEmpty else { return nil }
        return (xs.min()!, ys.min()!, xs.max()!, ys.max()!)
    }
}

extension HTTPField.Name {
    /// OGC API Features Part 2: the CRS of the coordinates in the response.
    static let contentCRS = HTTPField.Name("Content-Crs")!
}
