import CivicData
import CivicIngest
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird

/// CKAN's write actions (docs/publishing.md), with the same tokens, rules and change log as the other faces:
/// `package_create|update|patch|delete` (a publisher of the municipality, or the portal admin), `resource_create` and
/// `resource_update` with a file (multipart, as `ckanapi action resource_create … upload=@file` sends it: a
/// publisher's upload is published when valid, an editor's is a draft), `datastore_upsert` and `datastore_delete`
/// (record by record through the pipeline's checks and the change log; live for a publisher, into the draft for an
/// editor). Answers use CKAN's envelope and statuses: 403 "Authorization Error", 409 "Validation Error", 404.
extension CKANController {
    static let writeActions = [
        "package_create", "package_update", "package_patch", "package_delete", "resource_create", "resource_update", "datastore_upsert",
        "datastore_delete",
    ]

    /// The largest JSON body a write action takes (datastore_upsert's records).
    static let maximumWriteBodyBytes = 32 << 20

    func write(_ action: String, _ request: Request, context: CivicRequestContext, base: String) async throws -> Response {
        let help = base + "/api/3/action/help_show?name=" + action
        let payload: Payload
        do {
            guard request.method == .post else {
                throw Failure(status: .badRequest, type: "Bad request", message: "\(action) changes data: send it as a POST")
            }
            let principal: Principal
            do {
                principal = try authenticator.require(request)
            } catch let error as APIError {
                throw Failure(status: error.status, type: "Authorization Error", message: error.message)
            }
            let actor = Actor.token(principal, origin: ReleasesController.origin(request, context))
            var parameters: [String: Any]
            var form: Publishing.Form?
            if request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true {
                form = try await publishing.receiveForm(request)
                parameters = form?.fields ?? [:]
            } else {
                parameters = try await CKANController.parameters(request, context: context, limit: CKANController.maximumWriteBodyBytes)
            }
            defer { if let file = form?.file { try? FileManager.default.removeItem(at: file) } }
            let result = try await perform(write: action, parameters, file: form?.file, principal: principal, actor: actor, base: base)
            refresh()
            payload = try CKANController.envelope(["help": help, "success": true, "result": result], status: .ok)
        } catch let failure as Failure {
            payload = try CKANController.envelope(
                ["help": help, "success": false, "error": ["__type": failure.type, "message": failure.message]],
                status: failure.status
            )
        } catch let error as APIError {
            let type =
                error.status == .contentTooLarge ? "Validation Error" : error.status == .unprocessableContent ? "Validation Error" : "Bad request"
            payload = try CKANController.envelope(
                ["help": help, "success": false, "error": ["__type": type, "message": error.message]],
                status: error.status == .unprocessableContent ? .conflict : error.status
            )
        }
        return try delivery.respond(request, cacheable: false) { payload }
    }

    var publishing: Publishing { Publishing(store: store, configuration: configuration) }

    private func perform(
        write action: String,
        _ parameters: [String: Any],
        file: URL?,
        principal: Principal,
        actor: Actor,
        base: String
    ) async throws -> Any {
        switch action {
        case "package_create":
            return try await packageCreate(parameters, principal: principal, actor: actor, base: base)
        case "package_update", "package_patch":
            let dataset = try writable(try string(parameters, "id"), principal, .publisher)
            var metadata = DatasetMetadata(of: dataset)
            // package_update sets what it is given and clears the rest (as CKAN); package_patch changes only what is given.
            let patch = action == "package_patch"
            if let title = try optionalString(parameters, "title") { metadata.title = title } else if !patch { metadata.title = dataset.id }
            if let license = try optionalString(parameters, "license_id") {
                metadata.license = CKANController.license(fromCKAN: license)
            } else if !patch {
                metadata.license = nil
            }
            if let author = try optionalString(parameters, "author") { metadata.attribution = author } else if !patch { metadata.attribution = nil }
            if let url = try optionalString(parameters, "url") { metadata.source = url } else if !patch { metadata.source = nil }
            if let frequency = try frequency(parameters) {
                metadata.updateFrequency = frequency.rawValue
            } else if !patch {
                metadata.updateFrequency = nil
            }
            try storeCall { try store.updateMetadata(dataset.id, metadata, by: actor) }
            return package(try fresh(dataset.id), base: base)
        case "package_delete":
            let dataset = try writable(try string(parameters, "id"), principal, .publisher)
            _ = try storeCall { try store.remove(dataset.id, by: actor) }
            return NSNull()
        case "resource_create", "resource_update":
            let id = action == "resource_create" ? try string(parameters, "package_id") : try resourceDataset(try string(parameters, "id"))
            let dataset = try writable(id, principal, .editor)
            guard let file else {
                throw Failure.validation("upload: send the file (upload=@file, multipart/form-data); Civic makes its resources from the data")
            }
            // The pipeline deletes an unreadable upload itself; a readable one stays as the draft's file.
            let kept = file.deletingLastPathComponent().appendingPathComponent("kept-" + file.lastPathComponent)
            try FileManager.default.moveItem(at: file, to: kept)
            var release = try await publishing.draft(kept, of: dataset, by: actor, note: try optionalString(parameters, "description"))
            if principal.may(.publisher, write: dataset) {
                guard release.valid else {
                    throw Failure.validation(
                        "the file has errors (its report: /datasets/\(dataset.id)/releases/\(release.number)/report.json); it is kept as draft release \(release.number), to publish with an override or replace"
                    )
                }
                release = try storeCall { try store.publish(dataset.id, number: release.number, by: actor, override: nil) }
            }
            let now = try fresh(dataset.id)
            var resource = resources(now, base: base)[0]
            resource["civic_release"] = release.number
            resource["civic_release_state"] = release.state.rawValue
            return resource
        case "datastore_upsert":
            return try datastoreUpsert(parameters, principal: principal, actor: actor)
        case "datastore_delete":
            return try datastoreDelete(parameters, principal: principal, actor: actor)
        default:
            throw Failure(status: .badRequest, type: "Bad request", message: "Action name not known: \(action)")
        }
    }

    // MARK: Packages

    /// How often the dataset is updated (ckanext-dcat's `frequency` extra, or a parameter): a name, 毎月, an EU frequency
    /// IRI; nil when not given.
    private func frequency(_ parameters: [String: Any]) throws -> UpdateFrequency? {
        let extras = parameters["extras"] as? [[String: Any]] ?? []
        guard
            let text = try optionalString(parameters, "frequency")
                ?? extras.first(where: { ["frequency", "update_frequency"].contains($0["key"] as? String ?? "") })?["value"] as? String
        else { return nil }
        guard let parsed = UpdateFrequency(parsing: text) else {
            throw Failure.validation(
                "frequency: \"\(text)\" is not an update frequency; use \(UpdateFrequency.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return parsed
    }

    private func packageCreate(_ parameters: [String: Any], principal: Principal, actor: Actor, base: String) async throws -> Any {
        let name = try string(parameters, "name")
        guard (2...100).contains(name.count), name.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" })
        else {
            throw Failure.validation("name: Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_ (2 to 100)")
        }
        guard try store.dataset(id: name) == nil, catalogue[name] == nil else { throw Failure.validation("name: That URL is already in use.") }
        // A standard dataset's id names its merged collection (all municipalities).
        guard try configuration.schemaCatalog()[name] == nil else {
            throw Failure.validation("name: \"\(name)\" is a standard dataset's id (its merged collection); use another, e.g. \"<団体コード>-\(name)\"")
        }
        let code = try string(parameters, "owner_org")
        guard let organisation = Organisation(code), case .municipality = organisation else {
            throw Failure.validation("owner_org: a municipality's 全国地方公共団体コード (6 digits)")
        }
        guard principal.may(.publisher, for: organisation) else {
            throw Failure(status: .forbidden, type: "Authorization Error", message: "this token may not create datasets of \(code)")
        }
        var standard = try optionalString(parameters, "standard_dataset")
        if standard == nil, let extras = parameters["extras"] as? [[String: Any]] {
            standard = extras.first { $0["key"] as? String == "standard_dataset" }?["value"] as? String
        }
        guard let standard else { throw Failure.validation("standard_dataset: which standard dataset (aed, evacuation_space …) it is") }
        let municipality = try optionalString(parameters, "municipality") ?? catalogue.organizations.first { $0.code == code }?.name
        let frequency = try frequency(parameters)
        let metadata = VersionMetadata(
            datasetID: name,
            title: try optionalString(parameters, "title") ?? name,
            municipalityCode: code,
            municipality: municipality,
            license: try optionalString(parameters, "license_id").map(CKANController.license(fromCKAN:)),
            attribution: try optionalString(parameters, "author"),
            source: try optionalString(parameters, "url"),
            updated: String(Store.timestamp(Date()).prefix(10)),
            file: "",
            fingerprint: "api:" + UUID().uuidString,
            origin: VersionMetadata.apiOrigin,
            updateFrequency: frequency?.rawValue
        )
        do {
            try await publishing.create(metadata, standard: standard, by: actor, note: "package_create")
        } catch let error as APIError {
            throw Failure.validation(error.message)
        }
        return package(try fresh(name), base: base)
    }

    /// Civic's licence name for a CKAN licence id (`cc-by-4.0` → `CC-BY-4.0`).
    static func license(fromCKAN id: String) -> String {
        Licences.key(ckanID: id) ?? id
    }

    /// The dataset a resource id names (`<dataset>-csv`, `-geojson`, `-xlsx`, `-report`, `-ogcapi`).
    private func resourceDataset(_ id: String) throws -> String {
        for suffix in ["-csv", "-geojson", "-xlsx", "-report", "-ogcapi"] where id.hasSuffix(suffix) {
            return String(id.dropLast(suffix.count))
        }
        throw Failure.notFound("Resource was not found: \(id)")
    }

    /// A dataset this token may write with `role`: 403 otherwise — also when it does not exist, unless the token is
    /// the portal admin's (404), so that another municipality's token learns nothing.
    private func writable(_ id: String, _ principal: Principal, _ role: Role) throws -> StoredDataset {
        let dataset = try store.dataset(id: id)
        guard let dataset, principal.may(role, write: dataset) else {
            throw principal.refusal(toWrite: dataset) == .notFound
                ? Failure.notFound("Not found: package '\(id)'")
                : Failure(status: .forbidden, type: "Authorization Error", message: "this token may not change \(id)")
        }
        return dataset
    }

    /// The dataset as the store has it now (the catalogue this controller was built with is the one before the write).
    private func fresh(_ id: String) throws -> StoredDataset {
        guard let dataset = try store.dataset(id: id) else { throw Failure.notFound("Not found: package '\(id)'") }
        return dataset
    }

    private func storeCall<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError where error.code == .notFound {
            throw Failure.notFound(error.message)
        } catch let error as StoreError where [.conflict, .invalidRequest, .preconditionFailed].contains(error.code) {
            throw Failure.validation(error.message)
        }
    }

    // MARK: DataStore writes

    /// The CSV resource's dataset (the DataStore holds those), writable with an editor's role at least.
    private func datastoreDataset(_ parameters: [String: Any], _ principal: Principal) throws -> StoredDataset {
        let resourceID = try string(parameters, "resource_id")
        guard resourceID.hasSuffix("-csv") else {
            throw Failure.notFound("Resource \"\(resourceID)\" was not found (only the CSV resources are in the DataStore).")
        }
        return try writable(String(resourceID.dropLast(4)), principal, .editor)
    }

    private func datastoreUpsert(_ parameters: [String: Any], principal: Principal, actor: Actor) throws -> Any {
        let dataset = try datastoreDataset(parameters, principal)
        let method = try optionalString(parameters, "method") ?? "upsert"
        guard ["upsert", "insert", "update"].contains(method) else { throw Failure.validation("method: upsert, insert or update") }
        guard let records = parameters["records"] as? [[String: Any]], !records.isEmpty else {
            throw Failure.validation("records: a list of records (objects of field: value)")
        }
        guard records.count <= 10_000 else { throw Failure.validation("records: at most 10000 in one call") }
        let target: EditTarget = principal.may(.publisher, write: dataset) ? .live : .draft
        let columns = try store.editColumns(dataset.id, in: target)
        let idColumn = dataset.schema.civic.idField.flatMap { columns.firstIndex(of: $0) }
        var edits: [RecordEdit] = []
        for (index, record) in records.enumerated() {
            var given: [Int: String] = [:]
            for (field, value) in record where field != "_id" {
                guard let column = columns.firstIndex(of: field) else {
                    throw Failure.validation(
                        "records[\(index)]: field \"\(field)\" not in the resource (its fields: \(columns.joined(separator: ", ")))"
                    )
                }
                given[column] = try CKANController.text(value, "records[\(index)].\(field)")
            }
            let id = idColumn.flatMap { given[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            let current = try id.flatMap { try store.record(dataset.id, id: $0, in: target) }
            if method == "update" && current == nil {
                throw Failure.validation("records[\(index)]: no record \(id ?? "(without its ID)") to update")
            }
            if method == "insert" && current != nil { throw Failure.validation("records[\(index)]: \(id ?? "") already exists") }
            if method != "insert" && idColumn != nil && id == nil {
                throw Failure.validation("records[\(index)]: needs its \(columns[idColumn ?? 0]) (the key) to \(method)")
            }
            // The fields given change; the others keep their values (a new record: empty). A shelter's status: as
            // the table's rules say (docs/shelter-status.md).
            var values = current?.values ?? Array(repeating: "", count: columns.count)
            if dataset.standard == ShelterStatus.schemaID {
                do {
                    values = try StatusTables.values(
                        after: given.reduce(into: [:]) { $0[columns[$1.key]] = .some($1.value) },
                        to: current,
                        columns: columns,
                        by: actor
                    )
                } catch {
                    throw Failure.validation("records[\(index)]: the status was not changed: \(error.description)")
                }
            } else {
                for (column, value) in given { values[column] = value }
            }
            let checked: RecordCheck.Checked
            do {
                checked = try publishing.check(values, columns: columns, of: dataset, name: "datastore_upsert records[\(index)]")
            } catch let error as APIError {
                throw Failure.validation("records[\(index)]: \(error.message)")
            }
            guard checked.isValid else {
                throw Failure.validation("records[\(index)]: \(RecordCheck.errorSummary(checked.findings, first: 5))")
            }
            edits.append(
                RecordEdit(
                    current == nil ? .create : .replace,
                    featureID: id,
                    values: checked.values,
                    longitude: checked.longitude,
                    latitude: checked.latitude
                )
            )
        }
        _ = try storeCall { try store.edit(dataset.id, edits, in: target, by: actor, note: "datastore_upsert") }
        return ["resource_id": dataset.id + "-csv", "method": method, "records": records]
    }

    private func datastoreDelete(_ parameters: [String: Any], principal: Principal, actor: Actor) throws -> Any {
        let dataset = try datastoreDataset(parameters, principal)
        var filterObject = parameters["filters"] as? [String: Any]
        if filterObject == nil, let text = parameters["filters"] as? String, let data = text.data(using: .utf8) {
            filterObject = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        }
        guard let filterObject, !filterObject.isEmpty else {
            throw Failure.validation("filters: which records to delete, as {field: value} (a whole table goes with package_delete)")
        }
        let target: EditTarget = principal.may(.publisher, write: dataset) ? .live : .draft
        var filters: [Int: String] = [:]
        for (field, value) in filterObject {
            guard let column = dataset.columns.firstIndex(of: field) else {
                throw Failure.validation("filters: field \"\(field)\" not in the resource")
            }
            filters[column] = try CKANController.text(value, "filters.\(field)")
        }
        let matches = try store.features(in: .dataset(dataset), filters: filters, limit: 100_000, offset: 0).features
        guard !matches.isEmpty else { throw Failure.notFound("no record matches the filters") }
        if dataset.standard == ShelterStatus.schemaID,
            let listed = matches.first(where: { StatusTables.isListed($0.values, columns: dataset.columns) })
        {
            throw Failure.validation("\(listed.featureID) is a shelter on its list: its status stays (set 状態 to 閉鎖 or 未開設 instead)")
        }
        let edits = matches.map { RecordEdit(.delete, featureID: $0.featureID) }
        _ = try storeCall { try store.edit(dataset.id, edits, in: target, by: actor, note: "datastore_delete") }
        return ["resource_id": dataset.id + "-csv", "filters": filterObject]
    }

    /// A JSON value as a cell: text, or a number as written; null is empty.
    static func text(_ value: Any, _ key: String) throws -> String {
        switch value {
        case let text as String: return text
        case is NSNull: return ""
        case let number as NSNumber where !isBoolean(number):
            let double = number.doubleValue
            return double.rounded() == double && abs(double) < 1e15 ? String(Int64(double)) : "\(number)"
        default: throw Failure.validation("\(key): text, a number or null")
        }
    }
}
