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
    /// The bytes as NIO sends them, when the handler wrote them there (`bytes` is then empty).
    var buffer: ByteBuffer? = nil
    /// A strong tag made from fingerprints of the bytes' parts (a page of features kept with theirs, sparing a hash
    /// of every byte); nil: the bytes are hashed.
    var etag: String? = nil

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

        /// The body gzip-compressed, made at the first request that accepts it and kept.
        func compressed() throws -> ByteBuffer {
            try gzipped.withLock { cached in
                if let cached { return cached }
                var input = body
                let output = try input.compress(with: .gzip())
                cached = output
                return output
            }
        }

        init(_ payload: Payload) {
            scope = payload.scope
            status = payload.status
            contentType = payload.contentType
            headers = payload.headers
            body = payload.buffer ?? ByteBuffer(bytes: payload.bytes)
            if let own = payload.headers[.eTag] ?? payload.etag {
                // The payload's own tag (a record's, which If-Match compares; a page's made of its features').
                etag = own
            } else {
                let hash = body.withUnsafeReadableBytes { ContentHash.of(raw: $0) }
                etag = "\"\(String(hash, radix: 16))-\(body.readableBytes)\""
            }
        }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Keys oldest first from `head` (evicting moves `head`; the array is compacted now and then, not shifted).
        var order: [String] = []
        var head = 0
        var bytes = 0
        /// Host and URI → the entry answering it before routing (`respond(direct:)`).
        var direct: [String: Direct] = [:]
    }

    private let state = Mutex(State())
    /// How many requests `directAnswer` answered (for tests and benchmarks).
    let directAnswered = Atomic<Int>(0)
    let lastModified: String
    /// The catalogue's last change in whole seconds (HTTP dates have no finer), for `If-Modified-Since`.
    let modifiedSecond: TimeInterval
    let maximumBytes: Int
    let cacheControl: String
    /// Features as items pages wrote them, for pages not cached whole (`RenderedFeatures`).
    let renders: RenderedFeatures

    init(loadedAt: Date, maximumBytes: Int = 256 << 20, maxAge: Int = 60, renders: RenderedFeatures? = nil) {
        lastModified = Delivery.httpDate(loadedAt)
        modifiedSecond = loadedAt.timeIntervalSince1970.rounded(.down)
        self.maximumBytes = maximumBytes
        cacheControl = "public, max-age=\(maxAge)"
        self.renders = renders ?? RenderedFeatures(maximumBytes: maximumBytes / 4)
    }

    /// A cache for the catalogue after a record edit: `old`'s entries that the edit leaves right — pages of other
    /// datasets' records, and of this dataset's records that were not edited when no count changed — carried over;
    /// the rest (lists of datasets, merged collections, boxes, filters, counts) made again. Each edit otherwise made
    /// every reader miss at once.
    convenience init(loadedAt: Date, carrying old: Delivery, after edit: EditedRecords) {
        self.init(loadedAt: loadedAt, maximumBytes: old.maximumBytes, renders: RenderedFeatures(carrying: old.renders, without: edit.dataset))
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
    /// `cacheControl` replaces the usual header for this answer. `direct`: the answer depends on nothing but the
    /// request's URI, host, `Accept-Encoding` and `If-None-Match` when it carries no credentials — later such requests
    /// for the same URI are answered from the cache before routing (`DirectAnswers`).
    func respond(
        _ request: Request,
        cacheable: Bool = true,
        audience: Audience = .everyone,
        key custom: String? = nil,
        cacheControl control: String? = nil,
        direct: Bool = false,
        _ make: () throws -> Payload
    ) throws -> Response {
        let cacheable = cacheable && audience.cacheable
        // The representation depends on the URI, the host (links) and whether a browser asked (HTML).
        let html = HTMLPages.wanted(request)
        let key = (request.head.authority ?? "") + (custom ?? request.uri.description) + (html ? "#html" : "")
        let entry: Entry
        var hit = false
        if cacheable, let cached = state.withLock({ $0.entries[key] }) {
            entry = cached
            hit = true
        } else {
            entry = Entry(try make())
            if cacheable && entry.status == .ok { remember(entry, key: key) }
        }
        let answer = try self.answer(entry, hit: hit, request: request.headers, audience: audience, cacheControl: control, dated: cacheable)
        if direct, cacheable, entry.status == .ok, !html, !DirectAnswers.carriesCredentials(request.headers) {
            let target = (request.head.authority ?? "") + request.uri.description
            let plain = headers(entry, hit: true, audience: audience, cacheControl: control)
            var gzipped = plain
            gzipped[.contentEncoding] = "gzip"
            let direct = Direct(key: key, audience: audience, cacheControl: control, plain: plain, gzipped: gzipped)
            state.withLock { state in
                if state.direct.count >= Delivery.maximumDirect { state.direct.removeAll(keepingCapacity: true) }
                state.direct[target] = direct
            }
        }
        guard let body = answer.body else { return Response(status: answer.status, headers: answer.headers) }
        return Response(status: answer.status, headers: answer.headers, body: ResponseBody(byteBuffer: body))
    }

    /// A cached answer recorded by a route as depending on the URI alone (`respond(direct:)`), with its headers as
    /// sent from the cache, made once: plain and gzip-compressed.
    struct Direct: Sendable {
        var key: String
        var audience: Audience
        var cacheControl: String?
        var plain: HTTPFields
        var gzipped: HTTPFields
    }

    /// At most this many URIs answered before routing (then the record starts again; the entries stay cached).
    static let maximumDirect = 100_000

    /// The answer to a GET of `target` (host and URI) without credentials, from the cache, if a route recorded it
    /// as depending on the URI alone and it is still cached: its status, headers and body (nil for a 304).
    func directAnswer(_ target: String, request headers: HTTPFields) throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer?)?
    {
        guard
            let (entry, direct) = state.withLock({ state -> (Entry, Direct)? in
                guard let direct = state.direct[target], let entry = state.entries[direct.key] else { return nil }
                return (entry, direct)
            })
        else { return nil }
        directAnswered.add(1, ordering: .relaxed)
        if headers[.ifNoneMatch] != nil || headers[.ifModifiedSince] != nil {
            return try answer(entry, hit: true, request: headers, audience: direct.audience, cacheControl: direct.cacheControl)
        }
        if entry.body.readableBytes >= Delivery.compressAbove, Delivery.acceptsGzip(headers) {
            return (entry.status, direct.gzipped, try entry.compressed())
        }
        return (entry.status, direct.plain, entry.body)
    }

    /// Bodies smaller than this are sent as they are.
    static let compressAbove = 1024

    /// True when `Accept-Encoding` names gzip (looked for in its bytes: this runs for every cached tile).
    static func acceptsGzip(_ headers: HTTPFields) -> Bool {
        guard let value = headers[.acceptEncoding] else { return false }
        return value.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.count >= 4
                && (0...(bytes.count - 4)).contains { i in bytes[i] == 0x67 && bytes[i + 1] == 0x7A && bytes[i + 2] == 0x69 && bytes[i + 3] == 0x70 }
        } ?? value.contains("gzip")
    }

    /// The headers of an answer from `entry` (before a 304 or gzip): ETag, Last-Modified, Cache-Control, Vary,
    /// X-Cache.
    private func headers(_ entry: Entry, hit: Bool, audience: Audience, cacheControl control: String?) -> HTTPFields {
        var headers = entry.headers
        // Whether the bytes came from the cache (as CDNs say it): what benchmarks and tests of invalidation look at.
        headers[.xCache] = hit ? "HIT" : "MISS"
        headers[.contentType] = entry.contentType
        headers[.eTag] = entry.etag
        headers[.lastModified] = lastModified
        headers[.cacheControl] = audience.personal ? "private, no-cache" : control ?? cacheControl
        // What status tables show depends on the token too.
        headers[.vary] = audience.hidden.isEmpty && !audience.personal ? "Accept-Encoding" : "Accept-Encoding, Authorization"
        return headers
    }

    /// The status, headers and body (nil: none) answering a request with these headers from `entry`: ETag and 304,
    /// Last-Modified, Cache-Control, Vary, X-Cache, and gzip (kept with the entry) when accepted.
    private func answer(
        _ entry: Entry,
        hit: Bool,
        request: HTTPFields,
        audience: Audience,
        cacheControl control: String?,
        dated: Bool = true
    ) throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer?) {
        var headers = headers(entry, hit: hit, audience: audience, cacheControl: control)
        // An answer made anew each time (usage counts, logs) changes without the catalogue: no Last-Modified, and
        // If-Modified-Since is not answered by the catalogue's date.
        if !dated { headers[.lastModified] = nil }
        if entry.status == .ok, Delivery.notModified(request, etag: entry.etag, modified: dated ? modifiedSecond : nil) {
            headers[.contentType] = nil
            return (.notModified, headers, nil)
        }
        if entry.body.readableBytes >= Delivery.compressAbove, Delivery.acceptsGzip(request) {
            headers[.contentEncoding] = "gzip"
            return (entry.status, headers, try entry.compressed())
        }
        return (entry.status, headers, entry.body)
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
        if Delivery.notModified(request.headers, etag: etag, modified: modifiedSecond) { return Response(status: .notModified, headers: headers) }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: try await make())
    }

    /// An HTTP-date (IMF-fixdate, RFC 9110 §5.6.7): `Last-Modified`, `Date`, `Memento-Datetime`.
    static func httpDate(_ date: Date) -> String { httpDateFormatter().string(from: date) }

    /// HTTP's date form, IMF-fixdate (`Sun, 06 Dec 2026 14:00:00 GMT`), made for each use (DateFormatter is not
    /// Sendable).
    private static func httpDateFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }

    /// True when the request's `If-None-Match` names `etag` (weakly, as RFC 9110 compares it) or is `*`; without
    /// If-None-Match, when its `If-Modified-Since` is at or after `modified` (the catalogue's last change, in seconds:
    /// no data changed since — RFC 9110 §13.1.3; harvesters and web caches send it with the Last-Modified they got).
    static func notModified(_ request: HTTPFields, etag: String, modified: TimeInterval? = nil) -> Bool {
        if let match = request[.ifNoneMatch] {
            return match == "*"
                || match.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") == etag }
        }
        guard let modified, let since = request[.ifModifiedSince].flatMap(Delivery.parseHTTPDate) else { return false }
        return modified <= since.timeIntervalSince1970
    }

    /// An IMF-fixdate (`Sun, 06 Dec 2026 14:00:00 GMT`); nil for another form (RFC 9110 says to ignore the header).
    static func parseHTTPDate(_ text: String) -> Date? { httpDateFormatter().date(from: text) }

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
