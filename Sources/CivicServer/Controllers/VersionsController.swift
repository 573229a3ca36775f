import CivicData
import CivicGeo
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird

/// Features through time, from the change log (docs/versions.md), in the manner of the OGC proposal for versioned
/// features and Memento (RFC 7089): `…/items/{featureId}/versions` is a feature's time map (each version: its time,
/// what happened, who, the release); `datetime=<instant>` on items and on one feature gives the state at that moment,
/// with `Memento-Datetime` saying when that state began; a feature that was deleted is 410 Gone. Downloads of a
/// dataset at a moment and of its whole history (`DownloadsController`) read the same log.
struct VersionsController: Sendable {
    let store: Store
    let catalogue: Catalogue
    let configuration: ServerConfiguration

    /// The most changes a state at a moment is read from (each is held while the state is made).
    static let maximumChanges = 200_000

    /// True when the path after `…/items/` names a feature's time map (`{featureId}/versions`; a feature ID alone
    /// may be `versions`): it is read only.
    static func isTimeMap(_ path: some BidirectionalCollection<Substring>) -> Bool { path.count > 1 && path.last == "versions" }

    // MARK: One feature

    /// The dataset and record ID a feature ID of `collection` names (`<dataset>/<id>` in a merged collection); 404
    /// when it names no dataset of the collection.
    func record(_ collection: Catalogue.Collection, id: String) throws -> (StoredDataset, String) {
        if collection.isMerged, let slash = id.firstIndex(of: "/"),
            let dataset = collection.datasets.first(where: { $0.id == id[..<slash] })
        {
            return (dataset, String(id[id.index(after: slash)...]))
        }
        guard !collection.isMerged, let dataset = collection.datasets.first else {
            throw APIError.notFound("no feature '\(id)' in collection '\(collection.id)'")
        }
        return (dataset, id)
    }

    /// A feature's versions as `audience` sees them (a status record while it was hidden is not one), oldest first.
    func history(_ collection: Catalogue.Collection, id: String, audience: Audience) throws -> (StoredDataset, [Change]) {
        let (dataset, featureID) = try record(collection, id: id)
        return (dataset, try store.history(dataset.id, featureID: featureID).compactMap(audience.view))
    }

    /// The feature as it was at `moment`, and when that version began: 404 when it did not exist yet, 410 when it
    /// was deleted then.
    func feature(_ collection: Catalogue.Collection, id: String, at moment: Date, audience: Audience) throws -> (StoredFeature, Date) {
        let (dataset, changes) = try history(collection, id: id, audience: audience)
        guard let change = changes.last(where: { $0.at <= moment }) else {
            throw APIError.notFound("feature '\(id)' of collection '\(collection.id)' did not exist at \(Self.format(moment))")
        }
        guard change.kind != .delete else { throw Self.gone(id, collection, at: change.at) }
        return (EditsController.feature(of: change, columns: dataset.columns), change.at)
    }

    /// 410 Gone when the log says the feature (not there now) was deleted; returns when it never was there.
    func requireNotDeleted(_ collection: Catalogue.Collection, id: String, audience: Audience) throws {
        guard let last = try? history(collection, id: id, audience: audience).1.last, last.kind == .delete else { return }
        throw Self.gone(id, collection, at: last.at)
    }

    static func gone(_ id: String, _ collection: Catalogue.Collection, at: Date) -> APIError {
        APIError(
            .gone,
            code: "Gone",
            "feature '\(id)' of collection '\(collection.id)' was deleted at \(format(at)); its versions: /collections/\(collection.id)/items/\(id)/versions"
        )
    }

    /// `GET …/items/{featureId}/versions`: the feature's time map — JSON by default, RFC 7089's link format for
    /// `Accept: application/link-format`.
    func timeMap(_ request: Request, collection: Catalogue.Collection, featureID: String, audience: Audience) throws -> Payload {
        for (name, value) in request.uri.queryParameters where !(name == "f" && value == "json") {
            throw APIError.badParameter("unknown parameter '\(name)' for versions; use f=json")
        }
        let id = featureID.percentDecoded
        let (_, changes) = try history(collection, id: id, audience: audience)
        guard let first = changes.first, let last = changes.last else {
            throw APIError.notFound("no feature '\(id)' in collection '\(collection.id)' has ever been published")
        }
        let original =
            FeaturesController.baseURL(request, configuration: configuration) + "/collections/"
            + FeaturesController.escape(collection.id) + "/items/" + featureID
        let memento = { (change: Change) in original + "?datetime=" + Self.format(change.at) }
        if request.headers[.accept]?.contains("application/link-format") == true {
            var lines = [
                "<\(original)>; rel=\"original\"",
                "<\(original)/versions>; rel=\"self\"; type=\"application/link-format\"; from=\"\(Delivery.httpDate(first.at))\"; until=\"\(Delivery.httpDate(last.at))\"",
            ]
            for (index, change) in changes.enumerated() where change.kind != .delete {
                let rel = index == 0 ? "first memento" : (index == changes.count - 1 ? "last memento" : "memento")
                lines.append("<\(memento(change))>; rel=\"\(rel)\"; datetime=\"\(Delivery.httpDate(change.at))\"")
            }
            return Payload(bytes: Array(lines.joined(separator: ",\n").utf8), contentType: "application/link-format")
        }
        let versions: [[String: Any]] = changes.map { change in
            var version: [String: Any] = [
                "seq": change.seq,
                "datetime": Self.format(change.at),
                "kind": change.kind.rawValue,
                "release": change.release,
                "actor": change.actor,
            ]
            // A deletion has no state to show.
            if change.kind != .delete { version["href"] = memento(change) }
            return version
        }
        return try jsonPayload([
            "id": id,
            "versions": versions,
            "links": [
                link(original, "original", "application/geo+json", "the feature now"),
                link(original + "/versions", "self", "application/json", "its versions"),
            ],
        ])
    }

    // MARK: A collection at a moment

    /// A page of `selector`'s records as they were at `moment` (the query's filters, box, limit and offset), and when
    /// the latest of those versions began (nil: nothing had been published then).
    func page(
        _ collection: Catalogue.Collection,
        selector: CollectionSelector,
        query: FeaturesController.ItemsQuery,
        at moment: Date,
        audience: Audience
    ) throws -> (FeaturePage, Date?) {
        guard query.sortBy.isEmpty else { throw APIError.badParameter("sortby cannot be used with datetime") }
        let (features, latest) = try state(of: selector.members.map(\.datasetID), at: moment, audience: audience)
        let byName = collection.columns
        let matching = features.filter { entry in
            let (dataset, feature) = entry
            for (column, value) in query.filters {
                guard let index = dataset.columns.firstIndex(of: byName[column]), index < feature.values.count, feature.values[index] == value
                else { return false }
            }
            guard let boxes = Optional([query.bbox, query.bboxEast].compactMap { $0 }), !boxes.isEmpty else { return true }
            guard let x = feature.longitude, let y = feature.latitude else { return false }
            return boxes.contains { x >= $0.minX && x <= $0.maxX && y >= $0.minY && y <= $0.maxY }
        }
        let start = min(query.offset, matching.count)
        let end = min(matching.count, start + query.limit)
        return (FeaturePage(features: matching[start..<end].map(\.1), numberMatched: matching.count), latest)
    }

    /// The records of `datasets` at `moment` as `audience` sees them, each with its dataset, in the order they first
    /// appeared, and when the latest of those versions began.
    func state(of datasets: [String], at moment: Date, audience: Audience) throws -> ([(StoredDataset, StoredFeature)], Date?) {
        let state: DatasetState
        do {
            state = try store.state(of: datasets, at: moment, limit: Self.maximumChanges)
        } catch let error as StoreError where error.code == .invalidRequest {
            throw APIError(.unprocessableContent, code: "HistoryTooLong", error.message)
        }
        let byID = Dictionary(catalogue.datasets.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var records: [(StoredDataset, StoredFeature)] = []
        for change in state.records {
            guard let dataset = byID[change.dataset], let seen = audience.view(change), seen.kind != .delete else { continue }
            records.append((dataset, EditsController.feature(of: seen, columns: dataset.columns)))
        }
        return (records, state.latest?.at)
    }

    // MARK: Times

    /// A `datetime` parameter: one instant, RFC 3339 (`2026-12-06T09:30:00+09:00`, `…Z`, fractions of a second
    /// allowed); intervals are a 400.
    static func instant(_ value: String) throws -> Date {
        guard !value.contains("/") else {
            throw APIError.badParameter("datetime must be one instant (RFC 3339, e.g. 2026-12-06T09:30:00+09:00), not an interval")
        }
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        // A '+' of an offset may arrive as a space (form encoding).
        let text = value.replacingOccurrences(of: " ", with: "+")
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else {
            throw APIError.badParameter("datetime must be an instant in RFC 3339 (e.g. 2026-12-06T09:30:00+09:00 or 2026-12-06T00:30:00Z)")
        }
        return date
    }

    /// An instant as the feed writes it (UTC, milliseconds).
    static func format(_ date: Date) -> String { Store.timestamp(date) }

    /// `Memento-Datetime` (when the state shown began; none when there was none yet) and the link to the resource now.
    static func mementoHeaders(_ memento: Date?, original: String) -> HTTPFields {
        var headers: HTTPFields = [.link: "<\(original)>; rel=\"original\""]
        if let memento { headers[.mementoDatetime] = Delivery.httpDate(memento) }
        return headers
    }
}

extension HTTPField.Name {
    /// RFC 7089: the time the state shown began.
    static let mementoDatetime = HTTPField.Name("Memento-Datetime")!
    /// RFC 8288 links (the feature now, its time map).
    static let link = HTTPField.Name("Link")!
}
