/// Transforms coordinates from one CRS to another with PROJ, many points at a time.
///
/// Points are given as `x` = east (longitude or easting) and `y` = north (latitude or northing) whatever the
/// CRSs' axis order. Between Japanese datums it uses the GSI grids Civic ships, which PROJ's database does not
/// map: Tokyo → JGD2000 by TKY2JGD (0.2 m) instead of the 3-parameter fallback (9 m), and JGD2000 → JGD2011 by
/// the Tōhoku correction grid in northern Honshu (a null transformation elsewhere). Every transform says which
/// operations it used and their stated accuracy.
///
/// Not Sendable: it owns PROJ objects of one context. Make one per thread or task.
public final class CoordinateTransform {
    public let source: CRS
    public let target: CRS
    private let steps: [Step]

    private struct Step {
        var operation: ProjOperation
        var inverse: Bool
    }

    /// One step of the transformation, for reports.
    public struct Operation: Sendable, Equatable, CustomStringConvertible {
        public var name: String
        /// Stated accuracy in metres; nil when unknown; 0 for exact conversions (map projections).
        public var accuracy: Double?
        public var description: String {
            accuracy.map { "\(name) (\(CoordinateTransform.format(metres: $0)))" } ?? name
        }
    }

    public init(from source: CRS, to target: CRS, context: ProjContext? = nil) throws {
        let context = try context ?? ProjContext()
        self.source = source
        self.target = target
        if source == target {
            steps = []
            return
        }
        guard let from = source.datum, let to = target.datum, CoordinateTransform.needsGrids(from, to) else {
            steps = [Step(operation: try ProjOperation(context: context, from: source, to: target), inverse: false)]
            return
        }
        // Through the datums' geographic CRSs, with the grid shifts between them.
        var steps: [Step] = []
        if source != from.geographic {
            steps.append(Step(operation: try ProjOperation(context: context, from: source, to: from.geographic), inverse: false))
        }
        steps += try CoordinateTransform.datumShift(from: from, to: to, context: context)
        if target != to.geographic {
            steps.append(Step(operation: try ProjOperation(context: context, from: to.geographic, to: target), inverse: false))
        }
        self.steps = steps
    }

    /// The operations in order, with PROJ's names and stated accuracies. For a CRS-to-CRS step PROJ may choose
    /// among candidates per point; this is the one used for the last point transformed (or the first candidate).
    public var operations: [Operation] {
        steps.map { step in
            let used = step.operation.lastUsed
            return Operation(
                name: (step.inverse ? "inverse of " : "") + (used?.name ?? step.operation.summary),
                accuracy: used?.accuracy ?? step.operation.accuracy
            )
        }
    }

    /// The sum of the steps' stated accuracies, in metres (nil when a step's is unknown).
    public var accuracy: Double? {
        var total = 0.0
        for operation in operations {
            guard let accuracy = operation.accuracy else { return nil }
            total += accuracy
        }
        return total
    }

    /// Transforms the points in place. Returns the indices that could not be transformed (their values are NaN).
    @discardableResult
    public func transform(x: inout [Double], y: inout [Double]) -> [Int] {
        var failed = Set<Int>()
        for step in steps {
            for index in step.operation.transform(x: &x, y: &y, inverse: step.inverse) { failed.insert(index) }
        }
        return failed.sorted()
    }

    /// Transforms one point.
    public func transform(x: Double, y: Double) throws -> (x: Double, y: Double) {
        var xs = [x]
        var ys = [y]
        if !transform(x: &xs, y: &ys).isEmpty {
            throw ReprojectionError(code: .transformFailed, message: "(\(x), \(y)) cannot be transformed from \(source) to \(target)")
        }
        return (xs[0], ys[0])
    }

    // MARK: Japanese datums

    static func needsGrids(_ from: CRS.Datum, _ to: CRS.Datum) -> Bool {
        guard from != to else { return false }
        return from == .tokyo || to == .tokyo || Set([from, to]) == [.jgd2000, .jgd2011]
            || (Set([from, to]).contains(.jgd2000) && Set([from, to]).contains(.wgs84))
    }

    /// lon/lat degrees in, lon/lat degrees out.
    static func gridPipeline(_ grid: String) -> String {
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=hgridshift +grids=\(grid) "
            + "+step +proj=unitconvert +xy_in=rad +xy_out=deg"
    }

    private static func tokyoToJGD2000(_ context: ProjContext) throws -> ProjOperation {
        try ProjOperation(
            context: context,
            pipeline: gridPipeline(GridDirectory.tokyoToJGD2000),
            summary: "Tokyo to JGD2000 by the GSI grid TKY2JGD (as EPSG:6712)",
            accuracy: 0.2,
            zeroShiftFails: true
        )
    }

    private static func jgd2000ToJGD2011(_ context: ProjContext) throws -> ProjOperation {
        try ProjOperation(
            context: context,
            pipeline: gridPipeline(GridDirectory.jgd2000ToJGD2011Tohoku),
            summary: "JGD2000 to JGD2011 by the GSI grid touhokutaiheiyouoki2011 in northern Honshu (as EPSG:6713), null elsewhere (EPSG:6698)",
            accuracy: 0.2,
            identityOutsideArea: true
        )
    }

    /// Geographic lon/lat of one datum to another, through JGD2000 and JGD2011 (WGS 84 = JGD2011 at 1 m).
    private static func datumShift(from: CRS.Datum, to: CRS.Datum, context: ProjContext) throws -> [Step] {
        let order: [CRS.Datum] = [.tokyo, .jgd2000, .jgd2011]
        let fromIndex = order.firstIndex(of: from == .wgs84 ? .jgd2011 : from)!
        let toIndex = order.firstIndex(of: to == .wgs84 ? .jgd2011 : to)!
        var steps: [Step] = []
        if fromIndex < toIndex {
            for index in fromIndex..<toIndex {
                steps.append(Step(operation: try index == 0 ? tokyoToJGD2000(context) : jgd2000ToJGD2011(context), inverse: false))
            }
        } else if fromIndex > toIndex {
            for index in stride(from: fromIndex - 1, through: toIndex, by: -1) {
                steps.append(Step(operation: try index == 0 ? tokyoToJGD2000(context) : jgd2000ToJGD2011(context), inverse: true))
            }
        }
        if from == .wgs84 {
            steps.insert(Step(operation: try ProjOperation(context: context, from: .wgs84, to: .jgd2011), inverse: false), at: 0)
        }
        if to == .wgs84 {
            steps.append(Step(operation: try ProjOperation(context: context, from: .jgd2011, to: .wgs84), inverse: false))
        }
        return steps
    }

    static func format(metres: Double) -> String {
        "stated accuracy \(metres) m"
    }
}

@available(*, unavailable)
extension CoordinateTransform: Sendable {}
