/// The licences Civic knows by name: the key a dataset.json writes (`CC-BY-4.0`), CKAN's licence id, the title and
/// the licence's IRI. CKAN's API, DCAT and the harvester read and write licences through this one table.
public enum Licences {
    public struct Licence: Sendable, Equatable {
        public var key: String
        /// CKAN's `license_id`.
        public var id: String
        public var title: String
        public var url: String
    }

    public static let all: [Licence] = [
        Licence(key: "CC-BY-4.0", id: "cc-by-4.0", title: "クリエイティブ・コモンズ 表示 4.0 国際 (CC BY 4.0)", url: "https://creativecommons.org/licenses/by/4.0/"),
        Licence(key: "CC-BY-2.1-JP", id: "cc-by-2.1-jp", title: "CC BY 2.1 JP", url: "https://creativecommons.org/licenses/by/2.1/jp/"),
        Licence(
            key: "PDL-1.0",
            id: "pdl-1.0",
            title: "公共データ利用規約 (第1.0版)",
            url: "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
        ),
    ]

    /// The key of the licence with CKAN's `license_id` `id` (any case).
    public static func key(ckanID id: String) -> String? { all.first { $0.id == id.lowercased() }?.key }

    /// The key of the licence a catalogue names by CKAN id or by IRI (http or https, with or without `www.`, a trailing
    /// slash or a page below it: `…/licenses/by/4.0/deed.ja`).
    public static func key(identifying text: String) -> String? {
        if let key = key(ckanID: text) { return key }
        let iri = stem(text.lowercased())
        guard !iri.isEmpty else { return nil }
        return all.first { iri.hasPrefix(stem($0.url)) }?.key
    }

    /// An IRI without its scheme, `www.` and trailing slash.
    private static func stem(_ iri: String) -> String {
        var text = Substring(iri)
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text = text.dropFirst(scheme.count) }
        if text.hasPrefix("www.") { text = text.dropFirst(4) }
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
