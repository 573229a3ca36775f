import CivicStore
import Foundation
import Synchronization

/// Pushes the change log to Server-Sent Events subscribers (`GET /collections/{id}/changes` with
/// `Accept: text/event-stream`). After every write the site makes (once its routes show it) `poke` reads the changes logged since the last poke — once, for the datasets someone follows — renders each once
/// per subscribed collection, and hands the bytes to that collection's subscribers, in sequence order.
///
/// A subscriber gets every change exactly once: it is registered (and sees every later poke) before its backlog is
/// read from the store, up to the hub's cursor at that moment (`Subscription.backlogEnd`); live changes at or below
/// its floor are not given to it. One that falls more than `capacity` events behind is closed (never silently
/// skipped): it reconnects with `Last-Event-ID` and reads the rest from the store.
final class ChangeHub: Sendable {
    enum Event: Sendable {
        case change(seq: Int64, bytes: [UInt8])
        case heartbeat
    }

    /// What a subscriber was given: its events, and the sequence number its backlog must reach.
    struct Subscription: Sendable {
        var id: UInt64
        var events: AsyncStream<Event>
        /// Changes after `from` up to this one are the subscriber's to read from the store; later ones come as events.
        var backlogEnd: Int64
    }

    private struct Subscriber {
        var floor: Int64
        var continuation: AsyncStream<Event>.Continuation
    }

    /// Subscribers that read the same collection through the same base URL share one rendering of each change.
    private struct Group {
        var datasets: Set<String>
        var render: @Sendable (Change) -> [UInt8]
        var subscribers: [UInt64: Subscriber] = [:]
    }

    private struct State {
        /// Every change up to this one, of the datasets followed, has been handed out.
        var cursor: Int64
        var groups: [String: Group] = [:]
        var next: UInt64 = 0
    }

    private let store: Store
    private let state: Mutex<State>
    /// Events a subscriber may have waiting before it is closed.
    let capacity: Int

    init(store: Store, capacity: Int = 4096) {
        self.store = store
        self.capacity = capacity
        state = Mutex(State(cursor: (try? store.latestChange()) ?? 0))
    }

    /// Registers a subscriber of `datasets` under `key` (rendering with `render`) that has seen every change up to
    /// `from` (nil: none it wants from before now).
    func subscribe(key: String, datasets: Set<String>, from: Int64?, render: @escaping @Sendable (Change) -> [UInt8]) throws -> Subscription {
        let now = try store.latestChange()
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingOldest(capacity))
        return state.withLock { state in
            let id = state.next
            state.next += 1
            let floor = max(from ?? now, state.cursor)
            var group = state.groups[key] ?? Group(datasets: datasets, render: render)
            group.subscribers[id] = Subscriber(floor: floor, continuation: continuation)
            state.groups[key] = group
            continuation.onTermination = { [weak self] _ in self?.unsubscribe(id, key: key) }
            return Subscription(id: id, events: stream, backlogEnd: min(state.cursor, floor))
        }
    }

    private func unsubscribe(_ id: UInt64, key: String) {
        state.withLock { state in
            state.groups[key]?.subscribers[id] = nil
            if state.groups[key]?.subscribers.isEmpty == true { state.groups[key] = nil }
        }
    }

    /// How many subscribers are connected.
    var subscribers: Int { state.withLock { $0.groups.values.reduce(0) { $0 + $1.subscribers.count } } }

    /// Hands the changes logged since the last poke to their subscribers.
    func poke() {
        // Streams closed for falling behind are finished once the lock is let go: finishing one calls its
        // `onTermination`, which takes the lock (`unsubscribe`).
        let closed = state.withLock { state -> [AsyncStream<Event>.Continuation] in
            var closed: [AsyncStream<Event>.Continuation] = []
            let followed = Set(state.groups.values.flatMap(\.datasets))
            guard !followed.isEmpty else {
                state.cursor = (try? store.latestChange()) ?? state.cursor
                return closed
            }
            while true {
                guard let page = try? store.changes(of: followed.sorted(), since: state.cursor, limit: 1000), !page.changes.isEmpty else {
                    return closed
                }
                for change in page.changes {
                    for key in Array(state.groups.keys) {
                        guard var group = state.groups[key], group.datasets.contains(change.dataset) else { continue }
                        let waiting = group.subscribers.filter { $0.value.floor < change.seq }
                        guard !waiting.isEmpty else { continue }
                        // Nothing to send to this group (a change its readers do not follow).
                        let bytes = group.render(change)
                        guard !bytes.isEmpty else { continue }
                        for (id, subscriber) in waiting {
                            if case .dropped = subscriber.continuation.yield(.change(seq: change.seq, bytes: bytes)) {
                                // Too far behind: closed, to resume from the store with Last-Event-ID.
                                group.subscribers[id] = nil
                                closed.append(subscriber.continuation)
                            }
                        }
                        state.groups[key] = group
                    }
                }
                state.cursor = page.next
                if !page.more { return closed }
            }
        }
        for continuation in closed { continuation.finish() }
    }

    /// A comment line to every subscriber, so that proxies and clients see the connection is alive.
    func heartbeat() {
        state.withLock { state in
            for group in state.groups.values {
                for subscriber in group.subscribers.values { subscriber.continuation.yield(.heartbeat) }
            }
        }
    }

    /// Beats every `heartbeat` seconds while the hub exists. It does not poke: a change goes out only after the site
    /// that wrote it has swapped in its new routes (`Site.refresh` pokes then), so that a client reading the record
    /// on the event never gets the page cached before the change (a poke on a timer raced the refresh and sent
    /// the event first: the staff page then showed the old state). Writes by another process on the same store reach
    /// the feed with this server's next refresh, as they reach its pages.
    func start(heartbeat: TimeInterval = 15) {
        Task.detached { [weak self] in
            while true {
                try? await Task.sleep(for: .seconds(heartbeat))
                // Held only for the beat, not across the sleep: a hub no site uses goes, and the loop with it.
                guard let hub = self else { return }
                hub.heartbeat()
            }
        }
    }
}
