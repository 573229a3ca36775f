import CivicData
import CivicIngest
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// OGC API Features Part 4 on each municipality's collections (docs/publishing.md): `POST …/items` creates,
/// `PUT …/items/{id}` replaces (or creates, with an ID), `PATCH` merges (RFC 7396), `DELETE` removes; `OPTIONS` says
/// what the caller's token may do. Each record is checked by the pipeline exactly as a row of a file (an invalid one
/// is refused with the findings, 400), written through the change log in one transaction, with `If-Match` against the
/// record's strong ETag (412 on a mismatch). A publisher's edit is live at once (a release of its own); an editor's
/// joins the dataset's open draft (202). Merged (all-municipality) collections take no edits.
struct EditsController: Sendable {
    let store: Store
    let catalogue: Catalogue
    let authenticator: Authenticator
    let configuration: ServerConfiguration
    let delivery: Delivery
    /// Rebuilds the site after a write (the catalogue, counts and caches change).
    let refresh: @Sendable () -> Void
    /// Rebuilds it after a live record edit, keeping the cached pages the edit leaves right.
    let edited: @Sendable (EditedRecords) -> Void
    /// The change feed's live subscribers (Server-Sent Events).
    let hub: ChangeHub

    /// The largest record body taken (a feature is a few kilobytes).
    static let maximumBodyBytes = 1 << 20

    enum Operation {
        case create, replace, patch, delete
    }

    func addRoutes(to router: Router<CivicRequestContext>) {
        router.post("/collections/:collection/items") { request, context in
            try await self.write(.create, request, context, featureID: nil)
        }
        router.put("/collections/:collection/items/**") { request, context in
            try await self.write(.replace, request, context, featureID: Self.featureID(context))
        }
        router.patch("/collections/:collection/items/**") { request, context in
            try await self.write(.patch, request, context, featureID: Self.featureID(context))
        }
        router.delete("/collections/:collection/items/**") { request, context in
            try await self.write(.delete, request, context, featureID: Self.featureID(context))
        }
        for path in ["/collections/:collection", "/collections/:collection/items"] {
            router.on(RouterPath(path), method: .options) { request, context in
                try self.options(request, context, editing: path.hasSuffix("items") ? ["POST"] : [])
            }
        }
        router.on("/collections/:collection/items/**", method: .options) { request, context in
            // A feature's time map (…/{featureId}/versions) is read only.
            let path = context.parameters.getCatchAll()
            return try self.options(request, context, editing: VersionsController.isTimeMap(path) ? [] : ["PUT", "PATCH", "DELETE"])
        }
        router.get("/collections/:collection/changes") { request, context in
            let id = try context.parameters.require("collection")
            let audience =
                try self.catalogue[id].map { try Audience.of(request, reading: $0.datasets, authenticator: self.authenticator) } ?? .everyone
            if Self.wantsEvents(request) { return try self.events(request, id: id, audience: audience) }
            return try self.delivery.respond(request, audience: audience) { try self.changes(request, id: id, audience: audience) }
        }
    }

    static func featureID(_ context: CivicRequestContext) -> String {
        let raw = context.parameters.getCatchAll().joined(separator: "/")
        return raw.percentDecoded
    }

    // MARK: Writes

    private func write(_ operation: Operation, _ request: Request, _ context: CivicRequestContext, featureID: String?) async throws -> Response {
        let principal = try authenticator.require(request)
        let collection = try collection(context)
        guard !collection.isMerged, let dataset = collection.datasets.first else {
            throw APIError(
                .methodNotAllowed,
                code: "MethodNotAllowed",
                "\(collection.id) merges several municipalities' datasets: edit a record in its municipality's own collection"
            )
        }
        guard principal.may(.editor, write: dataset) else {
            throw APIError(.forbidden, code: "Forbidden", "this token may not edit \(collection.id)")
        }
        let target: EditTarget = principal.may(.publisher, write: dataset) ? .live : .draft
        let body: FeatureBody? = operation == .delete ? nil : try await Self.body(request, patch: operation == .patch)
        // An empty If-Match is no condition (RFC 9110 requires a value).
        let expectedTag = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let actor = Actor.token(principal, origin: ReleasesController.origin(request, context))
        var edit: RecordEdit
        var created = false
        // The record before the edit (nil: a new one).
        var before: EditedRecord?
        var featureID = featureID
        if let given = body?.id {
            // The id cannot change (Part 4): a body's id must be the URL's; a new record may bring its own.
            if let featureID, given != featureID {
                throw APIError.badParameter("the id cannot change: the URL names \(featureID), the body \(given)")
            }
            featureID = given
        }
        if let body {
            let columns = try store.editColumns(dataset.id, in: target)
            let current = try featureID.flatMap { try store.record(dataset.id, id: $0, in: target) }
            before = current
            if operation == .patch && current == nil {
                throw APIError.notFound("no feature '\(featureID ?? "")' in collection '\(collection.id)'")
            }
            var values: [String]
            if dataset.standard == ShelterStatus.schemaID {
                // A shelter's status: the table's rules decide (computed and list-owned columns, times, crowding).
                values = try Self.statusValues(body, replacing: operation == .replace, current: current, columns: columns, by: actor)
            } else {
                values = operation == .patch ? current?.values ?? [] : Array(repeating: "", count: columns.count)
                try body.apply(to: &values, columns: columns, schema: dataset.schema)
            }
            let checked = try Publishing(store: store, configuration: configuration).check(
                values,
                columns: columns,
                of: dataset,
                name: "\(request.method.rawValue) \(request.uri.path)"
            )
            guard checked.isValid else { return try Self.refusal(checked.findings, collection.id) }
            created = current == nil
            edit = RecordEdit(
                operation == .create ? .create : operation == .replace ? .upsert : .replace,
                featureID: featureID,
                values: checked.values,
                longitude: checked.longitude,
                latitude: checked.latitude,
                expectedTag: expectedTag
            )
        } else {
            before = try featureID.flatMap { try store.record(dataset.id, id: $0, in: target) }
            if dataset.standard == ShelterStatus.schemaID, let featureID, let current = try store.record(dataset.id, id: featureID, in: target),
                StatusTables.isListed(current.values, columns: try store.editColumns(dataset.id, in: target))
            {
                throw APIError(
                    .conflict,
                    code: "ListedShelter",
                    "the status of a shelter on its list stays as long as the list holds it: set 状態 to 閉鎖 or 未開設 instead"
                )
            }
            edit = RecordEdit(.delete, featureID: featureID, expectedTag: expectedTag)
        }
        let result = try ReleasesController.storeCall(invalid: .badRequest) {
            try store.edit(dataset.id, [edit], in: target, by: actor, note: nil)
        }
        if target == .live {
            let id = result.records.first??.featureID ?? featureID ?? ""
            // Where the record was and is: the tiles there are made again, the others kept.
            let places = [before, result.records.first ?? nil].compactMap { $0.flatMap(TileMaker.place) }
            edited(
                EditedRecords(
                    dataset: dataset.id,
                    standard: dataset.standard,
                    ids: [id],
                    countChanged: created || operation == .delete,
                    places: places
                )
            )
        }
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        let base = FeaturesController.baseURL(request, configuration: configuration)
        headers[HTTPField.Name("Link")!] =
            "<\(base)/datasets/\(FeaturesController.escape(dataset.id))/releases/\(result.release.number)>; rel=\"version-history\""
        let status: HTTPResponse.Status = target == .draft ? .accepted : created ? .created : operation == .delete ? .noContent : .ok
        guard let record = result.records.first ?? nil else { return Response(status: status, headers: headers) }
        let location = "\(base)/collections/\(FeaturesController.escape(collection.id))/items/\(FeaturesController.escape(record.featureID))"
        if created { headers[.location] = location }
        headers[.eTag] = record.tag
        headers[.contentType] = "application/geo+json"
        var out: [UInt8] = []
        catalogue.renderer(collection).append(
            StoredFeature(
                datasetID: dataset.id,
                featureID: record.featureID,
                line: 0,
                longitude: record.longitude,
                latitude: record.latitude,
                values: record.values,
                geometry: record.geometry
            ),
            to: &out
        )
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: out)))
    }

    /// A status record's values after `body` (`ShelterStatus.apply`): a merge patch's properties as they are; a
    /// replacement empties what it leaves out, except the columns the server and the shelter list keep. Its point
    /// is 緯度 and 経度. 400 with every problem when the rules refuse it.
    static func statusValues(_ body: FeatureBody, replacing: Bool, current: EditedRecord?, columns: [String], by actor: Actor) throws -> [String] {
        typealias Column = ShelterStatus.Column
        var patch: [String: String?] = [:]
        for (name, value) in body.properties ?? [:] {
            switch value {
            case .text(let text): patch[name] = .some(text)
            case .null: patch[name] = .some(nil)
            }
        }
        if body.hasGeometry {
            patch[Column.latitude] = .some(body.point.map { String($0.latitude) })
            patch[Column.longitude] = .some(body.point.map { String($0.longitude) })
        }
        if replacing {
            for column in Column.all where patch[column] == nil && !Column.computed.contains(column) && !Column.linked.contains(column) {
                patch[column] = .some(nil)
            }
        }
        if let id = body.id ?? current?.featureID, patch[Column.id] == nil { patch[Column.id] = .some(id) }
        do {
            return try StatusTables.values(after: patch, to: current, columns: columns, by: actor)
        } catch {
            throw APIError(.badRequest, code: "InvalidRecord", "the status was not changed: \(error.description)")
        }
    }

    /// `OPTIONS`: `Allow` with the methods this caller may use (the edits only with a token that may edit).
    private func options(_ request: Request, _ context: CivicRequestContext, editing: [String]) throws -> Response {
        let principal = try authenticator.principal(request)
        let collection = try collection(context)
        var methods = ["GET", "HEAD", "OPTIONS"]
        if let principal, !collection.isMerged, let dataset = collection.datasets.first, principal.may(.editor, write: dataset) {
            methods += editing
        }
        var headers = HTTPFields()
        headers[.allow] = methods.joined(separator: ", ")
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers)
    }

    private func collection(_ context: CivicRequestContext) throws -> Catalogue.Collection {
        try catalogue.collection(try context.parameters.require("collection"))
    }

    /// The request's JSON body (at most `maximumBodyBytes`: 413), of a JSON type (415 otherwise), as a feature.
    private static func body(_ request: Request, patch: Bool) async throws -> FeatureBody {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let accepted = ["application/json", "application/geo+json", "application/merge-patch+json"]
        if let type, !accepted.contains(type) {
            throw APIError(
                .unsupportedMediaType,
                code: "UnsupportedMediaType",
                "send the record as GeoJSON (application/geo+json\(patch ? " or application/merge-patch+json" : "")), not \(type)"
            )
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodyBytes)
        } catch {
            throw APIError(.contentTooLarge, code: "ContentTooLarge", "a record may have at most \(maximumBodyBytes) bytes")
        }
        do {
            return try JSONDecoder().decode(FeatureBody.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError.badParameter("the body is not a GeoJSON feature: \(DecodingFailure.describe(error))")
        } catch {
            throw APIError.badParameter("the body is not JSON: \(error)")
        }
    }

    /// 400 with the pipeline's findings: what is wrong with the record, field by field.
    private static func refusal(_ findings: [Finding], _ collection: String) throws -> Response {
        struct Refusal: Encodable {
            var code = "InvalidRecord"
            var description: String
            var findings: [Finding]
        }
        let summary = RecordCheck.errorSummary(findings, first: 3)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .badRequest,
            headers: headers,
            body: ResponseBody(
                byteBuffer: ByteBuffer(
                    bytes: try documentJSON(
                        Refusal(description: "the record is not valid for \(collection), nothing was written: \(summary)", findings: findings)
                    )
                )
            )
        )
    }

    // MARK: The change feed

    /// `GET /collections/{id}/changes?since=&limit=`: the records created, updated and deleted (tombstones), oldest
    /// first, each with its sequence number; `next` is the cursor to ask from next.
    private func changes(_ request: Request, id: String, audience: Audience) throws -> Payload {
        let collection = try catalogue.collection(id)
        let query = try FeedQuery(request, collection, takesLimit: true, usage: "for changes; use since, limit, municipality or a property")
        let (since, limit, filter) = (query.since ?? 0, query.limit, query.filter)
        var page = try store.changes(of: query.datasets.map(\.id), since: since, limit: limit)
        // What this reader follows: the next cursor stays the log's.
        page.changes = page.changes.compactMap { audience.view($0).flatMap(filter.view) }
        let renderer = catalogue.renderer(collection)
        let datasets = Dictionary(uniqueKeysWithValues: collection.datasets.map { ($0.id, $0) })
        var out: [UInt8] = []
        JSONBytes.appendASCII(#"{"collection":"#, to: &out)
        JSONBytes.appendString(collection.id, to: &out)
        JSONBytes.appendASCII(#","changes":["#, to: &out)
        for (index, change) in page.changes.enumerated() {
            if index > 0 { out.append(0x2C) }
            let feature = Self.feature(of: change, columns: datasets[change.dataset]?.columns)
            JSONBytes.appendASCII(#"{"seq":"#, to: &out)
            out.append(contentsOf: String(change.seq).utf8)
            JSONBytes.appendASCII(#","type":"#, to: &out)
            JSONBytes.appendString(change.kind.rawValue, to: &out)
            JSONBytes.appendASCII(#","id":"#, to: &out)
            JSONBytes.appendString(renderer.id(of: feature), to: &out)
            JSONBytes.appendASCII(#","release":"#, to: &out)
            out.append(contentsOf: String(change.release).utf8)
            JSONBytes.appendASCII(#","time":"#, to: &out)
            // The store's writer of times, not a formatter made for each change (costly: Store.timestamp).
            JSONBytes.appendString(Store.timestamp(change.at), to: &out)
            JSONBytes.appendASCII(#","feature":"#, to: &out)
            if change.kind == .delete {
                JSONBytes.appendASCII("null", to: &out)
            } else {
                renderer.append(feature, to: &out)
            }
            out.append(0x7D)
        }
        let base = FeaturesController.baseURL(request, configuration: configuration) + "/collections/" + FeaturesController.escape(collection.id)
        JSONBytes.appendASCII(#"],"next":"#, to: &out)
        JSONBytes.appendString(String(page.next), to: &out)
        JSONBytes.appendASCII(#","more":"#, to: &out)
        JSONBytes.appendASCII(page.more ? "true" : "false", to: &out)
        var links = [link(base + "/changes?since=\(since)&limit=\(limit)", "self", "application/json", "these changes")]
        links.append(link(base + "/changes?since=\(page.next)&limit=\(limit)", "next", "application/json", "the changes after these"))
        links.append(link(base, "collection", "application/json", collection.title))
        JSONBytes.appendASCII(#","links":"#, to: &out)
        appendLinks(links, to: &out)
        out.append(0x7D)
        return Payload(bytes: out, contentType: "application/json")
    }

    /// What a follower of the feed asks (the JSON pages and the events alike): from where (`since`), how many
    /// (`limit`, the JSON pages only), which datasets (`municipality`, a merged collection's) and which records
    /// (property filters); `usage` ends the 400 for any other parameter.
    struct FeedQuery {
        var since: Int64?
        var limit = 100
        var datasets: [StoredDataset]
        var filter = ChangeFilter()

        init(_ request: Request, _ collection: Catalogue.Collection, takesLimit: Bool, usage: String) throws {
            datasets = collection.datasets
            for (name, raw) in request.uri.queryParameters {
                let value = raw.percentDecoded
                let name = name.percentDecoded
                switch name {
                case "since":
                    since = try EditsController.cursor(value, "since")
                case "limit" where takesLimit:
                    guard let number = Int(value), (1...10_000).contains(number) else { throw APIError.badParameter("limit must be 1 to 10000") }
                    limit = number
                case "f" where value == "json":
                    continue
                case "municipality" where collection.isMerged:
                    datasets = try EditsController.datasets(of: value, in: collection)
                default:
                    guard collection.columns.contains(name), name != "dataset" else {
                        throw APIError.badParameter("unknown parameter '\(name)' \(usage)")
                    }
                    filter.properties[name] = value
                }
            }
        }
    }

    /// The datasets of a merged collection of municipality `code` (a 6-digit 団体コード): 400 when none.
    static func datasets(of code: String, in collection: Catalogue.Collection) throws -> [StoredDataset] {
        let datasets = collection.datasets.filter { $0.municipalityCode == code }
        guard !datasets.isEmpty else { throw APIError.badParameter("no dataset of municipality \(code) in \(collection.id)") }
        return datasets
    }

    /// True when the request asks for the change feed as Server-Sent Events (`Accept: text/event-stream`).
    static func wantsEvents(_ request: Request) -> Bool { request.headers[.accept]?.contains("text/event-stream") == true }

    /// `GET /collections/{id}/changes` with `Accept: text/event-stream`: the feed as Server-Sent Events, each change a
    /// CloudEvents JSON object (`id:` its sequence number), from `Last-Event-ID` (or `since`; without either, from
    /// now) and then live as the changes are logged (`ChangeHub`), with a comment line every 15 s. `municipality`
    /// keeps a merged collection's changes of one 団体コード.
    private func events(_ request: Request, id: String, audience: Audience) throws -> Response {
        let collection = try catalogue.collection(id)
        let query = try FeedQuery(request, collection, takesLimit: false, usage: "for the change events; use since, municipality or a property")
        let (datasets, filter) = (query.datasets, query.filter)
        var from = query.since
        if let last = request.headers[HTTPField.Name("Last-Event-ID")!] {
            from = try Self.cursor(last.trimmingCharacters(in: .whitespaces), "Last-Event-ID")
        }
        let source = FeaturesController.baseURL(request, configuration: configuration) + "/collections/" + FeaturesController.escape(collection.id)
        let renderer = catalogue.renderer(collection)
        let columns = Dictionary(uniqueKeysWithValues: collection.datasets.map { ($0.id, $0.columns) })
        // Nothing for a change this reader does not follow (hidden from it, or outside its filters).
        let follows = filter
        let render: @Sendable (Change) -> [UInt8] = { change in
            guard let seen = audience.view(change).flatMap(follows.view) else { return [] }
            return Self.cloudEvent(seen, source: source, renderer: renderer, columns: columns[change.dataset] ?? nil)
        }
        let ids = datasets.map(\.id)
        // Readers who see the same events share one rendering of each.
        let key = [source, ids.joined(separator: ","), audience.hidden.keys.sorted().joined(separator: ","), follows.key].joined(separator: "\u{0}")
        let subscription = try hub.subscribe(key: key, datasets: Set(ids), from: from, render: render)
        let hub = self.hub
        let store = self.store
        let start = from ?? subscription.backlogEnd
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                // However the stream ends (the client left, the hub closed it, the server stops), the hub forgets it.
                defer { hub.unsubscribe(subscription) }
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                // What it missed, from the store, up to where the live events take over.
                var cursor = start
                while cursor < subscription.backlogEnd {
                    let page = try store.changes(of: ids, since: cursor, limit: 500)
                    let missed = page.changes.prefix { $0.seq <= subscription.backlogEnd }
                    if !missed.isEmpty { try await writer.write(ByteBuffer(bytes: missed.flatMap(render))) }
                    guard page.more, let last = missed.last, last.seq < subscription.backlogEnd else { break }
                    cursor = last.seq
                }
                // Then everything its mailbox gathers, one write at a time; the server's shutdown ends it.
                try await withGracefulShutdownHandler {
                    while let bytes = await subscription.mailbox.take() { try await writer.write(ByteBuffer(bytes: bytes)) }
                } onGracefulShutdown: {
                    subscription.mailbox.close()
                }
                // Closed by the hub (too far behind) or at shutdown: the client reconnects with Last-Event-ID.
                try await writer.finish(nil)
            }
        )
    }

    /// One change as a Server-Sent Event holding a CloudEvents JSON object: its type the OGC Pub/Sub one
    /// (`org.ogc.api.collection.item.create`, `.update`, `.delete`), its subject the feature id, its data the
    /// feature's new state (null for a deletion).
    static func cloudEvent(_ change: Change, source: String, renderer: FeatureRenderer, columns: [String]?) -> [UInt8] {
        let feature = feature(of: change, columns: columns)
        var out: [UInt8] = []
        JSONBytes.appendASCII("id: ", to: &out)
        out.append(contentsOf: String(change.seq).utf8)
        JSONBytes.appendASCII(#"\#ndata: {"specversion":"1.0","id":"#, to: &out)
        JSONBytes.appendString(String(change.seq), to: &out)
        JSONBytes.appendASCII(#","source":"#, to: &out)
        JSONBytes.appendString(source, to: &out)
        JSONBytes.appendASCII(#","type":"#, to: &out)
        JSONBytes.appendString("org.ogc.api.collection.item." + change.kind.rawValue, to: &out)
        JSONBytes.appendASCII(#","subject":"#, to: &out)
        JSONBytes.appendString(renderer.id(of: feature), to: &out)
        JSONBytes.appendASCII(#","time":"#, to: &out)
        // The store's writer of times, not a formatter made for each change (costly: Store.timestamp).
        JSONBytes.appendString(Store.timestamp(change.at), to: &out)
        JSONBytes.appendASCII(#","datacontenttype":"application/geo+json","data":"#, to: &out)
        if change.kind == .delete {
            JSONBytes.appendASCII("null", to: &out)
        } else {
            renderer.append(feature, to: &out)
        }
        JSONBytes.appendASCII("}\n\n", to: &out)
        return out
    }

    /// A feed's cursor (a change's sequence number, ≥ 0) given as `name`: 400 when it is not one.
    static func cursor(_ value: String, _ name: String) throws -> Int64 {
        guard let number = Int64(value), number >= 0 else { throw APIError.badParameter("\(name) must be a cursor: a change's number (≥ 0)") }
        return number
    }

    /// The record a change left (its values in `columns`, the collection's), as the items pages render records.
    static func feature(of change: Change, columns: [String]?) -> StoredFeature {
        StoredFeature(
            datasetID: change.dataset,
            featureID: change.featureID,
            line: 0,
            longitude: change.longitude,
            latitude: change.latitude,
            values: values(change, as: columns),
            geometry: change.geometry
        )
    }

    /// A change's values in the dataset's columns now (by name, when the change was made with other columns).
    static func values(_ change: Change, as columns: [String]?) -> [String] {
        let values = change.after ?? change.before ?? []
        guard let columns, let own = change.columns, own != columns else { return values }
        return columns.map { name in own.firstIndex(of: name).flatMap { $0 < values.count ? values[$0] : nil } ?? "" }
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// A GeoJSON feature as a client sends it to create, replace or patch a record: its properties (text, numbers,
/// null) and, when present, its geometry (a point in CRS84, or null to remove the location).
struct FeatureBody: Decodable {
    enum Value: Equatable {
        case text(String)
        case null
    }

    var id: String?
    /// nil when the body has no `properties`.
    var properties: [String: Value]?
    /// True when the body has a `geometry` member (null removes the location).
    var hasGeometry = false
    var point: (longitude: Double, latitude: Double)?

    private enum Keys: String, CodingKey {
        case type, id, properties, geometry
    }

    private struct Geometry: Decodable {
        var type: String
        var coordinates: [Double]
    }

    private struct PropertyValue: Decodable {
        var value: Value

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                value = .null
            } else if let text = try? container.decode(String.self) {
                value = .text(text)
            } else if let integer = try? container.decode(Int64.self) {
                value = .text(String(integer))
            } else if let number = try? container.decode(Double.self) {
                value = .text(number.isFinite && number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number))
            } else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "a property's value must be text, a number or null (not true/false, an object or a list)"
                )
            }
        }
    }

    private struct FeatureID: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self.text = text
            } else {
                text = String(try container.decode(Int64.self))
            }
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let type = try container.decodeIfPresent(String.self, forKey: .type), type != "Feature" {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "\"type\" must be \"Feature\", not \"\(type)\"")
        }
        id = try container.decodeIfPresent(FeatureID.self, forKey: .id)?.text
        if container.contains(.properties), try !container.decodeNil(forKey: .properties) {
            properties = try container.decode([String: PropertyValue].self, forKey: .properties).mapValues(\.value)
        }
        if container.contains(.geometry) {
            hasGeometry = true
            if try !container.decodeNil(forKey: .geometry) {
                let geometry = try container.decode(Geometry.self, forKey: .geometry)
                guard geometry.type == "Point", geometry.coordinates.count == 2 || geometry.coordinates.count == 3,
                    geometry.coordinates.allSatisfy(\.isFinite)
                else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .geometry,
                        in: container,
                        debugDescription: "a record's geometry is a Point [longitude, latitude] (lines and polygons: upload a file)"
                    )
                }
                point = (geometry.coordinates[0], geometry.coordinates[1])
            }
        }
    }

    /// Merges the body into `values` (RFC 7396 for a patch: a property sent as null is emptied; the others stay): its
    /// properties by column name, its point into the schema's latitude and longitude columns.
    func apply(to values: inout [String], columns: [String], schema: Schema) throws {
        for (name, value) in properties ?? [:] {
            guard let index = columns.firstIndex(of: name) else {
                throw APIError.badParameter("\(name) is not a property of this collection; its properties are \(columns.joined(separator: ", "))")
            }
            switch value {
            case .text(let text): values[index] = text
            case .null: values[index] = ""
            }
        }
        guard hasGeometry else { return }
        guard let latitudeField = schema.civic.latitudeField, let longitudeField = schema.civic.longitudeField,
            let latitude = columns.firstIndex(of: latitudeField), let longitude = columns.firstIndex(of: longitudeField)
        else {
            throw APIError.badParameter("this collection's records have no latitude and longitude columns: send their location as properties")
        }
        if let point {
            values[latitude] = String(point.latitude)
            values[longitude] = String(point.longitude)
        } else {
            values[latitude] = ""
            values[longitude] = ""
        }
    }
}
