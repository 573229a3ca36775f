import CivicData
public import Foundation

/// One catalogue to gather datasets from, as `harvest.json` declares it (docs/harvesting.md):
///
///     { "sources": [ { "name": "yaizu", "type": "ckan", "url": "https://opendata.example.jp/",
///                      "municipality": "222127", "delaySeconds": 1 } ] }
public struct HarvestSource: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A CKAN portal (Action API `package_search`), Civic itself among them.
        case ckan
        /// A DCAT(-AP) catalogue in JSON-LD or Turtle, Hydra-paged or whole.
        case dcat
        /// A plain list of file URLs (a text file: one URL a line, optionally its municipality code and a title).
        case list
    }

    /// Names the source in the store (its datasets' origin is `/harvest/<name>`): lowercase letters, digits, `-`, `_`.
    public var name: String
    public var type: Kind
    /// The portal's root (CKAN), the catalogue's first page (DCAT), or the list (an http(s) URL or a local file).
    public var url: String
    /// The municipality (6-digit 全国地方公共団体コード) of datasets the catalogue does not attribute to one.
    public var municipality: String?
    /// CKAN organisation name → municipality code, for portals of several municipalities.
    public var organizations: [String: String]?
    /// Put before every local dataset id (two sources with datasets of the same name).
    public var prefix: String?
    /// The licence of datasets the catalogue gives none (list sources): e.g. `CC-BY-4.0`.
    public var license: String?
    /// Seconds between two requests to the source (politeness; search.ckan.jp waits 1 s between pages).
    public var delaySeconds: Double?
    /// Seconds a request may take before it fails.
    public var timeoutSeconds: Double?
    /// Bytes a file or catalogue page may have (ckanext-dcat's default cap: 50 MB).
    public var maximumBytes: Int?
    /// Days a dataset stays after its source stopped listing it, before it is removed (a tombstone in the feed).
    public var graceDays: Double?

    public init(name: String, type: Kind, url: String, municipality: String? = nil) {
        self.name = name
        self.type = type
        self.url = url
        self.municipality = municipality
    }

    public var delay: Double { max(0, delaySeconds ?? 1) }
    public var timeout: Double { max(1, timeoutSeconds ?? 30) }
    public var byteLimit: Int { max(1024, maximumBytes ?? 50_000_000) }
    public var grace: TimeInterval { max(0, graceDays ?? 7) * 86_400 }
    /// The origin of its datasets in the store: not a folder name (it has a slash), so the data folder's sync
    /// leaves them.
    public var origin: String { "/harvest/" + name }

    /// What is wrong with the declaration, nil when it is usable.
    public var problem: String? {
        guard (1...64).contains(name.count), name.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" })
        else { return "\"name\": \"\(name)\" must be 1–64 lowercase letters, digits, '-' or '_'" }
        if type != .list || url.contains("://") {
            guard let parsed = URL(string: url), ["http", "https", "file"].contains(parsed.scheme?.lowercased() ?? "") else {
                return "\"url\": \"\(url)\" is not an http(s) URL"
            }
        }
        for code in [municipality].compactMap({ $0 }) + (organizations.map { Array($0.values) } ?? []) where !MunicipalityCode.isValid(code) {
            return "\"\(code)\" is not a 6-digit 全国地方公共団体コード with its check digit"
        }
        if let prefix, !prefix.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) {
            return "\"prefix\": \"\(prefix)\" may have lowercase letters, digits, '-' and '_' only"
        }
        return nil
    }
}

/// A `harvest.json`: the sources `civic harvest` and `civic serve --harvest` gather from.
public struct HarvestConfiguration: Sendable, Codable, Equatable {
    public var sources: [HarvestSource]

    public init(sources: [HarvestSource]) {
        self.sources = sources
    }

    /// Reads and checks a `harvest.json`: an error names the file and the source.
    public static func load(_ url: URL) throws -> HarvestConfiguration {
        let configuration: HarvestConfiguration
        do {
            configuration = try JSONDecoder().decode(HarvestConfiguration.self, from: Data(contentsOf: url))
        } catch let error as DecodingError {
            throw HarvestError("\(url.path): not a harvest configuration: \(DecodingFailure.describe(error))")
        } catch {
            throw HarvestError("\(url.path): \(error.localizedDescription)")
        }
        var names: Set<String> = []
        for (index, source) in configuration.sources.enumerated() {
            if let problem = source.problem { throw HarvestError("\(url.path): sources[\(index)]: \(problem)") }
            guard names.insert(source.name).inserted else {
                throw HarvestError("\(url.path): sources[\(index)]: the name \"\(source.name)\" is used twice")
            }
        }
        return configuration
    }
}

/// A harvest that could not start (a configuration, a store), with what and where.
public struct HarvestError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
