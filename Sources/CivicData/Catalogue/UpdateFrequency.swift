import Foundation

/// How often a publisher says a dataset is updated (`dataset.json` `"updateFrequency"`, DCAT's
/// `dct:accrualPeriodicity`), for the freshness KPI: a dataset not changed within its period (and a grace of half a
/// period) is overdue. The values of the EU publications office's frequency vocabulary that municipal data uses.
public enum UpdateFrequency: String, Sendable, Codable, CaseIterable {
    case continuous, daily, weekly, monthly, quarterly, semiannual, annual, irregular

    /// The period in days; nil for irregular updates (never overdue).
    public var days: Int? {
        switch self {
        case .continuous, .daily: 1
        case .weekly: 7
        case .monthly: 31
        case .quarterly: 92
        case .semiannual: 183
        case .annual: 366
        case .irregular: nil
        }
    }

    /// 更新頻度 as Japanese catalogues write it.
    public var japanese: String {
        switch self {
        case .continuous: "随時"
        case .daily: "毎日"
        case .weekly: "毎週"
        case .monthly: "毎月"
        case .quarterly: "四半期ごと"
        case .semiannual: "半年ごと"
        case .annual: "毎年"
        case .irregular: "不定期"
        }
    }

    /// The EU frequency vocabulary's IRI (DCAT-AP's `dct:accrualPeriodicity`).
    public var iri: String {
        let code =
            switch self {
            case .continuous: "UPDATE_CONT"
            case .daily: "DAILY"
            case .weekly: "WEEKLY"
            case .monthly: "MONTHLY"
            case .quarterly: "QUARTERLY"
            case .semiannual: "ANNUAL_2"
            case .annual: "ANNUAL"
            case .irregular: "IRREG"
            }
        return "http://publications.europa.eu/resource/authority/frequency/" + code
    }

    /// A frequency from what a catalogue writes: these names, the Japanese words, the EU vocabulary's IRIs or codes,
    /// ISO 8601 durations (`P1M`, `R/P1W` as Dublin Core's `Frequency` writes them); nil when it is none of them.
    public init?(parsing text: String) {
        let value = text.trimmingCharacters(in: .whitespaces)
        if let known = UpdateFrequency(rawValue: value.lowercased()) {
            self = known
            return
        }
        if let japanese = UpdateFrequency.allCases.first(where: { $0.japanese == value }) {
            self = japanese
            return
        }
        let words: [String: UpdateFrequency] = [
            "随時更新": .continuous, "リアルタイム": .continuous, "日次": .daily, "週次": .weekly, "月次": .monthly, "月1回": .monthly,
            "四半期": .quarterly, "半年": .semiannual, "年次": .annual, "年1回": .annual, "毎年度": .annual, "年度": .annual,
            "不定期更新": .irregular,
        ]
        if let word = words[value] {
            self = word
            return
        }
        let code = value.split(separator: "/").last.map { String($0).uppercased() } ?? ""
        let codes: [String: UpdateFrequency] = [
            "UPDATE_CONT": .continuous, "CONT": .continuous, "DAILY": .daily, "WEEKLY": .weekly, "MONTHLY": .monthly,
            "QUARTERLY": .quarterly, "ANNUAL_2": .semiannual, "ANNUAL": .annual, "IRREG": .irregular, "P1D": .daily, "P1W": .weekly,
            "P7D": .weekly, "P1M": .monthly, "P3M": .quarterly, "P6M": .semiannual, "P1Y": .annual,
        ]
        guard let parsed = codes[code] else { return nil }
        self = parsed
    }
}
