import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Usage of each dataset per day (Japan's day), counted cheaply and without personal data: a download (its CSV,
/// GeoJSON or workbook, its history), or an API request (its OGC API items, a feature, a tile, CKAN's package_show
/// or datastore_search of it), answered 200, 206 or 304 (304s counted apart too: a harvester's or a browser's cache
/// at work). Nothing of the client is kept — no address, no agent, no time finer than the day. The counts are held
/// in memory and added to the store (`usage_daily`) every `flushInterval` and when the server stops: a `kill -9`
/// loses at most that interval's counts, never the store's consistency.
final class UsageCounter: Sendable {
    struct Key: Hashable, Sendable {
        var day: String
        var dataset: String
    }

    private let counts = Mutex<[Key: UsageCount]>([:])
    /// The current day in Japan, made again when the hour changes.
    private let today = Mutex<(hour: Int, day: String)>((-1, ""))

    static let flushInterval: TimeInterval = 30

    /// Counts `path` (with its `query`) answered `status`, when it is a dataset's download or API request.
    func count(path: Substring, query: Substring?, status: Int) {
        guard status == 200 || status == 206 || status == 304, let (dataset, download) = UsageCounter.classify(path, query: query) else { return }
        let key = Key(day: day(), dataset: dataset)
        counts.withLock { counts in
            var count = counts[key] ?? UsageCount()
            if download { count.downloads += 1 } else { count.apiRequests += 1 }
            if status == 304 { count.notModified += 1 }
            counts[key] = count
        }
    }

    /// The dataset a request is of, and whether it is a download (else an API request); nil for the rest.
    static func classify(_ path: Substring, query: Substring?) -> (String, Bool)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return nil }
        func decoded(_ part: Substring) -> String { part.percentDecoded }
        switch parts[0] {
        case "datasets":
            if parts.count == 2 {
                let file = decoded(parts[1])
                for suffix in [".csv", ".geojson", ".xlsx"] where file.hasSuffix(suffix) { return (String(file.dropLast(suffix.count)), true) }
                return nil
            }
            if parts.count == 3, parts[2].hasPrefix("history.") { return (decoded(parts[1]), true) }
            return nil
        case "collections":
            guard parts.count >= 3, parts[2] == "items" || parts[2] == "tiles" else { return nil }
            return (decoded(parts[1]), false)
        case "api":
            guard let action = parts.last, let query else { return nil }
            let key =
                switch action {
                case "package_show": "id"
                case "datastore_search": "resource_id"
                default: ""
                }
            guard !key.isEmpty else { return nil }
            for pair in query.split(separator: "&") {
                let field = pair.split(separator: "=", maxSplits: 1)
                guard field.count == 2, field[0] == key else { continue }
                var id = decoded(field[1])
                if action == "datastore_search", id.hasSuffix("-csv") { id.removeLast(4) }
                return (id, false)
            }
            return nil
        default:
            return nil
        }
    }

    /// The counts not yet in the store (the KPI adds them to the store's).
    var pending: [UsageRow] {
        counts.withLock { counts in counts.map { UsageRow(day: $0.key.day, dataset: $0.key.dataset, count: $0.value) } }
    }

    /// The counts not yet in the store, taken (the counter starts again from zero).
    func take() -> [Key: UsageCount] {
        counts.withLock { counts in
            defer { counts.removeAll(keepingCapacity: true) }
            return counts
        }
    }

    /// Adds the counts to the store; on a failure they are kept for the next flush.
    func flush(to store: Store) {
        let taken = take()
        guard !taken.isEmpty else { return }
        do {
            try store.addUsage(taken.map { UsageRow(day: $0.key.day, dataset: $0.key.dataset, count: $0.value) })
        } catch {
            counts.withLock { counts in
                for (key, value) in taken {
                    var count = counts[key] ?? UsageCount()
                    count.add(value)
                    counts[key] = count
                }
            }
        }
    }

    /// Today in Japan (UTC+9, no daylight saving), YYYY-MM-DD.
    func day() -> String {
        let now = Date()
        let hour = Int((now.timeIntervalSince1970 + 9 * 3600) / 3600)
        return today.withLock { today in
            if today.hour == hour { return today.day }
            today = (hour, DataFolderSync.day(now))
            return today.day
        }
    }

    /// The usage of the last `days` days (today included): the store's and what is not yet flushed.
    func recent(_ days: Int, from store: any UsageStore) -> [UsageRow] {
        let since = DataFolderSync.day(Date().addingTimeInterval(-Double(days - 1) * 86_400))
        return ((try? store.usage(since: since)) ?? []) + pending.filter { $0.day >= since }
    }
}

/// Counts each answered request of the routes (the cached tiles answered before routing count in `DirectAnswers`).
struct UsageMiddleware<Context: RequestContext>: RouterMiddleware {
    let counter: UsageCounter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        if request.method == .get || request.method == .head {
            counter.count(path: Substring(request.uri.path), query: request.uri.query.map { Substring($0) }, status: response.status.code)
        }
        return response
    }
}
