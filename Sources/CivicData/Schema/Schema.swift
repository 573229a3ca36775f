/// A standard dataset's schema: the current (2022+) layout and, where one exists, the legacy (2019) layout.
///
/// The JSON form is a Frictionless Table Schema with a `civic` extension block; see `docs/schema-format.md`.
public struct Schema: Sendable, Codable, Hashable {
    /// Dataset id, e.g. `aed`.
    public var name: String
    /// Japanese name, e.g. `AED設置箇所一覧`.
    public var title: String
    public var description: String?
    public var missingValues: [String]?
    /// The current layout's fields, in column order.
    public var fields: [Field]
    public var civic: Extension

    /// The `civic` extension block of a schema.
    public struct Extension: Sendable, Codable, Hashable {
        /// Number in the national definition books (`08` for AED).
        public var number: String?
        public var titleEnglish: String?
        /// Words seen in file names of this dataset (`aed`, `hinanjo`).
        public var fileNameHints: [String]?
        /// How the names of this dataset's entries end (`病院`, `保育園`): most of a column's values ending so name the
        /// dataset when the columns' names do not.
        public var nameEndings: [String]?
        public var current: LayoutSource?
        public var legacy: LayoutSource?
        /// The legacy layout's fields, each naming the current field it maps to.
        public var legacyFields: [Field]?
        public var latitudeField: String?
        public var longitudeField: String?
        public var idField: String?
    }

    /// Where a layout's definition comes from and how sure it is.
    public struct LayoutSource: Sendable, Codable, Hashable {
        public var source: [String]?
        public var confidence: String?
        public var inferred: Bool?
    }

    /// The dataset id.
    public var id: String { name }

    /// The kind of each of `columns` (nil for a column the schema does not have).
    public func kinds(of columns: [String]) -> [FieldKind?] {
        var kinds: [String: FieldKind] = [:]
        for field in fields { kinds[field.name] = field.kind }
        return columns.map { kinds[$0] }
    }
    public var legacyFields: [Field] { civic.legacyFields ?? [] }
    public var hasLegacyLayout: Bool { !legacyFields.isEmpty }

    /// The fields of a layout.
    public func fields(of layout: Layout) -> [Field] {
        switch layout {
        case .current, .nonStandard: fields
        case .legacy: legacyFields
        }
    }
}

extension Schema {
    /// Decodes a schema; `title` (default: the `name`) and `civic` (default: empty) may be left out, as in a plain
    /// Frictionless Table Schema.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        title = try container.decodeIfPresent(String.self, forKey: .title) ?? name
        description = try container.decodeIfPresent(String.self, forKey: .description)
        missingValues = try container.decodeIfPresent([String].self, forKey: .missingValues)
        fields = try container.decode([Field].self, forKey: .fields)
        civic = try container.decodeIfPresent(Extension.self, forKey: .civic) ?? Extension()
    }
}

/// Which column layout a file follows.
public enum Layout: String, Sendable, Codable, Hashable, CaseIterable {
    /// The 2022+ template (自治体標準オープンデータセット).
    case current
    /// The 2019 推奨データセット 基本編 layout.
    case legacy
    /// Neither: columns matched by name and alias to the closest dataset.
    case nonStandard
}
