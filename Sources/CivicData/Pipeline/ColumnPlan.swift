/// How each input column feeds the output: built once from the header, used for every row.
struct ColumnPlan: Sendable {
    enum Target: Sendable, Equatable {
        /// The value goes to output column `output`, checked as `field`.
        case field(output: Int, field: Int)
        /// Appended to output column `output` (several legacy columns feeding one field).
        case join(output: Int, field: Int)
        /// "lat,lon" split into the latitude and longitude columns.
        case packedCoordinates
        /// Kept as-is in output column `output`.
        case extra(output: Int)
    }

    var targets: [Target]
    var outputColumns: [String]
    var mappings: [ColumnMapping]
    /// Findings about the header itself.
    var findings: [Finding]
    /// Which standard fields have a column in the file.
    var presentFields: Set<Int>
    var latitudeOutput: Int?
    var longitudeOutput: Int?
    var idOutput: Int?
    var packedColumn: Int?
    /// Plane rectangular coordinates kept as extra columns: X (northing), Y (easting), 座標系番号, 測地系.
    var planeXColumn: Int?
    var planeYColumn: Int?
    var zoneColumn: Int?
    var datumColumn: Int?

    /// Header names of plane rectangular X (northing in the Japanese survey convention), Y, the zone and the datum.
    static let planeXNames: Set<HeaderKey> = Set(
        ["X", "X座標", "座標X", "X座標値", "平面直角座標X", "平面直角座標系X", "X(m)", "X座標(m)", "X座標(北)"].map(HeaderKey.init)
    )
    static let planeYNames: Set<HeaderKey> = Set(
        ["Y", "Y座標", "座標Y", "Y座標値", "平面直角座標Y", "平面直角座標系Y", "Y(m)", "Y座標(m)", "Y座標(東)"].map(HeaderKey.init)
    )
    static let zoneNames: Set<HeaderKey> = Set(
        ["座標系番号", "系番号", "座標系", "平面直角座標系", "平面直角座標系番号", "系", "zone"].map(HeaderKey.init)
    )
    static let datumNames: Set<HeaderKey> = Set(["測地系", "測地系名", "datum"].map(HeaderKey.init))

    /// Column names that hold "lat,lon" in one cell.
    static let packedCoordinateNames: Set<HeaderKey> = Set(
        ["location", "位置", "緯度経度", "緯度・経度", "座標", "latlng", "latlon", "lat,lng", "lat,lon", "緯度,経度"].map(HeaderKey.init)
    )

    init(header: [String], schema: Schema) {
        let fields = schema.fields
        var byName: [HeaderKey: Int] = [:]
        for (index, field) in fields.enumerated() { byName[HeaderKey(field.name)] = index }
        var legacy: [HeaderKey: Field] = [:]
        for field in schema.legacyFields { legacy[HeaderKey(field.name)] = field }
        var byAlias: [HeaderKey: Int] = [:]
        for (index, field) in fields.enumerated() {
            for alias in field.aliases where byAlias[HeaderKey(alias)] == nil { byAlias[HeaderKey(alias)] = index }
        }

        outputColumns = fields.map(\.name)
        targets = []
        mappings = []
        findings = []
        presentFields = []
        var taken: [Int: (column: String, how: ColumnMapping.How)] = [:]
        var seenHeaders: [HeaderKey: Int] = [:]
        var extraNames = Set(outputColumns)

        let latitudeIndex = schema.civic.latitudeField.flatMap { name in fields.firstIndex { $0.name == name } }
        let longitudeIndex = schema.civic.longitudeField.flatMap { name in fields.firstIndex { $0.name == name } }

        for (position, rawName) in header.enumerated() {
            let key = HeaderKey(rawName)
            var name = rawName
            if key.value.isEmpty {
                name = "列\(position + 1)"
                findings.append(Finding(.headerEmpty, .warning, column: name, message: "column \(position + 1) has no name; kept as \(name)"))
            }
            if let first = seenHeaders[key], !key.value.isEmpty {
                findings.append(
                    Finding(
                        .headerDuplicate,
                        .warning,
                        column: rawName,
                        message: "column \(position + 1) repeats the name of column \(first + 1); kept as an extra column"
                    )
                )
                let output = ColumnPlan.appendExtra(named: "\(name) (\(position + 1))", to: &outputColumns, names: &extraNames)
                targets.append(.extra(output: output))
                mappings.append(ColumnMapping(index: position + 1, column: rawName, output: [outputColumns[output]], how: .extra))
                continue
            }
            seenHeaders[key] = position

            // Which field, and how it was found.
            var match: (field: Int, how: ColumnMapping.How)?
            if let index = byName[key] {
                match = (index, .same)
            } else if let legacyField = legacy[key] {
                if let current = legacyField.civic?.currentName, let index = fields.firstIndex(where: { $0.name == current }) {
                    match = (index, .legacyName)
                }
            } else if let index = byAlias[key] {
                match = (index, .alias)
            }

            if let (fieldIndex, how) = match {
                if let earlier = taken[fieldIndex] {
                    if earlier.how == .legacyName && how == .legacyName {
                        // Several legacy columns feed one field (都道府県名 + 市区町村名 → 地方公共団体名).
                        targets.append(.join(output: fieldIndex, field: fieldIndex))
                        mappings.append(ColumnMapping(index: position + 1, column: rawName, output: [fields[fieldIndex].name], how: .joined))
                        if let first = mappings.firstIndex(where: { $0.column == earlier.column }) { mappings[first].how = .joined }
                        findings.append(
                            Finding(
                                .columnJoined,
                                .info,
                                column: rawName,
                                field: fields[fieldIndex].name,
                                message: "joined after \(earlier.column) into \(fields[fieldIndex].name)"
                            )
                        )
                        continue
                    }
                    findings.append(
                        Finding(
                            .headerDuplicate,
                            .warning,
                            column: rawName,
                            field: fields[fieldIndex].name,
                            message: "\(fields[fieldIndex].name) is already filled from \(earlier.column); kept as an extra column"
                        )
                    )
                    let output = ColumnPlan.appendExtra(named: name, to: &outputColumns, names: &extraNames)
                    targets.append(.extra(output: output))
                    mappings.append(ColumnMapping(index: position + 1, column: rawName, output: [outputColumns[output]], how: .extra))
                    continue
                }
                taken[fieldIndex] = (rawName, how)
                presentFields.insert(fieldIndex)
                targets.append(.field(output: fieldIndex, field: fieldIndex))
                mappings.append(ColumnMapping(index: position + 1, column: rawName, output: [fields[fieldIndex].name], how: how))
                if how != .same {
                    findings.append(
                        Finding(
                            .headerRenamed,
                            .info,
                            column: rawName,
                            field: fields[fieldIndex].name,
                            message: "\(how == .legacyName ? "legacy column" : "column") \(rawName) written as \(fields[fieldIndex].name)"
                        )
                    )
                }
                continue
            }

            if ColumnPlan.packedCoordinateNames.contains(key), let latitudeIndex, let longitudeIndex, packedColumn == nil {
                packedColumn = position
                targets.append(.packedCoordinates)
                mappings.append(
                    ColumnMapping(
                        index: position + 1,
                        column: rawName,
                        output: [fields[latitudeIndex].name, fields[longitudeIndex].name],
                        how: .packedCoordinates
                    )
                )
                continue
            }

            // Plane rectangular coordinates stay as extra columns (nothing is lost) and are read for CivicGeo.
            if ColumnPlan.planeXNames.contains(key) && planeXColumn == nil {
                planeXColumn = position
            } else if ColumnPlan.planeYNames.contains(key) && planeYColumn == nil {
                planeYColumn = position
            } else if ColumnPlan.zoneNames.contains(key) && zoneColumn == nil {
                zoneColumn = position
            } else if ColumnPlan.datumNames.contains(key) && datumColumn == nil {
                datumColumn = position
            }

            let output = ColumnPlan.appendExtra(named: name, to: &outputColumns, names: &extraNames)
            targets.append(.extra(output: output))
            mappings.append(ColumnMapping(index: position + 1, column: rawName, output: [outputColumns[output]], how: .extra))
            findings.append(
                Finding(
                    .headerExtraColumn,
                    .info,
                    column: rawName,
                    message: "not a column of \(schema.title); kept after the standard columns"
                )
            )
        }

        // A packed column only counts when the separate columns are absent.
        if packedColumn != nil, let latitudeIndex, let longitudeIndex {
            if presentFields.contains(latitudeIndex) || presentFields.contains(longitudeIndex) {
                if let packed = packedColumn {
                    let output = ColumnPlan.appendExtra(named: header[packed], to: &outputColumns, names: &extraNames)
                    targets[packed] = .extra(output: output)
                    mappings[packed] = ColumnMapping(index: packed + 1, column: header[packed], output: [outputColumns[output]], how: .extra)
                }
                packedColumn = nil
            } else {
                presentFields.insert(latitudeIndex)
                presentFields.insert(longitudeIndex)
                findings.append(
                    Finding(
                        .columnPackedCoordinates,
                        .info,
                        column: header[packedColumn!],
                        message: "one column holds both coordinates; split into \(fields[latitudeIndex].name) and \(fields[longitudeIndex].name)"
                    )
                )
            }
        }

        for (index, field) in fields.enumerated() where field.isRequired && !presentFields.contains(index) {
            findings.append(
                Finding(
                    .headerMissingRequired,
                    field.requiredSeverity,
                    field: field.name,
                    message: "the required (◎ 必須\(field.requiredSeverity == .warning ? ", inferred" : "")) column \(field.name) is missing"
                )
            )
        }

        if planeXColumn == nil || planeYColumn == nil {
            planeXColumn = nil
            planeYColumn = nil
        }
        latitudeOutput = latitudeIndex
        longitudeOutput = longitudeIndex
        idOutput = schema.civic.idField.flatMap { name in fields.firstIndex { $0.name == name } }
    }

    /// The input column feeding each output column (the first, for joined ones; the packed column for both
    /// coordinates); nil for standard fields the file lacks.
    func inputColumns(header: [String]) -> [String?] {
        var inputColumns = [String?](repeating: nil, count: outputColumns.count)
        for (position, target) in targets.enumerated() {
            switch target {
            case .field(let output, _), .join(let output, _), .extra(let output):
                if inputColumns[output] == nil { inputColumns[output] = header[position] }
            case .packedCoordinates:
                for output in [latitudeOutput, longitudeOutput].compactMap({ $0 }) { inputColumns[output] = header[position] }
            }
        }
        return inputColumns
    }

    private static func appendExtra(named name: String, to columns: inout [String], names: inout Set<String>) -> Int {
        var unique = name
        var suffix = 2
        while names.contains(unique) {
            unique = "\(name) (\(suffix))"
            suffix += 1
        }
        names.insert(unique)
        columns.append(unique)
        return columns.count - 1
    }
}
