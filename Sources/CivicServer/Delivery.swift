import CivicData
import CivicGeo
import CivicStore
import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// What a handler produced: bytes and their type.
struct Payload: Sendable {
    var bytes: [UInt8]
    var contentType: String
    var headers: HTTPFields = [:]
    var status: HTTPResponse.Status = .ok
    /// What the bytes are made of, for keeping them in the cache across a record edit (`Delivery.carrying`).
    var scope: Scope = .everything

    enum Scope: Sendable {
        /// Anything in the catalogue: dropped at every change.
        case everything
        /// These records of one dataset, listed in file order with the dataset's record count: still right after an
        /// edit of other records of it that changes no count.
        case records(dataset: String, ids: Set<String>)
        /// A vector tile of these datasets covering `bounds` (lon/lat, its buffer included): still right after an
        /// edit whose records were and are elsewhere.
        case tile(datasets: Set<String>, bounds: StoredDataset.Envelope)
    }
}

/// What a record edit changed, for the response cache: which records of which dataset, and whether its record count
/// changed (a record created or deleted).
struct EditedRecords: Sendable {
    var dataset: String
    /// The dataset's standard dataset id (a shelter list's edit may change its status table).
    var standard: String
    var ids: Set<String>
    var countChanged: Bool
    /// Where the edited records were and are (their points, or their shapes' boxes; lon/lat); nil when not known —
    /// then every tile of the dataset is made again.
    var places: [StoredDataset.Envelope]? = nil
}

/// Sends payloads the way caches and browsers expect: a strong ETag (answering `If-None-Match` with 304),
/// `Last-Modified` (when the data was loaded), `Cache-Control`, gzip when the client accepts it, and an in-memory
/// cache of GET responses (the data only changes when the server reloads), so repeated pages cost a lookup.
final class Delivery: Sendable {
    final class Entry: Sendable {
        let status: HTTPResponse.Status
        let contentType: String
        let headers: HTTPFields
        /// The bytes as NIO sends them, made once (a cached page is not copied again per request).
        let body: ByteBuffer
        let etag: String
        let scope: Payload.Scope
        let gzipped: Mutex<ByteBuffer?> = Mutex(nil)

        init(_ payload: Payload) {
            scope = payload.scope
            status = payload.status
            contentType = payload.contentType
            headers = payload.headers
            body = ByteBuffer(bytes: payload.bytes)
            if let own = payload.headers[.eTag] {
                // The payload's own tag (a record's, which If-Match compares).
                etag = own
            } else {
                etag = "\"\(String(ContentHash.of(payload.bytes), radix: 16))-\(payload.bytes.count)\""
            }
        }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Keys oldest first from `head` (evicting moves `head`; the array is compacted now and then, not shifted).
        var order: [String] = []
        var head = 0
        var bytes = 0
    }

    private let state = Mutex(State())
    let lastModified: String
    let maximumBytes: Int
    let cacheControl: String

    init(loadedAt: Date, maximumBytes: Int = 256 << 20, maxAge: Int = 60) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        lastModified = formatter.string(from: loadedAt)
        self.maximumBytes = maximumBytes
        cacheControl = "public, max-age=\(maxAge)"
    }

    /// A cache for the catalogue after a record edit: `old`'s entries that the edit leaves right — pages of other
    /// datasets' records, and of this dataset's records that were not edited when no count changed — carried over;
    /// the rest (lists of datasets, merged collections, boxes, filters, counts) made again. Each edit otherwise made
    /// every reader miss at once.
    convenience init(loadedAt: Date, carrying old: Delivery, after edit: EditedRecords) {
        self.init(loadedAt: loadedAt, maximumBytes: old.maximumBytes)
        let kept = old.state.withLock { state in
            state.order[state.head...].compactMap { key -> (String, Entry)? in
                guard let entry = state.entries[key] else { return nil }
                switch entry.scope {
                case .everything: return nil
                case .records(let dataset, let ids):
                    if dataset != edit.dataset { return (key, entry) }
                    return !edit.countChanged && ids.isDisjoint(with: edit.ids) ? (key, entry) : nil
                case .tile(let datasets, let bounds):
                    // Only the tiles that held the records or hold them now are made again.
                    guard datasets.contains(edit.dataset) else { return (key, entry) }
                    guard let places = edit.places else { return nil }
                    return places.contains { $0.intersects(bounds) } ? nil : (key, entry)
                }
            }
        }
        for (key, entry) in kept { remember(entry, key: key) }
    }

    /// Answers `request` with the payload `make` produces (or the cached one). A payload for `audience` that shows
    /// records the public does not see is the reader's alone: never cached here, `private` to other caches.
    /// `key` replaces the request's URI in the cache's key (a tile's, without the version it is pinned to);
    /// `cacheControl` replaces the usual header for this answer.
    func respond(
        _ request: Request,
        cacheable: Bool = true,
        audience: Audience = .everyone,
        key custom: String? = nil,
        cacheControl control: String? = nil,
        _ make: () throws -> Payload
    ) throws -> Response {
        let cacheable = cacheable && audience.cacheable
        // The representation depends on the URI, the host (links) and whether a browser asked (HTML).
        let key = (request.head.authority ?? "") + (custom ?? request.uri.description) + (HTMLPages.wanted(request) ? "#html" : "")
        let entry: Entry
        var hit = false
        if cacheable, let cached = state.withLock({ $0.entries[key] }) {
            entry = cached
            hit = true
        } else {
            entry = Entry(try make())
            if cacheable && entry.status == .ok { remember(entry, key: key) }
        }
        var headers = entry.headers
        // Whether the bytes came from the cache (as CDNs say it): what benchmarks and tests of invalidation look at.
        headers[.xCache] = hit ? "HIT" : "MISS"
        headers[.contentType] = entry.contentType
        headers[.eTag] = entry.etag
        headers[.lastModified] = lastModified
        headers[.cacheControl] = audience.personal ? "private, no-cache" : control ?? cacheControl
        // What status tables show depends on the token too.
        headers[.vary] = audience.hidden.isEmpty && !audience.personal ? "Accept-Encoding" : "Accept-Encoding, Authorization"
        if entry.status == .ok, Delivery.notModified(request, etag: entry.etag) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        if entry.body.readableBytes >= 1024, request.headers[.acceptEncoding]?.contains("gzip") == true {
            let compressed = try entry.gzipped.withLock { cached -> ByteBuffer in
                if let cached { return cached }
                var input = entry.body
                let output = try input.compress(with: .gzip())
                cached = output
                return output
            }
            headers[.contentEncoding] = "gzip"
            return Response(status: entry.status, headers: headers, body: ResponseBody(byteBuffer: compressed))
        }
        return Response(status: entry.status, headers: headers, body: ResponseBody(byteBuffer: entry.body))
    }

    /// Answers `request` with a body streamed by `make` (large files), not cached: the same ETag, 304,
    /// Last-Modified and Cache-Control as cached payloads, without gzip.
    func respondStreamed(
        _ request: Request,
        etag: String,
        contentType: String,
        headers extra: HTTPFields = [:],
        _ make: () async throws -> ResponseBody
    ) async throws -> Response {
        var headers = extra
        headers[.eTag] = etag
        headers[.lastModified] = lastModified
        headers[.cacheControl] = cacheControl
        if Delivery.notModified(request, etag: etag) { return Response(status: .notModified, headers: headers) }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: try await make())
    }

    /// True when the request's `If-None-Match` names `etag` (weakly, as RFC 9110 compares it) or is `*`.
    static func notModified(_ request: Request, etag: String) -> Bool {
        guard let match = request.headers[.ifNoneMatch] else { return false }
        return match == "*"
            || match.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") == etag }
    }

    private func remember(_ entry: Entry, key: String) {
        let size = entry.body.readableBytes
        guard size <= maximumBytes / 8 else { return }
        state.withLock { state in
            if state.entries[key] != nil { return }
            state.entries[key] = entry
            state.order.append(key)
            state.bytes += size
            while state.bytes > maximumBytes, state.head < state.order.count {
                let oldest = state.order[state.head]
                state.head += 1
                state.bytes -= state.entries.removeValue(forKey: oldest)?.body.readableBytes ?? 0
            }
            if state.head > 4096, state.head * 2 > state.order.count {
                state.order.removeFirst(state.head)
                state.head = 0
            }
        }
    }
}

/// A JSON payload.
/// A typed document as JSON: dates as RFC 3339, keys sorted, slashes as they are.
func documentJSON(_ value: some Encodable) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    return Array(try encoder.encode(value))
}

func jsonPayload(_ object: Any, contentType: String = "application/json") throws -> Payload {
    Payload(
        bytes: Array(try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])),
        contentType: contentType
    )
}

extension HTTPField.Name {
    static let xCache = HTTPField.Name("X-Cache")!
}
