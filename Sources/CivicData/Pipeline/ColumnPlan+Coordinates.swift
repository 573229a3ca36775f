extension ColumnPlan {
    /// Header names of plane rectangular X (northing in the Japanese survey convention), Y, the zone and the datum.
    static let planeXNames: Set<HeaderKey> = Set(
        ["X", "X座標", "座標X", "X座標値", "平面直角座標X", "平面直角座標系X", "X(m)", "X座標(m)", "X座標(北)"].map(HeaderKey.init)
    )
    static let planeYNames: Set<HeaderKey> = Set(
        ["Y", "Y座標", "座標Y", "Y座標値", "平面直角座標Y", "平面直角座標系Y", "Y(m)", "Y座標(m)", "Y座標(東)"].map(HeaderKey.init)
    )
    static let zoneNames: Set<HeaderKey> = Set(
        ["座標系番号", "系番号", "座標系", "平面直角座標系", "平面直角座標系番号", "系", "zone", "座標参照系", "CRS", "EPSG", "EPSGコード"].map(HeaderKey.init)
    )
    static let datumNames: Set<HeaderKey> = Set(["測地系", "測地系名", "datum"].map(HeaderKey.init))

    /// 緯度/経度 spellings the generic dataset reads besides its own (`GenericSchema`): rōmaji (ido/idou,
    /// keido/keidou) and the common misspelling longtitude. The standard datasets have them as aliases
    /// (tools/make_schemas.py).
    static let latitudeAliases: Set<HeaderKey> = Set(["ido", "idou"].map(HeaderKey.init))
    static let longitudeAliases: Set<HeaderKey> = Set(["longtitude", "keido", "keidou"].map(HeaderKey.init))

    /// A generic schema whose header names 緯度/経度 in one of `latitudeAliases`/`longitudeAliases` (alone or next to
    /// a spelling `GenericSchema` knows): those columns become its coordinate fields. Unchanged otherwise.
    static func withCoordinateAliases(_ schema: Schema) -> Schema {
        guard schema.civic.latitudeField == nil || schema.civic.longitudeField == nil else { return schema }
        func position(_ kind: FieldKind, _ aliases: Set<HeaderKey>) -> Int? {
            schema.fields.firstIndex { $0.kind == kind } ?? schema.fields.firstIndex { aliases.contains(HeaderKey($0.name)) }
        }
        guard let latitude = position(.latitude, latitudeAliases), let longitude = position(.longitude, longitudeAliases) else { return schema }
        var schema = schema
        for (index, kind) in [(latitude, FieldKind.latitude), (longitude, .longitude)] {
            schema.fields[index].type = "number"
            schema.fields[index].civic?.kind = kind
        }
        schema.civic.latitudeField = schema.fields[latitude].name
        schema.civic.longitudeField = schema.fields[longitude].name
        return schema
    }

    /// Column names that hold "lat,lon" in one cell.
    static let packedCoordinateNames: Set<HeaderKey> = Set(
        ["location", "位置", "緯度経度", "緯度・経度", "座標", "latlng", "latlon", "lat,lng", "lat,lon", "緯度,経度"].map(HeaderKey.init)
    )
}

extension ColumnPlan.Builder {
    /// The first column named like "lat,lon", when the schema has 緯度 and 経度: split into them (see
    /// `settlePackedCoordinates`). False when the column is not one.
    mutating func addPackedCoordinates(_ rawName: String, key: HeaderKey, at position: Int) -> Bool {
        guard ColumnPlan.packedCoordinateNames.contains(key), let latitude = plan.latitudeOutput, let longitude = plan.longitudeOutput,
            plan.packedColumn == nil
        else { return false }
        plan.packedColumn = position
        plan.targets.append(.packedCoordinates)
        plan.mappings.append(
            ColumnMapping(index: position + 1, column: rawName, output: [fields[latitude].name, fields[longitude].name], how: .packedCoordinates)
        )
        return true
    }

    /// A packed column counts only when the file has neither 緯度 nor 経度 of its own; otherwise it becomes an extra
    /// column.
    mutating func settlePackedCoordinates(header: [String]) {
        guard let packed = plan.packedColumn, let latitude = plan.latitudeOutput, let longitude = plan.longitudeOutput else { return }
        if plan.presentFields.contains(latitude) || plan.presentFields.contains(longitude) {
            let output = appendExtraColumn(named: header[packed])
            plan.targets[packed] = .extra(output: output)
            plan.mappings[packed] = ColumnMapping(index: packed + 1, column: header[packed], output: [plan.outputColumns[output]], how: .extra)
            plan.packedColumn = nil
        } else {
            plan.presentFields.insert(latitude)
            plan.presentFields.insert(longitude)
            plan.findings.append(
                Finding(
                    .columnPackedCoordinates,
                    .info,
                    column: header[packed],
                    message: "one column holds both coordinates; split into \(fields[latitude].name) and \(fields[longitude].name)"
                )
            )
        }
    }

    /// Plane rectangular coordinates stay as extra columns (nothing is lost) and are read for CivicGeo: the first
    /// X, Y, 座標系番号 and 測地系 columns.
    mutating func notePlaneCoordinate(_ key: HeaderKey, at position: Int) {
        if ColumnPlan.planeXNames.contains(key) && plan.planeXColumn == nil {
            plan.planeXColumn = position
        } else if ColumnPlan.planeYNames.contains(key) && plan.planeYColumn == nil {
            plan.planeYColumn = position
        } else if ColumnPlan.zoneNames.contains(key) && plan.zoneColumn == nil {
            plan.zoneColumn = position
        } else if ColumnPlan.datumNames.contains(key) && plan.datumColumn == nil {
            plan.datumColumn = position
        }
    }

    /// X without Y (or Y without X) is no point.
    mutating func settlePlaneCoordinates() {
        if plan.planeXColumn == nil || plan.planeYColumn == nil {
            plan.planeXColumn = nil
            plan.planeYColumn = nil
        }
    }
}
