/// One column of a schema (a Frictionless Table Schema field with the `civic` extension).
public struct Field: Sendable, Codable, Hashable {
    public var name: String
    public var title: String?
    public var description: String?
    /// Frictionless type: `string`, `integer`, `number`, `date`, `time`.
    public var type: String
    public var format: String?
    public var constraints: Constraints?
    public var civic: Extension?

    /// Frictionless constraints. The reader enforces each of them on every field, whatever its kind (see
    /// `docs/schema-format.md`).
    public struct Constraints: Sendable, Codable, Hashable {
        public var required: Bool?
        /// A regular expression the whole value must match (implicitly anchored, as in Frictionless).
        public var pattern: String?
        public var `enum`: [String]?
        /// Bounds of a numeric value (a field of a numeric kind or of type `integer`/`number`).
        public var minimum: Double?
        public var maximum: Double?
        /// No two records of a file have the same value.
        public var unique: Bool?
    }

    /// The `civic` extension block of a field.
    public struct Extension: Sendable, Codable, Hashable {
        public var english: String?
        /// `required` (◎ 必須), `recommended` (○ 推奨) or `optional` (任意).
        public var requiredLevel: String?
        public var requiredLevelSource: String?
        /// `kind` as written: a kind Civic does not know is kept (and written back) but read as `.text`.
        private var kindName: String?
        public var aliases: [String]?
        /// Legacy fields only: the current field this column maps to, or nil when it is kept as an extra column.
        public var currentName: String?
        /// Multi-value separator (`;`).
        public var separator: String?
        /// `error` or `warning`: how a value outside `constraints.enum` is reported.
        public var enumLevel: String?
        public var checkDigit: String?
        public var status: String?
        public var notes: String?

        /// What the column holds; a kind Civic does not know reads as `.text` (see `unknownKind`).
        public var kind: FieldKind? {
            get { kindName.map { FieldKind(rawValue: $0) ?? .text } }
            set { kindName = newValue?.rawValue }
        }

        /// The `kind` as written when Civic does not know it (the field is then checked as text).
        public var unknownKind: String? { kindName.flatMap { FieldKind(rawValue: $0) == nil ? $0 : nil } }

        private enum CodingKeys: String, CodingKey {
            case english, requiredLevel, requiredLevelSource, kindName = "kind", aliases, currentName, separator, enumLevel
            case checkDigit, status, notes
        }
    }

    /// `civic.kind`; without one, `integer` or `number` for a field of that Frictionless type, else `text`.
    public var kind: FieldKind { civic?.kind ?? FieldKind(frictionlessType: type) }
    /// `civic.kind` when Civic does not know it.
    public var unknownKind: String? { civic?.unknownKind }
    public var isRequired: Bool { constraints?.required ?? false }
    /// An empty required cell is an error where the requirement is confirmed, a warning where it was inferred
    /// by analogy from another dataset's definition (`civic.requiredLevelSource`).
    public var requiredSeverity: Severity { civic?.requiredLevelSource == "inferred" ? .warning : .error }
    public var aliases: [String] { civic?.aliases ?? [] }
    public var allowedValues: [String]? { constraints?.enum }
    /// How a value outside the enum is reported.
    public var enumSeverity: Severity { civic?.enumLevel == "warning" ? .warning : .error }
}

extension Field {
    /// Decodes a field; `type` may be left out and is then `string`, as in Frictionless.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? "string"
        format = try container.decodeIfPresent(String.self, forKey: .format)
        constraints = try container.decodeIfPresent(Constraints.self, forKey: .constraints)
        civic = try container.decodeIfPresent(Extension.self, forKey: .civic)
    }
}
