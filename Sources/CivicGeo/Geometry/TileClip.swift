internal import CGEOS
public import CivicData
internal import Foundation

/// A geometry cut to one vector tile: projected into the tile's coordinates (Web Mercator, 0…extent, y down), clipped
/// to the tile and a buffer around it (`GEOSClipByRect`), then snapped to the integer grid with GEOS's
/// precision reducer, which keeps polygons valid (a ring that collapses is dropped, not left self-intersecting) — the
/// snapping is also the simplification per zoom: detail finer than a tile unit goes. Winding order is set by
/// `VectorTile` when it writes the rings.
extension Geometry {
    /// This geometry (longitude/latitude) as it is drawn on tile `x`, `y` at `zoom` with `extent` units a side and
    /// `buffer` units kept around it; nil when nothing of it is on the tile.
    public func tileGeometry(zoom: Int, x: Int, y: Int, extent: Int, buffer: Int) throws -> VectorTile.Geometry? {
        var projection = TileProjection(zoom: zoom, x: x, y: y, extent: Double(extent))
        guard
            let projected = withUnsafeMutablePointer(
                to: &projection,
                { pointer in
                    GEOSGeom_transformXY_r(
                        context.handle,
                        self.pointer,
                        { x, y, userData in
                            guard let x, let y, let userData else { return 0 }
                            let projection = userData.assumingMemoryBound(to: TileProjection.self).pointee
                            (x.pointee, y.pointee) = projection.project(longitude: x.pointee, latitude: y.pointee)
                            return 1
                        },
                        pointer
                    )
                }
            )
        else { throw GeometryError(code: .operationFailed, message: "projecting to the tile: \(context.takeError("GEOSGeom_transformXY failed"))") }
        defer { GEOSGeom_destroy_r(context.handle, projected) }
        let low = Double(-buffer)
        let high = Double(extent + buffer)
        guard let clipped = GEOSClipByRect_r(context.handle, projected, low, low, high, high) else {
            throw GeometryError(code: .operationFailed, message: "clipping to the tile: \(context.takeError("GEOSClipByRect failed"))")
        }
        defer { GEOSGeom_destroy_r(context.handle, clipped) }
        guard GEOSisEmpty_r(context.handle, clipped) == 0 else { return nil }
        guard let snapped = GEOSGeom_setPrecision_r(context.handle, clipped, 1, Int32(GEOS_PREC_VALID_OUTPUT.rawValue)) else {
            throw GeometryError(code: .operationFailed, message: "snapping to the tile grid: \(context.takeError("GEOSGeom_setPrecision failed"))")
        }
        defer { GEOSGeom_destroy_r(context.handle, snapped) }
        var points: [VectorTile.TilePoint] = []
        var lines: [[VectorTile.TilePoint]] = []
        var polygons: [[[VectorTile.TilePoint]]] = []
        collect(snapped, points: &points, lines: &lines, polygons: &polygons)
        // One kind per feature (MVT): the polygons of a mixed result, else its lines, else its points.
        if !polygons.isEmpty { return .polygons(polygons) }
        if !lines.isEmpty { return .lines(lines) }
        if !points.isEmpty { return .points(points) }
        return nil
    }

    private func collect(
        _ geometry: OpaquePointer,
        points: inout [VectorTile.TilePoint],
        lines: inout [[VectorTile.TilePoint]],
        polygons: inout [[[VectorTile.TilePoint]]]
    ) {
        let handle = context.handle
        switch GEOSGeomTypeId_r(handle, geometry) {
        case Int32(GEOS_POINT.rawValue):
            points += coordinates(geometry)
        case Int32(GEOS_LINESTRING.rawValue), Int32(GEOS_LINEARRING.rawValue):
            lines.append(coordinates(geometry))
        case Int32(GEOS_POLYGON.rawValue):
            guard let shell = GEOSGetExteriorRing_r(handle, geometry) else { return }
            var rings = [coordinates(shell)]
            for index in 0..<max(0, GEOSGetNumInteriorRings_r(handle, geometry)) {
                if let hole = GEOSGetInteriorRingN_r(handle, geometry, index) { rings.append(coordinates(hole)) }
            }
            polygons.append(rings)
        default:
            for index in 0..<max(0, GEOSGetNumGeometries_r(handle, geometry)) {
                if let part = GEOSGetGeometryN_r(handle, geometry, index) {
                    collect(part, points: &points, lines: &lines, polygons: &polygons)
                }
            }
        }
    }

    private func coordinates(_ geometry: OpaquePointer) -> [VectorTile.TilePoint] {
        let handle = context.handle
        guard let sequence = GEOSGeom_getCoordSeq_r(handle, geometry) else { return [] }
        var size: UInt32 = 0
        GEOSCoordSeq_getSize_r(handle, sequence, &size)
        var out: [VectorTile.TilePoint] = []
        out.reserveCapacity(Int(size))
        for index in 0..<size {
            var x = 0.0
            var y = 0.0
            GEOSCoordSeq_getXY_r(handle, sequence, index, &x, &y)
            out.append(VectorTile.TilePoint(x: Int32(x.rounded()), y: Int32(y.rounded())))
        }
        return out
    }
}

/// Longitude/latitude → a tile's coordinates: Web Mercator (EPSG:3857) scaled so that the tile spans 0…extent,
/// y down.
public struct TileProjection: Sendable {
    public let zoom: Int
    public let x: Int
    public let y: Int
    public let extent: Double
    private let scale: Double

    public init(zoom: Int, x: Int, y: Int, extent: Double) {
        self.zoom = zoom
        self.x = x
        self.y = y
        self.extent = extent
        scale = Double(1 << zoom) * extent
    }

    /// The position in tile units (not rounded).
    public func project(longitude: Double, latitude: Double) -> (Double, Double) {
        let clamped = min(max(latitude, -85.0511287798066), 85.0511287798066)
        let sine = sin(clamped * .pi / 180)
        let worldX = (longitude + 180) / 360
        let worldY = 0.5 - log((1 + sine) / (1 - sine)) / (4 * .pi)
        return (worldX * scale - Double(x) * extent, worldY * scale - Double(y) * extent)
    }

    /// The tile's bounds in longitude/latitude, widened by `buffer` tile units on every side.
    public func bounds(buffer: Double = 0) -> (west: Double, south: Double, east: Double, north: Double) {
        func longitude(_ unit: Double) -> Double { (Double(x) + unit / extent) / Double(1 << zoom) * 360 - 180 }
        func latitude(_ unit: Double) -> Double {
            let n = Double.pi - 2 * .pi * (Double(y) + unit / extent) / Double(1 << zoom)
            return atan(sinh(n)) * 180 / .pi
        }
        return (longitude(-buffer), latitude(extent + buffer), longitude(extent + buffer), latitude(-buffer))
    }
}
