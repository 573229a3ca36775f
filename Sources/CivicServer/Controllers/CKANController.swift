import CivicData
import CivicStore
import Foundation
import Hummingbird

/// A CKAN Action API subset at `/api/3/action/{name}` and `/api/action/{name}`, GET (query string) and POST (JSON or
/// form body), with CKAN's envelope: `{"help", "success": true, "result"}`, errors `{"success": false, "error":
/// {"__type", "message"}}` with CKAN's statuses (404 not found, 409 validation, 400 bad request). Organisations are
/// municipalities named by 全国地方公共団体コード; packages are datasets; each has CSV, GeoJSON, report and
/// OGC API resources; the CSV resource is in the DataStore (`datastore_search`).
struct CKANController: Sendable {
    let store: Store
    let catalogue: Catalogue
    let configuration: ServerConfiguration
    let delivery: Delivery
    let authenticator: Authenticator
    /// Rebuilds the site after a write (the catalogue and caches change).
    let refresh: @Sendable () -> Void

    /// A CKAN error.
    struct Failure: Error {
        var status: HTTPResponse.Status
        var type: String
        var message: String

        static func notFound(_ message: String) -> Failure { Failure(status: .notFound, type: "Not Found Error", message: message) }
        static func validation(_ message: String) -> Failure { Failure(status: .conflict, type: "Validation Error", message: message) }
    }

    static let help: [String: String] = [
        "package_list": "Return a list of the names of the site's datasets (packages).",
        "package_show": "Return the metadata of a dataset (package) and its resources. :param id: the id or name of the dataset",
        "package_search":
            "Search for packages. :param q: the solr-style query (terms matched in titles, names, 団体, standard datasets) :param fq: filter query: organization:<団体コード>, tags:<standard dataset>, res_format:, license_id: :param rows: (default 10, at most 1000) :param start: :param sort: name|title_string|metadata_modified|score asc|desc",
        "organization_list": "Return a list of the organizations (municipalities, named by 全国地方公共団体コード). :param all_fields:",
        "organization_show": "Return the details of an organization. :param id: 全国地方公共団体コード :param include_datasets:",
        "resource_show": "Return the metadata of a resource. :param id:",
        "datastore_search":
            "Search a DataStore resource (the CSV resources). :param resource_id: :param limit: (default 100) :param offset: :param q: full text :param filters: JSON object of field: value",
        "help_show": "Return the help string of an action. :param name:",
        "status_show": "Return the site's status.",
        "package_create":
            "Create a dataset of a standard dataset, with no records yet (a publisher's token of owner_org). :param name: :param owner_org: 全国地方公共団体コード :param standard_dataset: (or in extras) :param title: :param license_id: :param author: :param url:",
        "package_update":
            "Set a dataset's metadata; fields not given are cleared. :param id: :param title: :param license_id: :param author: :param url:",
        "package_patch": "Change the given metadata fields of a dataset. :param id:",
        "package_delete": "Take a dataset out of the catalogue (its last release is kept). :param id:",
        "resource_create":
            "Upload a new file of a dataset (multipart, upload=@file): a publisher's valid file is published, an editor's is a draft release. :param package_id: :param upload:",
        "resource_update": "As resource_create, naming one of the dataset's resources. :param id: :param upload:",
        "datastore_upsert":
            "Create or change records, each checked as a row of the dataset, all or none. :param resource_id: the CSV resource :param records: :param method: upsert|insert|update",
        "datastore_delete": "Delete the records matching filters. :param resource_id: :param filters: {field: value}",
    ]

    static let sortFields = ["id", "name", "title_string", "title", "metadata_modified", "metadata_created", "score"]

    static let actions =
        [
            "package_list", "package_show", "package_search", "organization_list", "organization_show", "resource_show", "datastore_search",
            "status_show", "help_show",
        ] + writeActions

    func addRoutes(to router: Router<CivicRequestContext>) {
        for prefix in ["/api/3/action/", "/api/action/"] {
            router.get(RouterPath(prefix + ":action")) { request, context in
                try await self.handle(request, context: context, action: context.parameters.require("action"))
            }
            router.post(RouterPath(prefix + ":action")) { request, context in
                try await self.handle(request, context: context, action: context.parameters.require("action"))
            }
        }
    }

    func handle(_ request: Request, context: CivicRequestContext, action: String) async throws -> Response {
        let base = FeaturesController.baseURL(request, configuration: configuration)
        if CKANController.writeActions.contains(action) { return try await write(action, request, context: context, base: base) }
        let help = base + "/api/3/action/help_show?name=" + action
        var parameters: [String: Any] = [:]
        var badBody: Failure?
        do {
            parameters = try await CKANController.parameters(request, context: context)
        } catch let failure as Failure {
            badBody = failure
        }
        // A deleted package: as CKAN answers, its tombstone to its municipality's accounts, 403 to everyone else.
        if action == "package_show", badBody == nil, let id = parameters["id"] as? String, !catalogue.datasets.contains(where: { $0.id == id }),
            let entry = catalogue.entries[id], entry.deleted
        {
            // The answer depends on the token: kept by no shared cache.
            return try delivery.respond(request, cacheable: false, audience: Audience(hidden: [:], personal: true)) {
                let principal = try? authenticator.principal(request)
                guard let principal, principal.may(.editor, for: .municipality(entry.municipalityCode ?? "")) else {
                    return try CKANController.envelope(
                        [
                            "help": help, "success": false,
                            "error": ["__type": "Authorization Error", "message": "User not authorized to read package \(id)"],
                        ],
                        status: .forbidden
                    )
                }
                return try CKANController.envelope(["help": help, "success": true, "result": tombstone(entry)], status: .ok)
            }
        }
        // A status table's DataStore rows: without those kept from the public, unless staff ask.
        var audience = Audience.everyone
        if action == "datastore_search", let resource = parameters["resource_id"] as? String,
            let dataset = catalogue.datasets.first(where: { $0.id + "-csv" == resource })
        {
            audience = try Audience.of(request, reading: [dataset], authenticator: authenticator)
        }
        // GET answers are cached like every GET; a POST's parameters are in its body.
        return try delivery.respond(request, cacheable: request.method == .get && badBody == nil, audience: audience) {
            do {
                if let badBody { throw badBody }
                let result = try perform(action, parameters, base: base, audience: audience)
                return try CKANController.envelope(["help": help, "success": true, "result": result], status: .ok)
            } catch let failure as Failure {
                return try CKANController.envelope(
                    ["help": help, "success": false, "error": ["__type": failure.type, "message": failure.message]],
                    status: failure.status
                )
            }
        }
    }

    static func envelope(_ object: [String: Any], status: HTTPResponse.Status) throws -> Payload {
        var payload = try jsonPayload(object, contentType: "application/json; charset=utf-8")
        payload.status = status
        return payload
    }

    /// The fields of `application/x-www-form-urlencoded` text (a query string or a form body): '+' is a space and
    /// `%2B` a plus, decoded once, in that order; a field without a name is left out.
    static func formFields(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                let text = String($0).replacingOccurrences(of: "+", with: " ")
                return text.percentDecoded
            }
            guard let name = parts.first, !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? parts[1] : "")
        }
    }

    /// GET: the query string; POST: a JSON object (or a form) in the body.
    static func parameters(_ request: Request, context: CivicRequestContext, limit: Int = 1 << 20) async throws -> [String: Any] {
        var parameters: [String: Any] = [:]
        // From the raw query (not Hummingbird's decoded one), so that '+' and '%2B' can be told apart.
        for (name, value) in formFields(request.uri.query ?? "") { parameters[name] = value }
        guard request.method == .post else { return parameters }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw Failure(status: .contentTooLarge, type: "Validation Error", message: "the body is larger than \(limit) bytes")
        }
        let bytes = Data(buffer.readableBytesView)
        guard !bytes.isEmpty else { return parameters }
        if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            for (name, value) in formFields(String(decoding: bytes, as: UTF8.self)) { parameters[name] = value }
            return parameters
        }
        guard let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else {
            throw Failure(status: .badRequest, type: "Bad request", message: "the body is not a JSON object")
        }
        parameters.merge(object) { _, new in new }
        return parameters
    }

    // MARK: Actions

    func perform(_ action: String, _ parameters: [String: Any], base: String, audience: Audience = .everyone) throws -> Any {
        switch action {
        case "package_list":
            return catalogue.datasets.map(\.id)
        case "package_show":
            return package(try dataset(try string(parameters, "id")), base: base)
        case "package_search":
            return try search(parameters, base: base)
        case "organization_list":
            let all = try bool(parameters["all_fields"], "all_fields")
            return organizations().map { all ? organization($0, base: base, withPackages: false) : $0.code as Any }
        case "organization_show":
            let id = try string(parameters, "id")
            guard let found = organizations().first(where: { $0.code == id || $0.name == id }) else {
                throw Failure.notFound("Organization not found: \(id)")
            }
            return organization(found, base: base, withPackages: try bool(parameters["include_datasets"], "include_datasets"))
        case "resource_show":
            let id = try string(parameters, "id")
            for dataset in catalogue.datasets {
                if let resource = resources(dataset, base: base).first(where: { $0["id"] as? String == id }) { return resource }
            }
            throw Failure.notFound("Resource was not found: \(id)")
        case "datastore_search":
            return try datastoreSearch(parameters, base: base, audience: audience)
        case "help_show":
            let name = try string(parameters, "name")
            guard let help = CKANController.help[name] else { throw Failure.notFound("Action name not known: \(name)") }
            return help
        case "status_show":
            return ["ckan_version": "2.10.0", "site_title": "Civic", "site_url": base, "extensions": ["datastore"]]
        default:
            throw Failure(
                status: .badRequest,
                type: "Bad request",
                message: "Action name not known: \(action); this server has \(CKANController.actions.joined(separator: ", "))"
            )
        }
    }

    /// JSON true/false arrive as boolean NSNumbers (their Objective-C type is `c`); 0 and 1 do not.
    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    func string(_ parameters: [String: Any], _ key: String) throws -> String {
        guard let text = try optionalString(parameters, key), !text.isEmpty else { throw Failure.validation("Missing value: \(key)") }
        return text
    }

    /// A text parameter when given; a JSON value of another type is a validation error.
    func optionalString(_ parameters: [String: Any], _ key: String) throws -> String? {
        guard let value = parameters[key] else { return nil }
        guard let text = value as? String else { throw Failure.validation("\(key): must be text") }
        return text
    }

    /// A boolean parameter: true/false (also 1/0, yes/no, True/False); anything else is a validation error.
    func bool(_ value: Any?, _ key: String = "value") throws -> Bool {
        switch value {
        case nil: return false
        case let number as NSNumber where CKANController.isBoolean(number): return number.boolValue
        case let text as String:
            if ["true", "True", "1"].contains(text) { return true }
            if ["false", "False", "0"].contains(text) { return false }
            throw Failure.validation("\(key): must be true or false")
        default: throw Failure.validation("\(key): must be true or false")
        }
    }

    func integer(_ parameters: [String: Any], _ key: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let value = parameters[key] else { return fallback }
        var number: Int?
        if let given = value as? NSNumber, !CKANController.isBoolean(given), given.doubleValue == given.doubleValue.rounded(),
            (Double(range.lowerBound)...Double(range.upperBound)).contains(given.doubleValue)
        {
            number = given.intValue
        } else if let text = value as? String {
            number = Int(text)
        }
        guard let number, range.contains(number) else {
            throw Failure.validation("\(key): must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func dataset(_ id: String) throws -> StoredDataset {
        guard let dataset = catalogue.datasets.first(where: { $0.id == id }) else { throw Failure.notFound("Not found: package '\(id)'") }
        return dataset
    }

    // MARK: Organisations (municipalities)

    typealias Organization = Catalogue.Organization

    /// The municipalities, grouped once when the catalogue was built.
    func organizations() -> [Organization] { catalogue.organizations }

    func organization(_ organization: Organization, base: String, withPackages: Bool) -> [String: Any] {
        var result: [String: Any] = [
            "id": organization.code,
            "name": organization.code,
            "title": organization.name,
            "display_name": organization.name,
            "description": "\(organization.name)（全国地方公共団体コード \(organization.code)）",
            "type": "organization",
            "is_organization": true,
            "state": "active",
            "approval_status": "approved",
            "image_url": "",
            "created": organization.datasets.map(\.loadedAt).min() ?? "",
            "package_count": organization.datasets.count,
        ]
        if withPackages { result["packages"] = organization.datasets.map { package($0, base: base) } }
        return result
    }

    // MARK: Packages (datasets)

    /// The licences Civic knows, by key (`Licences`).
    static let licenses: [String: (id: String, title: String, url: String)] = Dictionary(
        uniqueKeysWithValues: Licences.all.map { ($0.key, ($0.id, $0.title, $0.url)) }
    )

    func package(_ dataset: StoredDataset, base: String) -> [String: Any] {
        let license = CKANController.licenses[dataset.license ?? ""] ?? (dataset.license?.lowercased() ?? "notspecified", dataset.license ?? "", "")
        let owner = organizations().first { $0.code == (dataset.municipalityCode ?? "unknown") }
        return [
            "id": dataset.id,
            "name": dataset.id,
            "title": dataset.title,
            "type": "dataset",
            "state": "active",
            "private": false,
            "notes":
                "\(dataset.standardTitle)（自治体標準オープンデータセット）。\(dataset.recordCount) 件、うち位置のあるもの \(dataset.featureCount) 件。\(dataset.attribution ?? "")",
            "license_id": license.id,
            "license_title": license.title,
            "license_url": license.url,
            "author": dataset.attribution ?? "",
            "maintainer": dataset.municipality ?? "",
            "url": dataset.source ?? "",
            // The live release's number: it changes with every publish, rollback and record edit.
            "version": dataset.liveRelease.map(String.init) ?? "",
            // From the catalogue's change feed: created when first released, modified at its last visible change.
            "metadata_created": catalogue.entries[dataset.id]?.created ?? dataset.loadedAt,
            "metadata_modified": catalogue.entries[dataset.id]?.modified ?? dataset.loadedAt,
            "owner_org": dataset.municipalityCode ?? "unknown",
            "organization": owner.map { organization($0, base: base, withPackages: false) } ?? NSNull(),
            "tags": [
                ["name": dataset.standardTitle, "display_name": dataset.standardTitle, "state": "active"],
                ["name": dataset.standard, "display_name": dataset.standard, "state": "active"],
            ],
            "num_tags": 2,
            "groups": [] as [Any],
            "extras": [
                ["key": "standard_dataset", "value": dataset.standard],
                ["key": "municipality_code", "value": dataset.municipalityCode ?? ""],
                ["key": "updated", "value": dataset.updated],
                ["key": "valid", "value": dataset.valid ? "true" : "false"],
            ] + (dataset.updateFrequency.map { [["key": "frequency", "value": $0.iri]] } ?? []),
            "resources": resources(dataset, base: base),
            "num_resources": 4,
        ]
    }

    /// A deleted package as CKAN shows it to those who may see it: `state` deleted, no resources.
    func tombstone(_ entry: CatalogEntry) -> [String: Any] {
        [
            "id": entry.id, "name": entry.id, "title": entry.title ?? entry.id, "type": "dataset", "state": "deleted", "private": false,
            "owner_org": entry.municipalityCode ?? "unknown", "metadata_created": entry.created, "metadata_modified": entry.modified,
            "resources": [] as [Any], "num_resources": 0, "tags": [] as [Any], "num_tags": 0, "groups": [] as [Any],
            "extras": [["key": "standard_dataset", "value": entry.standard ?? ""]],
        ]
    }

    func resources(_ dataset: StoredDataset, base: String) -> [[String: Any]] {
        let path = FeaturesController.escape(dataset.id)
        let common: [String: Any] = [
            "package_id": dataset.id, "state": "active", "created": dataset.loadedAt, "last_modified": dataset.loadedAt,
            // Changes whenever the records do (a release, an edit): what harvesters compare.
            "hash": FNV1a.hex(dataset.revision),
        ]
        func resource(_ suffix: String, _ name: String, _ format: String, _ mimetype: String, _ url: String, datastore: Bool = false) -> [String: Any]
        {
            common.merging(
                [
                    "id": "\(dataset.id)-\(suffix)", "name": name, "format": format, "mimetype": mimetype, "url": url,
                    "description": "\(dataset.title) — \(name)", "datastore_active": datastore, "url_type": "",
                ],
                uniquingKeysWith: { _, new in new }
            )
        }
        // The CSV's size once measured (DownloadSizes), else null as CKAN has it for an unknown size.
        var csv = resource("csv", "CSV (UTF-8)", "CSV", "text/csv", base + "/datasets/\(path).csv", datastore: true)
        csv["size"] = catalogue.csvBytes(dataset) ?? NSNull()
        return [
            csv,
            resource("geojson", "GeoJSON", "GeoJSON", "application/geo+json", base + "/datasets/\(path).geojson"),
            resource(
                "xlsx",
                "Excel (.xlsx)",
                "XLSX",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                base + "/datasets/\(path).xlsx"
            ),
            resource("report", "検証レポート validation report", "JSON", "application/json", base + "/datasets/\(path)/report.json"),
            resource("ogcapi", "OGC API Features", "OGC API", "application/json", base + "/collections/\(path)"),
        ]
    }

    /// The formats of every package's resources (`resources`), for `res_format:`.
    static let formats = ["CSV", "GeoJSON", "XLSX", "JSON", "OGC API"]

    /// A dataset as `package_search` filters and sorts it.
    func searchable(_ dataset: StoredDataset) -> SearchableDataset {
        let license = CKANController.licenses[dataset.license ?? ""]?.id ?? dataset.license?.lowercased() ?? "notspecified"
        return SearchableDataset(dataset: dataset, entry: catalogue.entries[dataset.id], licenseID: license, formats: CKANController.formats)
    }

    /// A time as a string that sorts as the time does (stored times differ in their fractions' digits).
    static func sortableTime(_ text: String) -> String {
        String(format: "%020.6f", Store.date(text)?.timeIntervalSince1970 ?? 0)
    }

    func search(_ parameters: [String: Any], base: String) throws -> [String: Any] {
        let rows = try integer(parameters, "rows", default: 10, range: 0...1000)
        let start = try integer(parameters, "start", default: 0, range: 0...1_000_000)
        var matches = catalogue.datasets
        if let q = try optionalString(parameters, "q"), !q.isEmpty, q != "*:*" {
            let terms = q.split(separator: " ").map { $0.lowercased() }.filter { $0 != "and" }
            matches = matches.filter { dataset in
                let text = [
                    dataset.id, dataset.title, dataset.standard, dataset.standardTitle, dataset.municipality ?? "", dataset.municipalityCode ?? "",
                    dataset.attribution ?? "",
                ]
                .joined(separator: " ").lowercased()
                return terms.allSatisfy { term in
                    // "field:value" searches the value (a bare "field:" matches everything).
                    let parts = term.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                    let bare = parts.count == 2 ? String(parts[1]) : term
                    return text.contains(bare.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
                }
            }
        }
        var candidates = matches.map { searchable($0) }
        if let fq = try optionalString(parameters, "fq"), !fq.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                let filter = try SolrFilter.parse(fq)
                try filter.validate()
                let now = Date()
                candidates = candidates.filter { filter.matches($0, now: now) }
            } catch let invalid as SolrFilter.Invalid {
                throw Failure(status: .conflict, type: "Search Query Error", message: "Search Query is invalid: \(invalid.message)")
            }
        }
        let sort = try optionalString(parameters, "sort") ?? "score desc, metadata_modified desc"
        // "field [asc|desc], …" with CKAN's sortable fields, each clause breaking the previous one's ties, then the id:
        // the order is total, so that paging with rows/start is stable.
        var clauses: [(field: String, descending: Bool)] = []
        for clause in sort.split(separator: ",", omittingEmptySubsequences: false) {
            let words = clause.split(separator: " ").map(String.init)
            guard (1...2).contains(words.count), CKANController.sortFields.contains(words[0]),
                words.count == 1 || ["asc", "desc"].contains(words[1].lowercased())
            else {
                throw Failure.validation("sort: use \(CKANController.sortFields.joined(separator: "|")) with asc or desc, comma-separated")
            }
            clauses.append((words[0], words.count == 2 && words[1].lowercased() == "desc"))
        }
        func key(_ item: SearchableDataset, _ field: String) -> String {
            switch field {
            case "name", "id": item.dataset.id
            case "title_string", "title": item.dataset.title
            case "metadata_modified": Self.sortableTime(item.modified)
            case "metadata_created": Self.sortableTime(item.created)
            default: ""  // score: every match scores the same
            }
        }
        // Each dataset's keys made once (times parsed once), not at every comparison.
        let sorting = clauses.filter { $0.field != "score" }
        let keyed = candidates.map { item in (item.dataset, sorting.map { key(item, $0.field) }) }
        matches = keyed.sorted { a, b in
            for (index, clause) in sorting.enumerated() where a.1[index] != b.1[index] {
                return clause.descending ? a.1[index] > b.1[index] : a.1[index] < b.1[index]
            }
            return a.0.id < b.0.id
        }.map(\.0)
        let page = matches.dropFirst(start).prefix(rows)
        return [
            "count": matches.count,
            "sort": sort,
            "results": page.map { package($0, base: base) },
            "facets": [:] as [String: Any],
            "search_facets": [:] as [String: Any],
        ]
    }

    // MARK: DataStore

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    func datastoreSearch(_ parameters: [String: Any], base: String, audience: Audience = .everyone) throws -> [String: Any] {
        let resourceID = try string(parameters, "resource_id")
        guard resourceID.hasSuffix("-csv"), let dataset = catalogue.datasets.first(where: { $0.id + "-csv" == resourceID }) else {
            throw Failure.notFound("Resource \"\(resourceID)\" was not found (only the CSV resources are in the DataStore).")
        }
        let limit = try integer(parameters, "limit", default: 100, range: 0...32_000)
        let offset = try integer(parameters, "offset", default: 0, range: 0...Int(Int32.max))
        var filters: [Int: String] = [:]
        var filterObject: [String: Any] = [:]
        if let raw = parameters["filters"] {
            if let object = raw as? [String: Any] {
                filterObject = object
            } else if let text = raw as? String, let data = text.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            {
                filterObject = object
            } else {
                throw Failure.validation("filters: must be a JSON object of field: value")
            }
        }
        for (field, value) in filterObject {
            guard let column = dataset.columns.firstIndex(of: field) else {
                throw Failure.validation("filters: field \"\(field)\" not in the resource")
            }
            filters[column] = (value as? String) ?? "\(value)"
        }
        let q = try optionalString(parameters, "q").flatMap { $0.isEmpty ? nil : $0 }
        let hidden = audience.hiddenRecords(.dataset(dataset))
        // Full-text q is matched in Swift over the filtered rows; without q, paging happens in SQLite.
        var records: [StoredFeature]
        var total: Int
        if let q {
            // Read a page of rows at a time (memory stays bounded on large datasets), counting every match and
            // keeping the ones this page shows.
            total = 0
            records = []
            var position = 0
            while true {
                let page = try store.features(in: .dataset(dataset), filters: filters, hidden: hidden, limit: 5000, offset: position)
                for feature in page.features where feature.values.contains(where: { $0.localizedCaseInsensitiveContains(q) }) {
                    if total >= offset && records.count < limit { records.append(feature) }
                    total += 1
                }
                position += page.features.count
                if page.features.count < 5000 { break }
            }
        } else {
            let page = try store.features(in: .dataset(dataset), filters: filters, hidden: hidden, limit: limit, offset: offset)
            total = page.numberMatched
            records = page.features
        }
        let fields: [[String: Any]] =
            [["id": "_id", "type": "int"]]
            + dataset.columns.enumerated().map { index, name in
                ["id": name, "type": dataset.numericColumns[index] ? "numeric" : "text"]
            }
        let rows: [[String: Any]] = records.enumerated().map { index, feature in
            var row: [String: Any] = ["_id": offset + index + 1]
            for (column, name) in dataset.columns.enumerated() { row[name] = column < feature.values.count ? feature.values[column] : "" }
            return row
        }
        // The links keep the request's arguments; only the offset changes (as CKAN does).
        var arguments = ["resource_id=\(CKANController.encode(resourceID))", "limit=\(limit)"]
        if let q { arguments.append("q=\(CKANController.encode(q))") }
        if !filterObject.isEmpty,
            let data = try? JSONSerialization.data(withJSONObject: filterObject, options: [.withoutEscapingSlashes])
        {
            arguments.append("filters=\(CKANController.encode(String(decoding: data, as: UTF8.self)))")
        }
        let action = "/api/3/action/datastore_search?" + arguments.joined(separator: "&")
        return [
            "resource_id": resourceID,
            "fields": fields,
            "records": rows,
            "total": total,
            "limit": limit,
            "offset": offset,
            "include_total": true,
            "_links": ["start": action, "next": action + "&offset=\(offset + limit)"],
        ]
    }
}
