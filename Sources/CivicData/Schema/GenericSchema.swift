import Foundation

/// The schema of a table that fits no standard dataset: every column of its own header kept, in order, and checked
/// for what its name makes knowable — coordinates, 全国地方公共団体コード (with the check digit), 法人番号, dates,
/// phone numbers, URLs, e-mail, postal codes. Everything else is text, trimmed, never reinterpreted (codes with leading
/// zeros stay as written). Plane rectangular X/Y, 座標系/測地系 and packed "lat,lon" columns are read for the
/// coordinates as in any dataset.
public enum GenericSchema {
    /// The dataset id of tables that fit no standard dataset.
    public static let id = "generic"
    public static let title = "標準外のデータセット"

    /// Column names (as HeaderKey) and the kind they make knowable.
    static let kinds: [(names: [String], kind: FieldKind)] = [
        (["緯度", "lat", "latitude", "geo:lat", "schema:latitude", "ic:緯度", "北緯", "y(緯度)"], .latitude),
        (["経度", "lon", "lng", "long", "longitude", "geo:long", "schema:longitude", "ic:経度", "東経", "x(経度)"], .longitude),
        (["全国地方公共団体コード", "地方公共団体コード", "団体コード", "市区町村コード", "都道府県コード又は市区町村コード", "localgovernmentcode"], .municipalityCode),
        (["法人番号", "corporatenumber"], .corporateNumber),
        (["電話番号", "電話", "tel", "phone", "telephone", "連絡先電話番号", "schema:telephone"], .phone),
        (["url", "ホームページ", "homepage", "website", "webサイト", "schema:url"], .url),
        (["メールアドレス", "電子メール", "email", "e-mail", "mail", "schema:email"], .email),
        (["郵便番号", "postalcode", "postcode", "〒"], .postalCode),
        (["年月日", "日付", "date", "更新日", "更新年月日", "登録日", "登録年月日", "指定日", "指定年月日", "開設日", "開設年月日", "公開日"], .date),
    ]

    private static let kindByName: [HeaderKey: FieldKind] = {
        var map: [HeaderKey: FieldKind] = [:]
        for (names, kind) in kinds { for name in names { map[HeaderKey(name)] = kind } }
        return map
    }()

    /// The kinds the values of a column can give it when its name gives none: the knowable ones and numbers (codes
    /// with leading zeros are never numbers; flags stay text, as their marks vary).
    static let kindsFromValues: Set<FieldKind> = [
        .municipalityCode, .corporateNumber, .latitude, .longitude, .phone, .postalCode, .url, .email, .date, .time, .yesNo, .integer,
        .number,
    ]

    /// The kind a column's name makes knowable: its whole name, else one of its readings (`緯度\n(世界測地系)`).
    static func kind(named name: String) -> FieldKind? {
        kindByName[HeaderKey(name)] ?? HeaderKey.variants(of: name).lazy.compactMap { kindByName[$0] }.first
    }

    /// The schema for a header: one field per named column (duplicates and coordinate helper columns are left to the
    /// column plan, which keeps them as extra columns). A column whose name says nothing gets the kind every sampled
    /// value of it has (`values`); a name with furigana or a second line is read as the name alone (the column plan
    /// reports the renaming).
    public static func make(header: [String], reason: String, values: ValueSample = .empty) -> Schema {
        var fields: [[String: Any]] = []
        var seen = Set<HeaderKey>()
        var latitude: String?
        var longitude: String?
        var hasPacked = false
        let namedCoordinates = header.contains { kind(named: $0) == .latitude } && header.contains { kind(named: $0) == .longitude }
        for (position, cell) in header.enumerated() {
            let name = HeaderKey.reading(of: cell) ?? cell
            let key = HeaderKey(name)
            guard !key.value.isEmpty, !HeaderSearch.isPropertyMarker(cell), !seen.contains(key) else { continue }
            if ColumnPlan.packedCoordinateNames.contains(key) { hasPacked = true }
            if ColumnPlan.planeXNames.contains(key) || ColumnPlan.planeYNames.contains(key) || ColumnPlan.zoneNames.contains(key)
                || ColumnPlan.datumNames.contains(key) || ColumnPlan.packedCoordinateNames.contains(key)
            {
                continue
            }
            seen.insert(key)
            var kind = kind(named: cell) ?? .text
            if kind == .text, position < values.kinds.count, let inferred = values.kinds[position], kindsFromValues.contains(inferred),
                !(namedCoordinates && (inferred == .latitude || inferred == .longitude))
            {
                kind = inferred
            }
            if kind == .latitude { if latitude == nil { latitude = name } else { kind = .text } }
            if kind == .longitude { if longitude == nil { longitude = name } else { kind = .text } }
            fields.append(field(name, kind: kind))
        }
        // A packed "lat,lon" column feeds two coordinate fields of their own.
        if hasPacked && latitude == nil && longitude == nil {
            latitude = "緯度"
            longitude = "経度"
            fields.append(field("緯度", kind: .latitude))
            fields.append(field("経度", kind: .longitude))
        }
        var civic: [String: Any] = ["titleEnglish": "Generic dataset (no standard)"]
        if let latitude, let longitude {
            civic["latitudeField"] = latitude
            civic["longitudeField"] = longitude
        }
        let object: [String: Any] = [
            "name": id, "title": title, "description": "Read as no standard dataset fits: \(reason)", "fields": fields, "civic": civic,
        ]
        do {
            return try Schema.decode(json: try JSONSerialization.data(withJSONObject: object))
        } catch {
            preconditionFailure("a generic schema does not decode: \(error)")
        }
    }

    private static func field(_ name: String, kind: FieldKind) -> [String: Any] {
        let type = kind == .integer ? "integer" : kind.isNumeric ? "number" : (kind == .date ? "date" : "string")
        return ["name": name, "type": type, "civic": ["kind": kind.rawValue, "requiredLevel": "optional"]]
    }
}
