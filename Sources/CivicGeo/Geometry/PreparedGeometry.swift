internal import CGEOS

/// Owns one GEOS prepared geometry (`GEOSPreparedGeometry`), made from a `Geometry` it keeps alive (a prepared
/// geometry points into its source). Not Sendable.
final class PreparedGeometry {
    let source: Geometry
    let pointer: OpaquePointer

    init(_ source: Geometry) throws {
        guard let pointer = GEOSPrepare_r(source.context.handle, source.pointer) else {
            throw GeometryError(code: .operationFailed, message: source.context.takeError("GEOSPrepare_r failed"))
        }
        self.source = source
        self.pointer = pointer
    }

    deinit {
        GEOSPreparedGeom_destroy_r(source.context.handle, pointer)
    }
}

@available(*, unavailable)
extension PreparedGeometry: Sendable {}
