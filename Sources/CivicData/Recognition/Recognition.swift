/// Which standard dataset and layout a file is, how sure, and why.
public struct Recognition: Sendable, Codable, Equatable {
    public var dataset: String
    /// The dataset's Japanese name.
    public var title: String
    public var layout: Layout
    /// 0…1: for a standard layout the share of columns in common (Jaccard); otherwise the weighted share of the
    /// file's columns that the dataset explains — by name, with partial credit for columns whose values have a kind
    /// the dataset has a field for. The file name and the values' words choose between datasets; they never raise it.
    public var score: Double
    /// True when the caller named the dataset (`--dataset`).
    public var declared: Bool
    public var reason: String
    /// The best matches, best first (up to three).
    public var candidates: [Candidate]

    public struct Candidate: Sendable, Codable, Equatable {
        public var dataset: String
        public var layout: Layout
        public var score: Double
    }

    public var isStandard: Bool { layout != .nonStandard }
}
