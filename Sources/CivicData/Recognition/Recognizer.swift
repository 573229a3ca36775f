import Foundation

/// Decides from a header (and, to break ties, the file name) which standard dataset and layout a file follows.
///
/// A file is in a standard layout when its normalised column names overlap a layout's by at least
/// `standardThreshold` (Jaccard). Otherwise the closest dataset is the one whose names, legacy names and aliases
/// explain most of the file's columns, each column weighted by how rare it is across datasets (a column only
/// evacuation sites have says more than 名称).
public struct Recognizer: Sendable {
    public let catalog: SchemaCatalog
    public var standardThreshold = 0.75
    public var minimumScore = 0.3

    private struct Profile: Sendable {
        var schema: Schema
        var current: Set<HeaderKey>
        var legacy: Set<HeaderKey>
        var all: Set<HeaderKey>
    }

    private let profiles: [Profile]
    /// Every name any dataset knows: a header cell is read by the first of its readings found here.
    private let known: Set<HeaderKey>
    private let weights: [HeaderKey: Double]
    private let unknownWeight: Double

    public init(catalog: SchemaCatalog = .bundled) {
        self.catalog = catalog
        var profiles: [Profile] = []
        var documentFrequency: [HeaderKey: Int] = [:]
        for schema in catalog.schemas {
            let current = Set(schema.fields.map { HeaderKey($0.name) })
            let legacy = Set(schema.legacyFields.map { HeaderKey($0.name) })
            var all = current.union(legacy)
            for field in schema.fields + schema.legacyFields {
                for alias in field.aliases { all.insert(HeaderKey(alias)) }
            }
            for key in all { documentFrequency[key, default: 0] += 1 }
            profiles.append(Profile(schema: schema, current: current, legacy: legacy, all: all))
        }
        let count = Double(max(catalog.schemas.count, 1))
        self.profiles = profiles
        known = profiles.reduce(into: Set<HeaderKey>()) { $0.formUnion($1.all) }
        self.weights = documentFrequency.mapValues { log(1 + count / Double($0)) }
        self.unknownWeight = log(1 + count)
    }

    /// Recognises the dataset from the header alone; nil when nothing matches well enough.
    public func recognize(header: [String], fileName: String? = nil) -> Recognition? {
        let keys = self.keys(of: header)
        guard !keys.isEmpty else { return nil }

        // A standard layout?
        var layoutScores: [(profile: Profile, layout: Layout, score: Double)] = []
        for profile in profiles {
            layoutScores.append((profile, .current, Recognizer.jaccard(keys, profile.current)))
            if !profile.legacy.isEmpty {
                layoutScores.append((profile, .legacy, Recognizer.jaccard(keys, profile.legacy)))
            }
        }
        layoutScores.sort { $0.score > $1.score }
        if let best = layoutScores.first, best.score >= standardThreshold {
            let candidates = layoutScores.prefix(3).map {
                Recognition.Candidate(dataset: $0.profile.schema.id, layout: $0.layout, score: Recognizer.rounded($0.score))
            }
            let shared = keys.intersection(best.layout == .legacy ? best.profile.legacy : best.profile.current).count
            let layoutName = best.layout == .legacy ? "legacy 2019 (推奨データセット)" : "current (自治体標準オープンデータセット)"
            return Recognition(
                dataset: best.profile.schema.id,
                title: best.profile.schema.title,
                layout: best.layout,
                score: Recognizer.rounded(best.score),
                declared: false,
                reason: "\(shared) of the file's \(keys.count) columns are in the \(layoutName) layout of \(best.profile.schema.title)",
                candidates: Array(candidates)
            )
        }

        // The closest dataset.
        let coverage = self.coverage(keys)
        let lowerName = (fileName.map { ($0 as NSString).lastPathComponent } ?? "").lowercased()
        func hinted(_ profile: Profile) -> Bool {
            !lowerName.isEmpty && (profile.schema.civic.fileNameHints ?? [profile.schema.id]).contains { lowerName.contains($0.lowercased()) }
        }
        guard let top = coverage.first else { return nil }
        if top.score < minimumScore {
            // The columns alone decide nothing; a file name that names exactly one dataset (aed_kobe.csv) does, as long as
            // some of the columns are that dataset's.
            let named = coverage.filter { hinted($0.profile) && $0.score > 0 }
            guard named.count == 1, let only = named.first else { return nil }
            return Recognition(
                dataset: only.profile.schema.id,
                title: only.profile.schema.title,
                layout: .nonStandard,
                score: Recognizer.rounded(only.score),
                declared: false,
                reason:
                    "non-standard columns that fit no dataset well (\(only.profile.schema.title) explains \(Int((only.score * 100).rounded())) %); the file (or sheet) name points to \(only.profile.schema.title)",
                candidates: Recognizer.candidates(coverage)
            )
        }

        let close = coverage.filter { top.score - $0.score < 0.05 }
        var chosen = top
        var reason = "non-standard columns; \(top.profile.schema.title) explains \(Int((top.score * 100).rounded())) % of them (weighted)"
        if close.count > 1 {
            let hinted = close.filter { hinted($0.profile) }
            let names = close.map(\.profile.schema.title).joined(separator: ", ")
            if let byName = hinted.first {
                chosen = byName
                reason = "non-standard columns that fit \(names) about equally; the file (or sheet) name points to \(byName.profile.schema.title)"
            } else {
                reason =
                    "non-standard columns that fit \(names) about equally; took the first in the national numbering, \(top.profile.schema.title) (pass --dataset to choose)"
            }
        }
        return Recognition(
            dataset: chosen.profile.schema.id,
            title: chosen.profile.schema.title,
            layout: .nonStandard,
            score: Recognizer.rounded(chosen.score),
            declared: false,
            reason: reason,
            candidates: Recognizer.candidates(coverage)
        )
    }

    /// The datasets that come closest to a header (up to three, best first), by the weighted share of its columns
    /// each explains: what the report names when no standard dataset fits.
    public func closest(header: [String]) -> [Recognition.Candidate] {
        let keys = self.keys(of: header)
        return keys.isEmpty ? [] : Recognizer.candidates(coverage(keys))
    }

    /// Every dataset with the weighted share of the columns it explains, best first.
    private func coverage(_ keys: Set<HeaderKey>) -> [(profile: Profile, score: Double)] {
        let total = keys.reduce(0.0) { $0 + weight($1) }
        return profiles.map { profile in
            let explained = keys.filter { profile.all.contains($0) }.reduce(0.0) { $0 + weight($1) }
            return (profile, total > 0 ? explained / total : 0)
        }
        .sorted { $0.score > $1.score }
    }

    /// The three best of a coverage, as the report's candidates.
    private static func candidates(_ coverage: [(profile: Profile, score: Double)]) -> [Recognition.Candidate] {
        coverage.prefix(3).map { Recognition.Candidate(dataset: $0.profile.schema.id, layout: .nonStandard, score: rounded($0.score)) }
    }

    /// The layout of a file whose dataset the caller named.
    public func recognize(header: [String], declaredDataset id: String) throws -> Recognition {
        let schema = try catalog.schema(id: id)
        let keys = self.keys(of: header)
        let current = Recognizer.jaccard(keys, Set(schema.fields.map { HeaderKey($0.name) }))
        let legacy = Recognizer.jaccard(keys, Set(schema.legacyFields.map { HeaderKey($0.name) }))
        let layout: Layout
        let score: Double
        if max(current, legacy) >= standardThreshold {
            (layout, score) = legacy > current ? (.legacy, legacy) : (.current, current)
        } else {
            (layout, score) = (.nonStandard, max(current, legacy))
        }
        return Recognition(
            dataset: schema.id,
            title: schema.title,
            layout: layout,
            score: Recognizer.rounded(score),
            declared: true,
            reason: "dataset given by the caller; columns look \(layout == .nonStandard ? "non-standard" : "like the \(layout.rawValue) layout")",
            candidates: []
        )
    }

    private func weight(_ key: HeaderKey) -> Double { weights[key] ?? unknownWeight }

    /// The header's keys: each cell's whole name, or, when no dataset knows it, the first of its readings that one
    /// does (`名称/name` → 名称, `http://schema.org/name` → name).
    func keys(of header: [String]) -> Set<HeaderKey> {
        Set(
            header.map { cell in
                let key = HeaderKey(cell)
                return known.contains(key) ? key : HeaderKey.variants(of: cell).first(where: known.contains) ?? key
            }
            .filter { !$0.value.isEmpty && $0.value != "#property" }
        )
    }

    static func jaccard(_ a: Set<HeaderKey>, _ b: Set<HeaderKey>) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 0 }
        return Double(a.intersection(b).count) / Double(a.union(b).count)
    }

    static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}
