internal import CPROJ
import Foundation

/// Owns one PROJ object (`PJ`) made in a `ProjContext`, which it keeps alive.
/// Not Sendable, like its context.
final class ProjOperation {
    let context: ProjContext
    let pj: OpaquePointer
    /// What it does, for reports.
    let summary: String
    /// Stated accuracy in metres (nil when PROJ does not know it).
    let accuracy: Double?
    /// Points outside the operation's area pass through unchanged (the JGD2000 → JGD2011 correction outside
    /// northern Honshu is a null transformation).
    let identityOutsideArea: Bool
    /// Made by `proj_create_crs_to_crs`: PROJ may pick among candidate operations per point.
    let choosesPerPoint: Bool
    /// The TKY2JGD grid holds 0 where GSI has no data (sea, outside Japan): a point that does not move has failed.
    let zeroShiftFails: Bool

    /// A CRS-to-CRS operation in visualisation order (lon/lat, easting/northing), as PROJ chooses it.
    init(context: ProjContext, from source: CRS, to target: CRS) throws {
        guard let raw = proj_create_crs_to_crs(context.handle, source.definition, target.definition, nil) else {
            throw ReprojectionError(
                code: .noOperation,
                message: "\(source) → \(target): \(context.lastErrorMessage)",
                projErrorNumber: context.lastErrorNumber
            )
        }
        defer { proj_destroy(raw) }
        guard let normalized = proj_normalize_for_visualization(context.handle, raw) else {
            throw ReprojectionError(code: .noOperation, message: "\(source) → \(target): \(context.lastErrorMessage)")
        }
        self.context = context
        self.pj = normalized
        self.identityOutsideArea = false
        self.choosesPerPoint = true
        self.zeroShiftFails = false
        let name = proj_get_name(normalized).map { String(cString: $0) } ?? "\(source.definition) → \(target.definition)"
        let stated = proj_coordoperation_get_accuracy(context.handle, normalized)
        self.summary = name
        self.accuracy = stated >= 0 ? stated : nil
    }

    /// A PROJ pipeline over lon/lat degrees (for the GSI grids, which proj.db does not map).
    init(
        context: ProjContext,
        pipeline: String,
        summary: String,
        accuracy: Double?,
        identityOutsideArea: Bool = false,
        zeroShiftFails: Bool = false
    ) throws {
        guard let pj = proj_create(context.handle, pipeline) else {
            throw ReprojectionError(
                code: .missingGrid,
                message: "\(summary): \(context.lastErrorMessage) (grid folders: \(context.gridDirectories.map(\.path).joined(separator: ", ")))",
                projErrorNumber: context.lastErrorNumber
            )
        }
        self.context = context
        self.pj = pj
        self.choosesPerPoint = false
        self.zeroShiftFails = zeroShiftFails
        self.summary = summary
        self.accuracy = accuracy
        self.identityOutsideArea = identityOutsideArea
    }

    deinit {
        proj_destroy(pj)
    }

    /// The operation PROJ used for the last point (a CRS-to-CRS object picks among candidates by area).
    var lastUsed: (name: String, accuracy: Double?)? {
        guard choosesPerPoint, let used = proj_trans_get_last_used_operation(pj) else { return nil }
        defer { proj_destroy(used) }
        let accuracy = proj_coordoperation_get_accuracy(context.handle, used)
        return (proj_get_name(used).map { String(cString: $0) } ?? summary, accuracy >= 0 ? accuracy : nil)
    }

    /// Transforms the points in place with one `proj_trans_generic` call; returns the indices that failed
    /// (their values become NaN). `inverse` runs the operation backwards.
    func transform(x: inout [Double], y: inout [Double], inverse: Bool = false) -> [Int] {
        precondition(x.count == y.count, "x and y must have the same count")
        let count = x.count
        guard count > 0 else { return [] }
        var originalX: [Double] = []
        var originalY: [Double] = []
        if identityOutsideArea || zeroShiftFails {
            originalX = x
            originalY = y
        }
        proj_errno_reset(pj)
        let stride = MemoryLayout<Double>.stride
        x.withUnsafeMutableBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                _ = proj_trans_generic(
                    pj,
                    inverse ? PJ_INV : PJ_FWD,
                    xs.baseAddress,
                    stride,
                    count,
                    ys.baseAddress,
                    stride,
                    count,
                    nil,
                    0,
                    0,
                    nil,
                    0,
                    0
                )
            }
        }
        var failed: [Int] = []
        if zeroShiftFails {
            for index in 0..<count where x[index] == originalX[index] && y[index] == originalY[index] {
                x[index] = .infinity
            }
        }
        for index in 0..<count where !x[index].isFinite || !y[index].isFinite {
            if identityOutsideArea && originalX[index].isFinite && originalY[index].isFinite {
                x[index] = originalX[index]
                y[index] = originalY[index]
            } else {
                x[index] = .nan
                y[index] = .nan
                failed.append(index)
            }
        }
        return failed
    }
}

@available(*, unavailable)
extension ProjOperation: Sendable {}
