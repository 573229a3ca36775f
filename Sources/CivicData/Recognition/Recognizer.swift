import Foundation
import Synchronization

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
        /// The kind of each current field (by name and alias), and how many fields have each kind.
        var kinds: [HeaderKey: FieldKind]
        var kindCounts: [FieldKind: Int]
        /// Its distinctive names: ones only a few datasets have (at most `distinctiveAt`), other than the words any
        /// table may use (種別, 名称, 住所 …) — a column that says which dataset a file is, where 名称/住所/緯度 say only
        /// that it lists places.
        var own: Set<HeaderKey> = []
    }

    private let profiles: [Profile]
    /// Every name any dataset knows: a header cell is read by the first of its readings found here.
    private let known: Set<HeaderKey>
    private let weights: [HeaderKey: Double]
    private let unknownWeight: Double
    /// The words that name each dataset in cell values (its non-ASCII file-name hints).
    private let valueWords: [String: [String]]
    /// How each dataset's entries' names end (`civic.nameEndings`: 病院, 保育園 …).
    private let nameEndings: [String: [String]]

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
            var kinds: [HeaderKey: FieldKind] = [:]
            var kindCounts: [FieldKind: Int] = [:]
            for field in schema.fields {
                kindCounts[field.kind, default: 0] += 1
                for name in [field.name] + field.aliases { kinds[HeaderKey(name)] = field.kind }
            }
            profiles.append(Profile(schema: schema, current: current, legacy: legacy, all: all, kinds: kinds, kindCounts: kindCounts))
        }
        let count = Double(max(catalog.schemas.count, 1))
        let everyday = Set(Recognizer.everydayNames.map(HeaderKey.init))
        let distinctive = Set(documentFrequency.filter { $0.value <= Recognizer.distinctiveAt && !everyday.contains($0.key) }.keys)
        for index in profiles.indices { profiles[index].own = profiles[index].all.intersection(distinctive) }
        self.profiles = profiles
        known = profiles.reduce(into: Set<HeaderKey>()) { $0.formUnion($1.all) }
        self.weights = documentFrequency.mapValues { log(1 + count / Double($0)) }
        self.unknownWeight = log(1 + count)
        var valueWords: [String: [String]] = [:]
        for schema in catalog.schemas {
            let words = (schema.civic.fileNameHints ?? []).filter { !ValueScan.isASCII($0) }
            if !words.isEmpty { valueWords[schema.id] = words }
        }
        self.valueWords = valueWords
        nameEndings = catalog.schemas.reduce(into: [:]) { endings, schema in
            if let words = schema.civic.nameEndings, !words.isEmpty { endings[schema.id] = words }
        }
    }

    /// Recognises the dataset from the header, the file (or sheet) name and the values of the first rows; nil when
    /// nothing matches well enough.
    public func recognize(header: [String], fileName: String? = nil, values: ValueSample = .empty) -> Recognition? {
        let keyed = self.keyed(header)
        let keys = Set(keyed.map(\.key))
        guard !keys.isEmpty else { return nil }

        // A standard layout? (Civic's own names for nameless columns left out, as nameless columns are.)
        let named = keys.filter { !Recognizer.isPlaceholder($0.value) }
        var layoutScores: [(profile: Profile, layout: Layout, score: Double)] = []
        for profile in profiles {
            layoutScores.append((profile, .current, Recognizer.jaccard(named, profile.current)))
            if !profile.legacy.isEmpty {
                layoutScores.append((profile, .legacy, Recognizer.jaccard(named, profile.legacy)))
            }
        }
        layoutScores.sort { $0.score > $1.score }
        if let best = layoutScores.first, best.score >= standardThreshold {
            let candidates = layoutScores.prefix(3).map {
                Recognition.Candidate(dataset: $0.profile.schema.id, layout: $0.layout, score: Recognizer.rounded($0.score))
            }
            let shared = named.intersection(best.layout == .legacy ? best.profile.legacy : best.profile.current).count
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

        // The closest dataset, by the columns' names and, for columns no name explains, what their values are.
        let typed = self.typed(header, values)
        let coverage = self.coverage(keys, typed: typed)
        // Values alone (a column of codes every dataset has) make no dataset: without a name in common, only the file
        // name or the values' words can point to one.
        guard let top = coverage.first(where: { $0.named > 0 }) ?? coverage.first else { return nil }
        let lowerName = (fileName.map { ($0 as NSString).lastPathComponent } ?? "").lowercased()
        let byName = Set(
            profiles.filter { profile in
                !lowerName.isEmpty && (profile.schema.civic.fileNameHints ?? [profile.schema.id]).contains { lowerName.contains($0.lowercased()) }
            }
            .map(\.schema.id)
        )
        let byValues = namedByValues(values, header: header)
        func percent(_ score: Double) -> Int { Int((score * 100).rounded()) }
        func recognition(_ chosen: Coverage, _ reason: String) -> Recognition {
            Recognition(
                dataset: chosen.profile.schema.id,
                title: chosen.profile.schema.title,
                layout: .nonStandard,
                score: Recognizer.rounded(chosen.score),
                declared: false,
                reason: reason + Recognizer.valueEvidence(typed.filter { !chosen.profile.all.contains($0.key) }),
                candidates: Recognizer.candidates(coverage)
            )
        }
        let valuesName = byValues.map { "the values name \($0.title) (\($0.evidence))" }

        // Columns that any list of places has (名称, 住所, 緯度 …, 種別) do not tell the datasets apart, however many
        // there are: without one of the best fit's distinctive columns they decide nothing either.
        let telling = !keys.isDisjoint(with: top.profile.own)
        if top.named < minimumScore || !telling {
            // The column names alone decide nothing (value credits rank datasets but never lift one over the minimum);
            // a file name or values that name one dataset do, as long as some of the columns are that dataset's by name.
            let possible = coverage.filter { $0.named > 0 }
            let named = possible.filter { byName.contains($0.profile.schema.id) }
            let fromValues = possible.first { $0.profile.schema.id == byValues?.id }
            let prefix =
                top.named < minimumScore
                ? "non-standard columns that fit no dataset well"
                : "non-standard columns that many datasets have (none of them only \(top.profile.schema.title)'s)"
            if let fromValues, named.contains(where: { $0.profile.schema.id == fromValues.profile.schema.id }) {
                return recognition(
                    fromValues,
                    "\(prefix) (\(fromValues.profile.schema.title) explains \(percent(fromValues.score)) %); the file (or sheet) name and \(valuesName ?? "") point to it"
                )
            }
            if named.count == 1, let only = named.first {
                return recognition(
                    only,
                    "\(prefix) (\(only.profile.schema.title) explains \(percent(only.score)) %); the file (or sheet) name points to \(only.profile.schema.title)"
                )
            }
            if let fromValues {
                return recognition(
                    fromValues,
                    "\(prefix) (\(fromValues.profile.schema.title) explains \(percent(fromValues.score)) %); \(valuesName ?? "")"
                )
            }
            if let first = named.first {
                let names = named.map(\.profile.schema.title).joined(separator: ", ")
                return recognition(
                    first,
                    "\(prefix); the file (or sheet) name points to \(names); \(first.profile.schema.title) explains most (\(percent(first.score)) %)"
                )
            }
            // No column is the dataset's by name (a file without a header row, names no dataset uses), but most values
            // of one column name its entries' kind (…病院, …保育園).
            if let byValues, byValues.byEndings, let chosen = coverage.first(where: { $0.profile.schema.id == byValues.id }) {
                return recognition(chosen, "no column's name fits \(chosen.profile.schema.title); \(valuesName ?? "")")
            }
            return nil
        }

        // The file name and the values agreeing on one dataset outweigh columns that fit another only moderately.
        if top.score < agreementOverrides, let byValues, byName.contains(byValues.id), byValues.id != top.profile.schema.id,
            let agreed = coverage.first(where: { $0.named > 0 && $0.profile.schema.id == byValues.id })
        {
            return recognition(
                agreed,
                "non-standard columns that fit \(top.profile.schema.title) best (\(percent(top.score)) %) but not well; the file (or sheet) name and \(valuesName ?? "") point to \(agreed.profile.schema.title) (\(percent(agreed.score)) %)"
            )
        }

        let close = coverage.filter { $0.named > 0 && top.score - $0.score < closeMargin }
        guard close.count > 1 else {
            return recognition(top, "non-standard columns; \(top.profile.schema.title) explains \(percent(top.score)) % of them (weighted)")
        }
        let names = close.prefix(4).map(\.profile.schema.title).joined(separator: ", ") + (close.count > 4 ? " and \(close.count - 4) more" : "")
        let hinted = close.filter { byName.contains($0.profile.schema.id) }
        let fromValues = close.first { $0.profile.schema.id == byValues?.id }
        if let fromValues, hinted.isEmpty || hinted.contains(where: { $0.profile.schema.id == fromValues.profile.schema.id }) {
            return recognition(fromValues, "non-standard columns that fit \(names) about equally; \(valuesName ?? "")")
        }
        if let first = hinted.first {
            return recognition(
                first,
                "non-standard columns that fit \(names) about equally; the file (or sheet) name points to \(first.profile.schema.title)"
            )
        }
        // Only one of them has a column of its own among the file's (事業所番号: 介護サービス事業所一覧).
        let owning = close.filter { !keys.isDisjoint(with: $0.profile.own) }
        if owning.count == 1, let only = owning.first {
            let own = header.filter {
                keys.contains(HeaderKey($0)) && only.profile.own.contains(HeaderKey($0))
            }
            return recognition(
                only,
                "non-standard columns that fit \(names) about equally; only \(only.profile.schema.title) has a column of its own among them"
                    + (own.isEmpty ? "" : " (\(own.prefix(3).joined(separator: ", ")))")
            )
        }
        // A tie nothing breaks: among weak fits, or three or more datasets that share every column the file has (名称,
        // 住所, 緯度 … — a 葬儀取扱店 list fits 子育て施設一覧 as well as 公共施設一覧), choosing one would be a guess: the
        // file is generic (the report names the tied datasets). Two good fits: the first in the national numbering.
        guard top.score >= tieGuessScore, close.count < 3 else { return nil }
        return recognition(
            top,
            "non-standard columns that fit \(names) about equally; took the first in the national numbering, \(top.profile.schema.title) (pass --dataset to choose)"
        )
    }

    /// A tie that neither the file name nor the values break is left generic under this coverage.
    public var tieGuessScore = 0.5

    /// A name in at most this many datasets can be distinctive.
    static let distinctiveAt = 3

    /// Column names any table may have, whatever it lists: never distinctive, however few schemas use them.
    static let everydayNames = [
        "種別", "種類", "分類", "区分", "説明", "概要", "備考", "名称", "住所", "所在地", "番号", "NO", "ID", "URL", "電話番号", "FAX番号", "緯度",
        "経度", "地区", "地域", "内容", "メモ", "画像", "name", "type", "category", "note",
    ]

    /// Under this coverage, a dataset that both the file name and the values name is taken over the best fit.
    public var agreementOverrides = 0.6

    /// Datasets closer than this to the best are a tie, broken by the file name or the values.
    public var closeMargin = 0.1

    /// A dataset's coverage of a file's columns: `score` with the value credits, `named` by the names alone.
    private typealias Coverage = (profile: Profile, score: Double, named: Double)

    /// How much a column whose name no dataset explains counts when its values have a kind the dataset has a field
    /// for: fully for kinds with one meaning (緯度, 経度, 全国地方公共団体コード, 法人番号), half for kinds several
    /// fields share (電話番号, URL, dates), a quarter for flags, 有/無 and plain numbers.
    static let valueCredit: [FieldKind: Double] = [
        .municipalityCode: 1, .corporateNumber: 1, .latitude: 1, .longitude: 1, .phone: 0.5, .postalCode: 0.5, .url: 0.5, .email: 0.5,
        .date: 0.5, .time: 0.5, .flag: 0.25, .yesNo: 0.25, .integer: 0.25, .number: 0.25,
    ]

    /// The dataset the sampled values name most (in at least half as many cells as rows, and more than any other),
    /// by the words of its file-name hints that are not ASCII (避難所, 文化財 …) in category cells; else the dataset
    /// whose entries' names end as most values of one column do (…病院, …保育園: `byEndings`).
    private func namedByValues(_ values: ValueSample, header: [String]) -> (id: String, title: String, evidence: String, byEndings: Bool)? {
        guard !values.rows.isEmpty else { return nil }
        let counts = values.mentions(of: valueWords).sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        if let best = counts.first, best.value * 2 >= values.rows.count, counts.dropFirst().first.map({ $0.value < best.value }) ?? true,
            let schema = catalog[best.key]
        {
            return (best.key, schema.title, "in \(best.value) category cells of the first \(values.rows.count) rows", false)
        }
        guard let named = values.namedByEndings(nameEndings), let schema = catalog[named.dataset] else { return nil }
        let words = (nameEndings[named.dataset] ?? []).prefix(3).joined(separator: "/")
        let column = named.column < header.count && !header[named.column].isEmpty ? header[named.column] : "列\(named.column + 1)"
        return (named.dataset, schema.title, "\(named.cells) of \(named.of) values of \(column) end in \(words) …", true)
    }

    /// What the values said about columns their names did not explain, for the reason.
    private static func valueEvidence(_ typed: [(key: HeaderKey, column: String, kind: FieldKind)]) -> String {
        guard !typed.isEmpty else { return "" }
        let shown = typed.prefix(6).map { "\($0.column.isEmpty ? "(no name)" : $0.column): \($0.kind.rawValue)" }
        return "; values of columns not known by name: " + shown.joined(separator: ", ") + (typed.count > 6 ? " …" : "")
    }

    /// The datasets that come closest to a header (up to three, best first), by the weighted share of its columns
    /// each explains: what the report names when no standard dataset fits.
    public func closest(header: [String], values: ValueSample = .empty) -> [Recognition.Candidate] {
        let keyed = self.keyed(header)
        return keyed.isEmpty ? [] : Recognizer.candidates(coverage(Set(keyed.map(\.key)), typed: typed(header, values)))
    }

    /// The columns whose values have a kind that earns credit, with their key (empty for a column without a name).
    private func typed(_ header: [String], _ values: ValueSample) -> [(key: HeaderKey, column: String, kind: FieldKind)] {
        let keys = Dictionary(keyed(header).map { ($0.position, $0.key) }, uniquingKeysWith: { first, _ in first })
        return header.indices.compactMap { position in
            guard position < values.kinds.count, let kind = values.kinds[position], Recognizer.valueCredit[kind] != nil,
                !HeaderSearch.isPropertyMarker(header[position])
            else { return nil }
            return (keys[position] ?? HeaderKey(""), header[position], kind)
        }
    }

    /// Every dataset with the weighted share of the columns it explains, best first: by name, and — for columns the
    /// dataset does not know by name — by a field of the kind their values have (partial credit, `valueCredit`).
    private func coverage(_ keys: Set<HeaderKey>, typed: [(key: HeaderKey, column: String, kind: FieldKind)] = []) -> [Coverage] {
        // Columns without a name count in the whole as unknown names do.
        let total = keys.reduce(0.0) { $0 + weight($1) } + Double(typed.filter { $0.key.value.isEmpty }.count) * unknownWeight
        return profiles.map { profile in
            let named = keys.filter { profile.all.contains($0) }.reduce(0.0) { $0 + weight($1) }
            var explained = named
            var free = profile.kindCounts
            for key in keys { if let kind = profile.kinds[key] { free[kind, default: 0] -= 1 } }
            for column in typed where !profile.all.contains(column.key) {
                guard let credit = Recognizer.valueCredit[column.kind], free[column.kind, default: 0] > 0 else { continue }
                free[column.kind, default: 0] -= 1
                explained += credit * weight(column.key)
            }
            return total > 0 ? (profile, min(explained / total, 1), named / total) : (profile, 0, 0)
        }
        .sorted { $0.score > $1.score }
    }

    /// The three best of a coverage, as the report's candidates.
    private static func candidates(_ coverage: [Coverage]) -> [Recognition.Candidate] {
        coverage.prefix(3).map { Recognition.Candidate(dataset: $0.profile.schema.id, layout: .nonStandard, score: rounded($0.score)) }
    }

    /// The layout of a file whose dataset the caller named.
    public func recognize(header: [String], declaredDataset id: String) throws -> Recognition {
        let schema = try catalog.schema(id: id)
        let keys = self.keys(of: header).filter { !Recognizer.isPlaceholder($0.value) }
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
    func keys(of header: [String]) -> Set<HeaderKey> { Set(keyed(header).map(\.key)) }

    /// `keys(of:)` with each key's column position.
    private func keyed(_ header: [String]) -> [(position: Int, key: HeaderKey)] {
        let prefix = HeaderKey.sharedPrefix(of: header)
        return header.enumerated().map { position, cell in
            let key = HeaderKey(cell)
            return (position, known.contains(key) ? key : HeaderKey.variants(of: cell, sharedPrefix: prefix).first(where: known.contains) ?? key)
        }
        .filter { !$0.key.value.isEmpty && !HeaderSearch.isPropertyMarker(header[$0.position]) }
    }

    /// `列23`: the name Civic gives a column that has none (and writes in its outputs); it says nothing of the
    /// dataset, as an empty name does not (Civic's own CSV of a file with 54 nameless columns is recognised as that
    /// file was).
    static func isPlaceholder(_ name: String) -> Bool {
        name.hasPrefix("列") && name.count > 1 && name.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func jaccard(_ a: Set<HeaderKey>, _ b: Set<HeaderKey>) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 0 }
        return Double(a.intersection(b).count) / Double(a.union(b).count)
    }

    static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}

extension Recognizer {
    /// The recognizers built lately, newest first, each with the catalog it was built from (kept alive with it).
    private static let built = Mutex<[(catalog: SchemaCatalog.Identity, recognizer: Recognizer)]>([])

    /// The recognizer of `catalog`, built once per catalog value: building one derives every schema's header keys
    /// (15 ms, measured with perf: it was most of the time a one-record check took — a PATCH through the pipeline).
    public static func shared(for catalog: SchemaCatalog) -> Recognizer {
        if let found = built.withLock({ $0.first { $0.catalog === catalog.identity }?.recognizer }) { return found }
        let recognizer = Recognizer(catalog: catalog)
        built.withLock { entries in
            entries.insert((catalog.identity, recognizer), at: 0)
            if entries.count > 8 { entries.removeLast() }
        }
        return recognizer
    }
}
