internal import CGEOS

/// A GEOS geometry: owns one `GEOSGeometry` of a `GEOSContext`, which it keeps alive. Not Sendable.
///
/// Coordinates are x = east (longitude), y = north (latitude) as in GeoJSON.
public final class Geometry {
    let context: GEOSContext
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer, context: GEOSContext) {
        self.pointer = pointer
        self.context = context
    }

    deinit {
        GEOSGeom_destroy_r(context.handle, pointer)
    }

    /// Reads Well-Known Text (`POLYGON ((…))`).
    public convenience init(wkt: String, context: GEOSContext) throws {
        guard let reader = GEOSWKTReader_create_r(context.handle) else {
            throw GeometryError(code: .operationFailed, message: "GEOSWKTReader_create_r failed")
        }
        defer { GEOSWKTReader_destroy_r(context.handle, reader) }
        guard let pointer = GEOSWKTReader_read_r(context.handle, reader, wkt) else {
            throw GeometryError(code: .unreadable, message: "not WKT: \(context.takeError("unreadable"))")
        }
        self.init(owning: pointer, context: context)
    }

    /// Reads a GeoJSON geometry object (`{"type":"Polygon","coordinates":…}`).
    public convenience init(geoJSON: String, context: GEOSContext) throws {
        guard let reader = GEOSGeoJSONReader_create_r(context.handle) else {
            throw GeometryError(code: .operationFailed, message: "GEOSGeoJSONReader_create_r failed")
        }
        defer { GEOSGeoJSONReader_destroy_r(context.handle, reader) }
        guard let pointer = GEOSGeoJSONReader_readGeometry_r(context.handle, reader, geoJSON) else {
            throw GeometryError(code: .unreadable, message: "not a GeoJSON geometry: \(context.takeError("unreadable"))")
        }
        self.init(owning: pointer, context: context)
    }

    /// Reads Well-Known Binary.
    public convenience init(wkb: [UInt8], context: GEOSContext) throws {
        guard let reader = GEOSWKBReader_create_r(context.handle) else {
            throw GeometryError(code: .operationFailed, message: "GEOSWKBReader_create_r failed")
        }
        defer { GEOSWKBReader_destroy_r(context.handle, reader) }
        guard let pointer = wkb.withUnsafeBufferPointer({ GEOSWKBReader_read_r(context.handle, reader, $0.baseAddress, $0.count) }) else {
            throw GeometryError(code: .unreadable, message: "not WKB: \(context.takeError("unreadable"))")
        }
        self.init(owning: pointer, context: context)
    }

    /// The geometry as Well-Known Binary (to move it to another context or thread).
    public func wkb() throws -> [UInt8] {
        guard let writer = GEOSWKBWriter_create_r(context.handle) else {
            throw GeometryError(code: .operationFailed, message: "GEOSWKBWriter_create_r failed")
        }
        defer { GEOSWKBWriter_destroy_r(context.handle, writer) }
        var size = 0
        guard let bytes = GEOSWKBWriter_write_r(context.handle, writer, pointer, &size) else {
            throw GeometryError(code: .operationFailed, message: context.takeError("WKB writing failed"))
        }
        defer { GEOSFree_r(context.handle, bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }

    /// A point.
    public convenience init(x: Double, y: Double, context: GEOSContext) throws {
        guard let pointer = GEOSGeom_createPointFromXY_r(context.handle, x, y) else {
            throw GeometryError(code: .operationFailed, message: context.takeError("GEOSGeom_createPointFromXY_r failed"))
        }
        self.init(owning: pointer, context: context)
    }

    /// `Point`, `Polygon`, `MultiPolygon` …
    public var typeName: String {
        guard let name = GEOSGeomType_r(context.handle, pointer) else { return "Unknown" }
        defer { GEOSFree_r(context.handle, name) }
        return String(cString: name)
    }

    /// Whether GEOS finds the geometry valid (OGC simple features), and where the first problem is.
    public var validity: Validity {
        var reason: UnsafeMutablePointer<CChar>?
        var location: OpaquePointer?
        let result = GEOSisValidDetail_r(context.handle, pointer, 0, &reason, &location)
        defer {
            if let reason { GEOSFree_r(context.handle, reason) }
            if let location { GEOSGeom_destroy_r(context.handle, location) }
        }
        if result == 1 { return Validity(isValid: true, reason: nil, x: nil, y: nil) }
        var x = Double.nan
        var y = Double.nan
        if let location {
            _ = GEOSGeomGetX_r(context.handle, location, &x)
            _ = GEOSGeomGetY_r(context.handle, location, &y)
        }
        return Validity(
            isValid: false,
            reason: reason.map { String(cString: $0) } ?? context.takeError("invalid"),
            x: x.isFinite ? x : nil,
            y: y.isFinite ? y : nil
        )
    }

    /// A valid version (GEOS make-valid): self-intersections split, bow-ties become two polygons.
    public func madeValid() throws -> Geometry {
        guard let made = GEOSMakeValid_r(context.handle, pointer) else {
            throw GeometryError(code: .operationFailed, message: "make-valid failed: \(context.takeError("unknown"))")
        }
        return Geometry(owning: made, context: context)
    }

    /// Rings as RFC 7946 wants them: exterior counter-clockwise, holes clockwise (GEOS normalises to the
    /// opposite, so this normalises and reverses).
    public func orientedForGeoJSON() throws -> Geometry {
        guard let copy = GEOSGeom_clone_r(context.handle, pointer) else {
            throw GeometryError(code: .operationFailed, message: context.takeError("clone failed"))
        }
        guard GEOSNormalize_r(context.handle, copy) == 0, let reversed = GEOSReverse_r(context.handle, copy) else {
            GEOSGeom_destroy_r(context.handle, copy)
            throw GeometryError(code: .operationFailed, message: context.takeError("orientation failed"))
        }
        GEOSGeom_destroy_r(context.handle, copy)
        return Geometry(owning: reversed, context: context)
    }

    /// The geometry as a GeoJSON geometry object.
    public func geoJSON() throws -> String {
        guard let writer = GEOSGeoJSONWriter_create_r(context.handle) else {
            throw GeometryError(code: .operationFailed, message: "GEOSGeoJSONWriter_create_r failed")
        }
        defer { GEOSGeoJSONWriter_destroy_r(context.handle, writer) }
        guard let text = GEOSGeoJSONWriter_writeGeometry_r(context.handle, writer, pointer, -1) else {
            throw GeometryError(code: .operationFailed, message: context.takeError("GeoJSON writing failed"))
        }
        defer { GEOSFree_r(context.handle, text) }
        return String(cString: text)
    }

    /// The bounding box.
    public var envelope: Envelope {
        var minX = 0.0
        var minY = 0.0
        var maxX = 0.0
        var maxY = 0.0
        _ = GEOSGeom_getXMin_r(context.handle, pointer, &minX)
        _ = GEOSGeom_getYMin_r(context.handle, pointer, &minY)
        _ = GEOSGeom_getXMax_r(context.handle, pointer, &maxX)
        _ = GEOSGeom_getYMax_r(context.handle, pointer, &maxY)
        return Envelope(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }

    /// True when the two geometries share any point.
    public func intersects(_ other: Geometry) -> Bool {
        GEOSIntersects_r(context.handle, pointer, other.pointer) == 1
    }

    /// True when `other` lies inside this geometry.
    public func contains(_ other: Geometry) -> Bool {
        GEOSContains_r(context.handle, pointer, other.pointer) == 1
    }
}

@available(*, unavailable)
extension Geometry: Sendable {}

/// What GEOS says of a geometry's validity.
public struct Validity: Sendable, Equatable {
    public var isValid: Bool
    /// GEOS's reason: `Self-intersection`, `Ring Self-intersection`, `Too few points` …
    public var reason: String?
    /// Where the problem is.
    public var x: Double?
    public var y: Double?
}
