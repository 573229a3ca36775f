import Foundation

/// One page of a CKAN Action API `package_search` answer, as ckanext-harvest's CKAN harvester pages through it
/// (`rows`, `start`, `sort=id asc`): its packages as remote datasets, and the total count.
struct CKANPage {
    var datasets: [RemoteDataset]
    var count: Int

    static func read(_ data: Data, url: String) throws -> CKANPage {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw RDFError(message: "\(url): package_search did not answer JSON: \(error.localizedDescription)")
        }
        guard let envelope = json as? [String: Any] else { throw RDFError(message: "\(url): package_search did not answer a JSON object") }
        guard envelope["success"] as? Bool == true, let result = envelope["result"] as? [String: Any],
            let results = result["results"] as? [[String: Any]]
        else {
            let error = (envelope["error"] as? [String: Any]).map { "\($0)" } ?? "no result"
            throw RDFError(message: "\(url): package_search failed: \(error)")
        }
        return CKANPage(datasets: results.compactMap(CKANPage.dataset), count: (result["count"] as? Int) ?? results.count)
    }

    /// A package as a remote dataset; nil for one not active (deleted, a draft) or private.
    static func dataset(_ package: [String: Any]) -> RemoteDataset? {
        guard let id = package["id"] as? String else { return nil }
        if let state = package["state"] as? String, state != "active" { return nil }
        if package["private"] as? Bool == true { return nil }
        let organization = package["organization"] as? [String: Any]
        var extras: [String: String] = [:]
        for extra in package["extras"] as? [[String: Any]] ?? [] {
            if let key = extra["key"] as? String, let value = extra["value"] as? String { extras[key] = value }
        }
        let files = (package["resources"] as? [[String: Any]] ?? []).compactMap { resource -> RemoteFile? in
            guard let url = resource["url"] as? String, !url.isEmpty else { return nil }
            if let state = resource["state"] as? String, state != "active" { return nil }
            return RemoteFile(
                id: (resource["id"] as? String) ?? url,
                url: url,
                name: resource["name"] as? String,
                format: (resource["format"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? resource["mimetype"] as? String
            )
        }
        return RemoteDataset(
            id: id,
            name: package["name"] as? String,
            title: (package["title"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? (package["name"] as? String) ?? id,
            municipalityCode: extras["municipality_code"] ?? extras["地方公共団体コード"] ?? extras["全国地方公共団体コード"],
            publisher: organization?["title"] as? String,
            organization: organization?["name"] as? String,
            license: (package["license_id"] as? String) ?? (package["license_title"] as? String),
            page: package["url"] as? String,
            modified: package["metadata_modified"] as? String,
            updateFrequency: extras["frequency"] ?? extras["update_frequency"] ?? extras["更新頻度"],
            files: files
        )
    }
}

/// A plain list of file URLs (absolute, http or https): one a line, optionally followed (tab, comma or spaces between) by the municipality's
/// 6-digit code and a title; `#` starts a comment.
struct URLList {
    static func read(_ data: Data, url: String) throws -> [RemoteDataset] {
        guard let text = String(data: data, encoding: .utf8) else { throw RDFError(message: "\(url): the list is not UTF-8 text") }
        var datasets: [RemoteDataset] = []
        for (number, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            var fields = line.split(whereSeparator: { $0 == "\t" || $0 == "," || $0 == " " }).map(String.init)
            guard !fields.isEmpty else { continue }
            let link = fields.removeFirst()
            guard let parsed = URL(string: link), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                throw RDFError(message: "\(url): line \(number + 1): '\(link)' is not an http(s) URL")
            }
            var code: String?
            if let first = fields.first, first.count == 6, first.allSatisfy(\.isNumber) {
                code = first
                fields.removeFirst()
            }
            let absolute = parsed.absoluteString
            let fileName = parsed.deletingPathExtension().lastPathComponent
            datasets.append(
                RemoteDataset(
                    id: absolute,
                    name: nil,
                    title: fields.isEmpty ? fileName : fields.joined(separator: " "),
                    municipalityCode: code,
                    page: absolute,
                    files: [RemoteFile(id: absolute, url: absolute)]
                )
            )
        }
        return datasets
    }
}
