public import CivicData
import Foundation

/// The pipeline stage for records with geometry (GeoJSON input): reprojects every vertex into the target CRS (CRS84
/// for GeoJSON) with PROJ, one batch per geometry; reports geometries outside Japan; checks each with GEOS and
/// reports the invalid ones with GEOS's reason and location — or, when asked, makes them valid (`GEOSMakeValid`)
/// and reports the repair. A Point's coordinates also become the record's longitude/latitude.
///
/// The source CRS is the file's own `"crs"` member (2008 GeoJSON), else the one declared (`--from-crs`,
/// `dataset.json`), else CRS84 (RFC 7946). Not Sendable: it owns PROJ and GEOS objects.
public final class GeometryProcessor {
    /// The CRS the geometries are read in, why, and how many.
    public let source: CRS
    private let basis: String
    private let reason: String
    private let target: CRS?
    private let repair: Bool
    private let transform: CoordinateTransform?
    private let context: GEOSContext
    private var count = 0
    private var failed = 0

    /// - Parameters:
    ///   - fileCRS: the CRS the file names (`GeoJSONRows.crsName`), as written.
    ///   - declared: the CRS the caller declares, and who (`--from-crs`, `dataset.json`).
    ///   - target: the CRS to reproject into; nil leaves the coordinates as read.
    ///   - repair: make invalid geometries valid (reported as fixed) instead of only reporting them.
    public init(fileCRS: String?, declared: CRS?, declaredBy: String, target: CRS?, repair: Bool) throws {
        if let fileCRS {
            let named: CRS
            do {
                named = try CRS(parsing: fileCRS)
            } catch {
                throw ReprojectionError(code: .unknownCRS, message: "the file's \"crs\" member names '\(fileCRS)', which is not a CRS Civic can read")
            }
            source = named
            basis = "declared"
            reason =
                "the file's \"crs\" member (\(fileCRS))"
                + (declared.map { $0 == named ? "" : "; \(declaredBy) \($0.definition) is not used: the file's own CRS wins" } ?? "")
        } else if let declared {
            source = declared
            basis = "declared"
            reason = "\(declaredBy) \(declared.definition)"
        } else {
            source = .crs84
            basis = "defaulted"
            reason = "GeoJSON without a \"crs\" member is CRS84 (RFC 7946)"
        }
        self.target = target
        self.repair = repair
        if let target, !GeometryProcessor.coincide(source, target) {
            transform = try CoordinateTransform(from: source, to: target)
        } else {
            transform = nil
        }
        context = try GEOSContext()
    }

    /// Geographic CRSs of datums that agree at the metre level (WGS 84, JGD2011): no transformation needed.
    private static func coincide(_ a: CRS, _ b: CRS) -> Bool {
        a == b || (a.isGeographic && b.isGeographic && Georeferencer.frame(a.datum) == .jgd2011 && Georeferencer.frame(b.datum) == .jgd2011)
    }

    /// Reprojects, checks (and repairs) the geometries of a batch in place, reporting to `report`.
    public func process(_ records: inout [NormalizedRecord], reportingTo report: ReportBuilder) throws {
        for index in records.indices {
            guard var geometry = records[index].geometry, !geometry.isEmpty else { continue }
            let line = records[index].line
            let feature = records[index].feature.map { "feature \($0)" } ?? "the record"
            count += 1
            let original = geometry
            if let transform {
                var failures = 0
                geometry.transformPositions { x, y in
                    failures += transform.transform(x: &x, y: &y).count
                    failures += zip(x, y).filter { !$0.isFinite || !$1.isFinite }.count
                }
                if failures > 0 {
                    failed += 1
                    records[index].geometry = nil
                    records[index].longitude = nil
                    records[index].latitude = nil
                    GeometryProcessor.markError(&records[index], report)
                    try report.receive(
                        Finding(
                            .coordinatesTransformFailed,
                            .error,
                            line: line,
                            message:
                                "\(failures) of the \(geometry.positionCount) positions of \(feature) cannot be transformed from \(source.name); the geometry is kept only in this report",
                            before: original.wkt
                        )
                    )
                    continue
                }
            }
            if target?.isGeographic ?? source.isGeographic, let bounds = geometry.bounds,
                !(122.0...154.0).contains(bounds[0]) || !(122.0...154.0).contains(bounds[2]) || !(20.0...46.0).contains(bounds[1])
                    || !(20.0...46.0).contains(bounds[3])
            {
                try report.receive(
                    Finding(
                        .geometryOutsideJapan,
                        .warning,
                        line: line,
                        message:
                            "\(feature) reaches outside Japan (longitude 122–154, latitude 20–46)\(transform == nil ? "" : " after conversion from \(source.name)"): wrong CRS or axis order?"
                    )
                )
            }
            if geometry.kind != .point {
                try check(&geometry, record: &records[index], feature: feature, report: report)
            }
            records[index].geometry = geometry
            if geometry.kind == .point, geometry.x.count == 1 {
                records[index].longitude = geometry.x[0]
                records[index].latitude = geometry.y[0]
            }
        }
    }

    /// GEOS's validity check, and make-valid when asked.
    private func check(_ geometry: inout RecordGeometry, record: inout NormalizedRecord, feature: String, report: ReportBuilder) throws {
        let wkt = geometry.wkt
        let made: Geometry
        do {
            made = try Geometry(wkt: wkt, context: context)
        } catch let error as GeometryError {
            // GEOS refuses to build it at all (an unclosed ring, a ring of fewer than four positions).
            GeometryProcessor.markError(&record, report)
            try report.receive(
                Finding(
                    .geometryInvalid,
                    .error,
                    line: record.line,
                    message: "\(feature) is not a valid geometry: \(error.message)\(repair ? " (GEOS cannot repair what it cannot read)" : "")"
                )
            )
            return
        }
        let validity = made.validity
        guard !validity.isValid else { return }
        let location =
            validity.x.flatMap { x in validity.y.map { " at (\(RecordGeometryFormat.number(x)), \(RecordGeometryFormat.number($0)))" } } ?? ""
        let why = "\(validity.reason ?? "invalid")\(location)"
        if repair {
            do {
                let repaired = try made.madeValid()
                let json = try repaired.geoJSON()
                if let read = try RecordGeometry(json: try JSONParser.parse(Array(json.utf8))) {
                    geometry = read
                    try report.receive(
                        Finding(
                            .geometryRepaired,
                            .fixed,
                            line: record.line,
                            message: "\(feature) was invalid (\(why)); made valid by GEOS (a \(read.kind.rawValue) now)",
                            before: wkt,
                            after: read.wkt
                        )
                    )
                    return
                }
            } catch {
                // Reported below as invalid, with why the repair failed.
                GeometryProcessor.markError(&record, report)
                try report.receive(
                    Finding(
                        .geometryInvalid,
                        .error,
                        line: record.line,
                        message: "\(feature) is invalid (\(why)) and GEOS could not repair it: \(error)"
                    )
                )
                return
            }
        }
        GeometryProcessor.markError(&record, report)
        try report.receive(
            Finding(
                .geometryInvalid,
                .error,
                line: record.line,
                message: "\(feature) is invalid: \(why)\(repair ? "" : "; --repair-geometry makes it valid with GEOS")"
            )
        )
    }

    /// Marks the record as having an error, counting it when it had none (it was counted as it was read).
    private static func markError(_ record: inout NormalizedRecord, _ report: ReportBuilder) {
        guard !record.hasErrors else { return }
        record.hasErrors = true
        report.countLaterError()
    }

    /// The report's coordinate section for the geometries.
    public func finish() -> CoordinateReport {
        let operations = transform?.operations.map(\.description) ?? (target == nil ? [] : [Georeferencer.nullOperation])
        return CoordinateReport(
            target: target?.name ?? source.name,
            sources: [
                CoordinateReport.Use(
                    crs: source.name,
                    definition: source.definition,
                    basis: basis,
                    reason: reason,
                    operations: source == target ? ["none: the geometries are already in \(source.name)"] : operations,
                    accuracy: transform?.accuracy ?? (target == nil || source == target ? 0 : 1),
                    records: count
                )
            ],
            failed: failed,
            swapped: 0,
            outsidePrefecture: 0
        )
    }
}

@available(*, unavailable)
extension GeometryProcessor: Sendable {}

/// Numbers in messages.
enum RecordGeometryFormat {
    static func number(_ value: Double) -> String { String(format: "%.7f", value) }
}
