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

    /// Frictionless constraints.
    public struct Constraints: Sendable, Codable, Hashable {
        public var required: Bool?
        public var pattern: String?
        public var `enum`: [String]?
        public var minimum: Double?
        public var maximum: Double?
    }

    /// The `civic` extension block of a field.
    public struct Extension: Sendable, Codable, Hashable {
        public var english: String?
        /// `required` (◎ 必須), `recommended` (○ 推奨) or `optional` (任意).
        public var requiredLevel: String?
        public var requiredLevelSource: String?
        public var kind: FieldKind?
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
    }

    public var kind: FieldKind { civic?.kind ?? .text }
    public var isRequired: Bool { constraints?.required ?? false }
    /// An empty required cell is an error where the requirement is confirmed, a warning where it was inferred
    /// by analogy from another dataset's definition (`civic.requiredLevelSource`).
    public var requiredSeverity: Severity { civic?.requiredLevelSource == "inferred" ? .warning : .error }
    public var aliases: [String] { civic?.aliases ?? [] }
    public var allowedValues: [String]? { constraints?.enum }
    /// How a value outside the enum is reported.
    public var enumSeverity: Severity { civic?.enumLevel == "warning" ? .warning : .error }
}
