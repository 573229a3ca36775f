public import CivicData
import Foundation

/// Turns the coordinates of normalised records into the output CRS (CRS84 lon/lat for GeoJSON): 緯度/経度 in their
/// datum, or plane rectangular X/Y in their zone, deciding the source CRS per record and saying why.
///
/// The source CRS is, in order: `--from-crs` / the dataset descriptor (declared); a 座標系番号 or 測地系 column,
/// or the municipality's prefecture when it lies in one zone (detected); otherwise JGD2011, the standard's
/// 世界測地系 (defaulted). Plane X is read as the northing (the Japanese survey convention); a point that lands
/// outside its municipality's prefecture but inside it with X and Y exchanged is exchanged, and reported.
/// Not Sendable: it owns PROJ objects.
public final class Georeferencer {
    /// What the caller knows.
    public struct Options: Sendable {
        /// The CRS the coordinates are in, when known.
        public var declared: CRS?
        /// Who declared it: `--from-crs`, `dataset.json` …
        public var declaredBy: String
        /// The publishing municipality's 全国地方公共団体コード, when the records do not carry it.
        public var municipalityCode: String?
        public var target: CRS

        public init(declared: CRS? = nil, declaredBy: String = "--from-crs", municipalityCode: String? = nil, target: CRS = .crs84) {
            self.declared = declared
            self.declaredBy = declaredBy
            self.municipalityCode = municipalityCode
            self.target = target
        }
    }

    private struct Source: Hashable {
        var crs: CRS
        var basis: String
        var reason: String
    }

    private let options: Options
    /// Made on first need: loading PROJ's database costs time and memory a JGD2011 file never needs.
    private var context: ProjContext?
    private let municipalityOutput: Int?
    private let latitudeOutput: Int?
    private let longitudeOutput: Int?
    private let planeColumns: (x: String, y: String, zone: String?, datum: String?)?
    private var transforms: [CRS: CoordinateTransform] = [:]
    /// Sources in the order first used, with their record counts; `ids` finds a source's position.
    private var order: [Source] = []
    private var counts: [Int] = []
    private var ids: [Source: Int] = [:]
    /// The source of records with 緯度/経度 and no 測地系 column value, decided once.
    private var plainGeographic: Int?
    private var failed = 0
    private var swapped = 0
    private var outsidePrefecture = 0
    private var farFromMunicipality = 0
    private var outsideJapan = 0
    /// The box of the last municipality code seen (a file's rows mostly share one).
    private var lastMunicipality: (code: String, extent: MunicipalityExtent?) = ("", nil)
    /// Lines of this batch already reported outside their prefecture (not reported again as far from the
    /// municipality).
    private var outsidePrefectureLines: Set<Int> = []
    /// The input columns naming each row's coordinate system (座標系, 座標系番号, 測地系), for reasons.
    private let systemColumns: String
    private let hasSystemColumns: Bool
    /// The output columns, and the input column feeding each (for findings).
    private let layout: RecordLayout

    public init(reader: DatasetReader, options: Options = Options()) throws {
        guard options.target.isGeographic else {
            throw ReprojectionError(
                code: .noOperation,
                message: "records are georeferenced to a geographic CRS (lon/lat); project the result afterwards with CoordinateTransform"
            )
        }
        self.options = options
        municipalityOutput = reader.outputIndex(of: "全国地方公共団体コード")
        latitudeOutput = reader.schema.civic.latitudeField.flatMap(reader.outputIndex(of:))
        longitudeOutput = reader.schema.civic.longitudeField.flatMap(reader.outputIndex(of:))
        planeColumns = reader.planeColumns
        hasSystemColumns = !reader.coordinateSystemColumns.isEmpty
        systemColumns = hasSystemColumns ? reader.coordinateSystemColumns.joined(separator: "/") : "測地系"
        layout = reader.layout
    }

    /// True when the reader's file has coordinates to georeference (緯度/経度, a packed column, or plane X/Y).
    public static func applies(to reader: DatasetReader) -> Bool {
        reader.hasGeographicColumns || reader.planeColumns != nil
    }

    /// Georeferences a batch of records in place, handing findings to `report`.
    public func process(_ records: inout [NormalizedRecord], reportingTo report: ReportBuilder) throws {
        var groups: [[Int]] = Array(repeating: [], count: order.count)
        for index in records.indices {
            guard let id = try sourceID(for: records[index], report: report) else { continue }
            if id >= groups.count { groups += Array(repeating: [], count: id - groups.count + 1) }
            groups[id].append(index)
        }
        for (id, indices) in groups.enumerated() where !indices.isEmpty {
            counts[id] += indices.count
            if isNull(order[id].crs) {
                // 緯度/経度 as read are the output: only whether they are in Japan is left to check.
                for index in indices {
                    guard let longitude = records[index].longitude, let latitude = records[index].latitude else { continue }
                    if try !isInJapan(longitude, latitude, record: records[index], from: order[id].crs, report: report) {
                        records[index].longitude = nil
                        records[index].latitude = nil
                    }
                }
                continue
            }
            try transform(indices, from: order[id].crs, records: &records, report: report)
        }
        for index in records.indices where !outsidePrefectureLines.contains(records[index].line) {
            try checkNearMunicipality(records[index], report: report)
        }
        outsidePrefectureLines.removeAll(keepingCapacity: true)
    }

    /// A placed point farther than `MunicipalityExtent.nearDistance` from the box of the record's municipality (its
    /// 全国地方公共団体コード, or the publisher's) is a warning; the point stays on the map.
    private func checkNearMunicipality(_ record: NormalizedRecord, report: ReportBuilder) throws {
        guard let longitude = record.longitude, let latitude = record.latitude, let code = municipality(of: record) else { return }
        if code != lastMunicipality.code { lastMunicipality = (code, MunicipalityExtent.of(code: code)) }
        guard let extent = lastMunicipality.extent else { return }
        let distance = extent.distance(longitude: longitude, latitude: latitude)
        guard distance > MunicipalityExtent.nearDistance else { return }
        farFromMunicipality += 1
        try report.receive(
            Finding(
                .coordinatesFarFromMunicipality,
                .warning,
                line: record.line,
                column: latitudeOutput.flatMap { layout.inputColumns[$0] } ?? planeColumns?.x,
                message:
                    "the point (\(Degrees.text(latitude)), \(Degrees.text(longitude))) lies \(Int((distance / 1000).rounded())) km from \(extent.name) (\(code)), farther than \(Int(MunicipalityExtent.nearDistance / 1000)) km: wrong coordinates, datum or 全国地方公共団体コード?"
            )
        )
    }

    /// The position of the record's source in `order` (deciding and adding it when new); nil when undecidable.
    private func sourceID(for record: NormalizedRecord, report: ReportBuilder) throws -> Int? {
        // The common case, decided once: 緯度/経度 without a 測地系 value.
        let plain = record.latitude != nil && record.longitude != nil && record.coordinateSystem == nil
        if plain, let plainGeographic { return plainGeographic }
        guard let source = try decideSource(record, report: report) else { return nil }
        let id: Int
        if let known = ids[source] {
            id = known
        } else {
            id = order.count
            order.append(source)
            counts.append(0)
            ids[source] = id
        }
        if plain { plainGeographic = id }
        return id
    }

    /// The report's coordinate section: which CRS each group of records was read in, why, and how it was
    /// converted.
    public func finish() -> CoordinateReport {
        CoordinateReport(
            target: options.target.name,
            sources: order.enumerated().map { id, source in
                let transform = transforms[source.crs]
                let null = isNull(source.crs)
                return CoordinateReport.Use(
                    crs: source.crs.name,
                    definition: source.crs.definition,
                    basis: source.basis,
                    reason: source.reason,
                    operations: null ? [Georeferencer.nullOperation] : transform?.operations.map(\.description) ?? [],
                    accuracy: null ? 1 : transform?.accuracy,
                    records: counts[id]
                )
            },
            failed: failed,
            swapped: swapped,
            outsidePrefecture: outsidePrefecture,
            farFromMunicipality: farFromMunicipality,
            outsideJapan: outsideJapan
        )
    }

    // MARK: Deciding

    private func municipality(of record: NormalizedRecord) -> String? {
        if let index = municipalityOutput, MunicipalityCode.isValid(record.values[index]) { return record.values[index] }
        return options.municipalityCode
    }

    /// The datum a row's 座標系 / 測地系 cells name.
    static func datum(_ datum: CoordinateSystemName.Datum?) -> CRS.Datum? {
        switch datum {
        case .jgd2011: .jgd2011
        case .jgd2000: .jgd2000
        case .tokyo: .tokyo
        case .wgs84: .wgs84
        case nil: nil
        }
    }

    private func decideSource(_ record: NormalizedRecord, report: ReportBuilder) throws -> Source? {
        let datumFromColumn = Georeferencer.datum(record.coordinateSystem?.datum)
        if record.latitude != nil, record.longitude != nil {
            if let declared = options.declared {
                try noteOverride(record, datum: datumFromColumn, declared: declared, report: report)
                return Source(crs: declared, basis: "declared", reason: "\(options.declaredBy) \(declared.definition)")
            }
            if let datum = datumFromColumn {
                return Source(
                    crs: datum.geographic,
                    basis: "detected",
                    reason: "緯度/経度 with the \(systemColumns) column naming \(datum.geographic.name)"
                )
            }
            return Source(crs: .jgd2011, basis: "defaulted", reason: "緯度/経度 read as JGD2011, the standard's 世界測地系")
        }
        guard let point = record.planePoint else { return nil }
        if let declared = options.declared, point.zone == nil || declared.zone == point.zone {
            try noteOverride(record, datum: datumFromColumn, declared: declared, report: report)
            return Source(crs: declared, basis: "declared", reason: "\(options.declaredBy) \(declared.definition)")
        }
        let datum = datumFromColumn ?? options.declared?.datum ?? .jgd2011
        // One reason per CRS, whichever way each row wrote it (a row naming only the zone and one naming zone and
        // JGD2011 are one group).
        let datumReason =
            if datumFromColumn == nil, options.declared?.datum != nil {
                "datum from \(options.declaredBy)"
            } else if hasSystemColumns {
                "datum from the \(systemColumns) column where it names one, else JGD2011 (世界測地系)"
            } else {
                "datum JGD2011 (世界測地系) assumed"
            }
        if let zone = point.zone, let crs = CRS.planeRectangular(zone: zone, datum: datum == .wgs84 ? .jgd2011 : datum) {
            return Source(
                crs: crs,
                basis: "detected",
                reason: "\(planeColumns?.zone ?? systemColumns) gives \(CRS.romanNumerals[zone - 1])系; \(datumReason)"
            )
        }
        let code = municipality(of: record)
        switch ZoneDecision.zone(forMunicipality: code) {
        case .zone(let zone, let why):
            let crs = CRS.planeRectangular(zone: zone, datum: datum == .wgs84 ? .jgd2011 : datum)!
            return Source(crs: crs, basis: "detected", reason: "\(why); \(datumReason)")
        case .undecided(let why):
            try report.receive(
                Finding(
                    .coordinatesTransformFailed,
                    .error,
                    line: record.line,
                    column: planeColumns?.x,
                    message:
                        "plane rectangular X/Y without a zone (系): \(why); declare the coordinates' CRS (e.g. EPSG:6677 for IX系); the record is left out of GeoJSON"
                )
            )
            failed += 1
            return nil
        }
    }

    /// A row whose 座標系 / 測地系 cell names another datum than the declared CRS is read in the declared one, and
    /// the report says so (a warning per row: the declaration may be wrong for some rows).
    private func noteOverride(_ record: NormalizedRecord, datum: CRS.Datum?, declared: CRS, report: ReportBuilder) throws {
        guard let datum, let declaredDatum = declared.datum, Georeferencer.frame(datum) != Georeferencer.frame(declaredDatum) else { return }
        try report.receive(
            Finding(
                .coordinateSystemOverridden,
                .warning,
                line: record.line,
                column: systemColumns,
                message: "the \(systemColumns) column names \(datum.geographic.name), but \(options.declaredBy) \(declared.definition) is used"
            )
        )
    }

    // MARK: Transforming

    private func transformer(for crs: CRS) throws -> CoordinateTransform {
        if let existing = transforms[crs] { return existing }
        let context = try self.context ?? ProjContext()
        self.context = context
        let made = try CoordinateTransform(from: crs, to: options.target, context: context)
        transforms[crs] = made
        return made
    }

    /// JGD2011 and WGS 84 lon/lat coincide at the metre level: EPSG:6668 → 4326 is the null transformation
    /// "JGD2011 to WGS 84 (1)" (stated accuracy 1 m), so the coordinates need no PROJ call.
    private func isNull(_ crs: CRS) -> Bool {
        crs.isGeographic && options.target.isGeographic && Georeferencer.frame(crs.datum) == .jgd2011
            && Georeferencer.frame(options.target.datum) == .jgd2011
    }

    static let nullOperation =
        "none: JGD2011 and WGS 84 coincide (EPSG:6668 → 4326 is the null transformation \"JGD2011 to WGS 84 (1)\", stated accuracy 1 m)"

    private func transform(_ indices: [Int], from crs: CRS, records: inout [NormalizedRecord], report: ReportBuilder) throws {
        let transform = try transformer(for: crs)
        let plane = !crs.isGeographic
        var east = indices.map { plane ? records[$0].planePoint!.y : records[$0].longitude! }
        var north = indices.map { plane ? records[$0].planePoint!.x : records[$0].latitude! }
        let failures = Set(transform.transform(x: &east, y: &north))

        // Plane points outside their prefecture: try X and Y the other way round.
        var retry: [Int] = []
        if plane {
            for (offset, index) in indices.enumerated() where !failures.contains(offset) {
                if !lands(east[offset], north[offset], for: records[index]) { retry.append(offset) }
            }
            if !retry.isEmpty {
                var swappedEast = retry.map { records[indices[$0]].planePoint!.x }
                var swappedNorth = retry.map { records[indices[$0]].planePoint!.y }
                let swapFailures = Set(transform.transform(x: &swappedEast, y: &swappedNorth))
                for (position, offset) in retry.enumerated() where !swapFailures.contains(position) {
                    let record = records[indices[offset]]
                    guard lands(swappedEast[position], swappedNorth[position], for: record) else { continue }
                    east[offset] = swappedEast[position]
                    north[offset] = swappedNorth[position]
                    swapped += 1
                    try report.receive(
                        Finding(
                            .coordinatesSwappedXY,
                            .fixed,
                            line: record.line,
                            column: planeColumns?.x,
                            message: "X and Y read the other way round (X as the easting): only so does the point fall in its prefecture",
                            before: "X=\(record.planePoint!.x) Y=\(record.planePoint!.y)",
                            after: "X=\(record.planePoint!.y) Y=\(record.planePoint!.x)"
                        )
                    )
                }
            }
        }

        for (offset, index) in indices.enumerated() {
            let line = records[index].line
            if failures.contains(offset) || !east[offset].isFinite || !north[offset].isFinite {
                failed += 1
                records[index].longitude = nil
                records[index].latitude = nil
                try report.receive(
                    Finding(
                        .coordinatesTransformFailed,
                        .error,
                        line: line,
                        column: plane ? planeColumns?.x : nil,
                        message: "the point cannot be transformed from \(crs.name); the record is left out of GeoJSON"
                    )
                )
                continue
            }
            let (longitude, latitude) = (east[offset], north[offset])
            if try !isInJapan(longitude, latitude, record: records[index], from: crs, report: report) {
                records[index].longitude = nil
                records[index].latitude = nil
                continue
            }
            if !lands(longitude, latitude, for: records[index]), let code = municipality(of: records[index]) {
                outsidePrefecture += 1
                outsidePrefectureLines.insert(line)
                let name = PrefectureExtent.all[String(code.prefix(2))]?.name ?? String(code.prefix(2))
                try report.receive(
                    Finding(
                        .coordinatesOutsidePrefecture,
                        .warning,
                        line: line,
                        column: plane ? planeColumns?.x : nil,
                        message: "the point lies outside \(name), the prefecture of the municipality \(code) (wrong zone, datum or coordinates?)"
                    )
                )
            }
            records[index].longitude = longitude
            records[index].latitude = latitude
            guard let latitudeOutput, let longitudeOutput else { continue }
            if plane {
                // 緯度/経度 filled from X/Y (which stay as extra columns).
                if records[index].values[latitudeOutput].isEmpty {
                    records[index].values[latitudeOutput] = Georeferencer.degrees(latitude)
                    records[index].values[longitudeOutput] = Georeferencer.degrees(longitude)
                }
            } else if Georeferencer.frame(crs.datum) != Georeferencer.frame(options.target.datum) {
                // 緯度/経度 in another datum are rewritten in the target's (世界測地系 JGD2011 unless asked otherwise);
                // the values as read stay in the report.
                let before = "\(records[index].values[latitudeOutput]),\(records[index].values[longitudeOutput])"
                records[index].values[latitudeOutput] = Georeferencer.degrees(latitude)
                records[index].values[longitudeOutput] = Georeferencer.degrees(longitude)
                for (output, value) in [(latitudeOutput, before.split(separator: ",")[0]), (longitudeOutput, before.split(separator: ",")[1])] {
                    try report.receive(
                        Finding(
                            .coordinatesReprojected,
                            .fixed,
                            line: line,
                            column: layout.inputColumns[output],
                            field: layout.columns[output],
                            message: "converted from \(crs.name) to \(options.target.name)",
                            before: String(value),
                            after: records[index].values[output]
                        )
                    )
                }
            }
        }
    }

    /// True when the point (in the target CRS) is in Japan (`JapanExtent`: within 5 km of a municipality's box);
    /// otherwise reports `coordinates.outsideJapan` and the caller leaves the point off the map. The rough range
    /// 緯度 20–46 / 経度 122–154 that CivicData checks holds Seoul and Busan; this one does not.
    private func isInJapan(_ longitude: Double, _ latitude: Double, record: NormalizedRecord, from crs: CRS, report: ReportBuilder) throws -> Bool {
        if JapanExtent.contains(longitude: longitude, latitude: latitude) { return true }
        outsideJapan += 1
        let plane = !crs.isGeographic
        try report.receive(
            Finding(
                .coordinatesOutsideJapan,
                .error,
                line: record.line,
                column: plane ? planeColumns?.x : latitudeOutput.flatMap { layout.inputColumns[$0] },
                field: plane ? nil : latitudeOutput.map { layout.columns[$0] },
                message: (plane ? "after conversion from \(crs.name) " : "")
                    + "the point is not in Japan (farther than \(Int(JapanExtent.margin / 1000)) km from every municipality); the record is left out of GeoJSON",
                before: "\(Degrees.text(latitude)),\(Degrees.text(longitude))"
            )
        )
        return false
    }

    /// True when the point is inside the prefecture of the record's municipality (or, when that is unknown, in Japan).
    private func lands(_ longitude: Double, _ latitude: Double, for record: NormalizedRecord) -> Bool {
        guard let code = municipality(of: record), let extent = PrefectureExtent.all[String(code.prefix(2))] else {
            return JapanExtent.contains(longitude: longitude, latitude: latitude)
        }
        return extent.contains(longitude: longitude, latitude: latitude)
    }

    /// JGD2011 and WGS 84 agree at the metre level (EPSG:6668 → 4326 is a null transformation): one frame.
    static func frame(_ datum: CRS.Datum?) -> CRS.Datum? {
        datum == .wgs84 ? .jgd2011 : datum
    }

    static func degrees(_ value: Double) -> String {
        String(format: "%.8f", value)
    }
}

@available(*, unavailable)
extension Georeferencer: Sendable {}
