import CivicStore
import Foundation
import Synchronization

/// Pushes the change log to Server-Sent Events subscribers (`GET /collections/{id}/changes` with
/// `Accept: text/event-stream`). After every write the site makes (once its routes show it) `poke` reads the changes
/// logged since the last poke — once, for the datasets someone follows — renders each once per group of subscribers
/// that see the same events, and appends the bytes to each subscriber's mailbox, in sequence order.
///
/// A subscriber's connection takes everything its mailbox holds in one write (`Mailbox.take`): while it writes,
/// later events gather, so a busy server writes fewer, larger chunks instead of one per event per subscriber — with
/// 1,000 subscribers one write each per event was the server's limit (bench/status).
///
/// A subscriber gets every change exactly once: it is registered (and sees every later poke) before its backlog is
/// read from the store, up to the hub's cursor at that moment (`Subscription.backlogEnd`); live changes at or below
/// its floor are not given to it. One that falls more than `capacity` events behind is closed after what it has
/// (never silently skipped): it reconnects with `Last-Event-ID` and reads the rest from the store. `close` ends every
/// subscription (graceful shutdown).
final class ChangeHub: Sendable {
    /// What a subscriber was given: its mailbox, and the sequence number its backlog must reach.
    struct Subscription: Sendable {
        var id: UInt64
        var mailbox: Mailbox
        /// Changes after `from` up to this one are the subscriber's to read from the store; later ones come by mail.
        var backlogEnd: Int64
        var key: String
    }

    private struct Subscriber {
        var floor: Int64
        var mailbox: Mailbox
    }

    /// Subscribers that read the same events through the same base URL share one rendering of each change.
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
        var closed = false
    }

    private let store: Store
    private let state: Mutex<State>
    /// Events a subscriber may have waiting before it is closed.
    let capacity: Int

    /// Asks the hub's task to poke (at most one waiting: one poke reads every change logged before it).
    private let signals: AsyncStream<Void>.Continuation

    init(store: Store, capacity: Int = 4096) {
        self.store = store
        self.capacity = capacity
        state = Mutex(State(cursor: (try? store.latestChange()) ?? 0))
        let (stream, signals) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.signals = signals
        Task.detached { [weak self] in
            for await _ in stream {
                guard let hub = self else { return }
                hub.poke()
            }
        }
    }

    deinit { signals.finish() }

    /// Pokes soon, on the hub's own task: the write that signals does not wait while its change is handed to every
    /// subscriber (with 1,000 of them a PATCH's answer waited behind the fan-out).
    func signal() { signals.yield() }

    /// Registers a subscriber of `datasets` under `key` (rendering with `render`) that has seen every change up to
    /// `from` (nil: none it wants from before now).
    func subscribe(key: String, datasets: Set<String>, from: Int64?, render: @escaping @Sendable (Change) -> [UInt8]) throws -> Subscription {
        let now = try store.latestChange()
        let mailbox = Mailbox(capacity: capacity)
        return state.withLock { state in
            let id = state.next
            state.next += 1
            let floor = max(from ?? now, state.cursor)
            if state.closed {
                mailbox.close()
            } else {
                var group = state.groups[key] ?? Group(datasets: datasets, render: render)
                group.subscribers[id] = Subscriber(floor: floor, mailbox: mailbox)
                state.groups[key] = group
            }
            return Subscription(id: id, mailbox: mailbox, backlogEnd: min(state.cursor, floor), key: key)
        }
    }

    /// Forgets a subscriber (its connection ended).
    func unsubscribe(_ subscription: Subscription) {
        state.withLock { state in
            state.groups[subscription.key]?.subscribers[subscription.id] = nil
            if state.groups[subscription.key]?.subscribers.isEmpty == true { state.groups[subscription.key] = nil }
        }
    }

    /// How many subscribers are connected.
    var subscribers: Int { state.withLock { $0.groups.values.reduce(0) { $0 + $1.subscribers.count } } }

    /// Hands the changes logged since the last poke to their subscribers.
    func poke() {
        let woken = state.withLock { state -> [Mailbox] in
            var woken: [Mailbox] = []
            let followed = Set(state.groups.values.flatMap(\.datasets))
            guard !followed.isEmpty else {
                state.cursor = (try? store.latestChange()) ?? state.cursor
                return woken
            }
            while true {
                guard let page = try? store.changes(of: followed.sorted(), since: state.cursor, limit: 1000), !page.changes.isEmpty else {
                    return woken
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
                            switch subscriber.mailbox.post(bytes) {
                            case .woke: woken.append(subscriber.mailbox)
                            case .queued: break
                            case .closed:
                                // Too far behind: closed after what it has, to resume from the store with Last-Event-ID.
                                group.subscribers[id] = nil
                                woken.append(subscriber.mailbox)
                            }
                        }
                        state.groups[key] = group
                    }
                }
                state.cursor = page.next
                if !page.more { return woken }
            }
        }
        // Writers resumed once the lock is let go.
        for mailbox in woken { mailbox.wake() }
    }

    /// A comment line to every subscriber, so that proxies and clients see the connection is alive (and a
    /// connection whose client left is found and ended).
    func heartbeat() {
        let mailboxes = state.withLock { state in state.groups.values.flatMap { $0.subscribers.values.map(\.mailbox) } }
        for mailbox in mailboxes { mailbox.beat() }
    }

    /// Ends every subscription after what it has (the server is shutting down); later ones end at once.
    func close() {
        let mailboxes = state.withLock { state -> [Mailbox] in
            state.closed = true
            defer { state.groups = [:] }
            return state.groups.values.flatMap { $0.subscribers.values.map(\.mailbox) }
        }
        for mailbox in mailboxes { mailbox.close() }
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

/// One subscriber's events waiting to be written: bytes appended by the hub, taken all at once by the connection.
final class Mailbox: Sendable {
    enum Posted {
        /// Queued, and the writer was waiting: it must be woken (`wake`, outside the hub's lock).
        case woke
        /// Queued for a writer that is busy writing.
        case queued
        /// Too many waiting: closed after what it has.
        case closed
    }

    private struct State {
        var pending: [UInt8] = []
        var count = 0
        var heartbeat = false
        var closed = false
        var waiter: CheckedContinuation<[UInt8]?, Never>?
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func post(_ bytes: [UInt8]) -> Posted {
        state.withLock { state in
            guard !state.closed else { return .closed }
            guard state.count < capacity else {
                // Too far behind: what it has is written, then the stream ends (the rest is read from the store).
                state.closed = true
                return .closed
            }
            state.pending += bytes
            state.count += 1
            return state.waiter == nil ? .queued : .woke
        }
    }

    /// A heartbeat comment, written when nothing else is waiting.
    func beat() {
        state.withLock { $0.heartbeat = true }
        wake()
    }

    func close() {
        state.withLock { $0.closed = true }
        wake()
    }

    /// Resumes a waiting writer with what is there.
    func wake() {
        let (waiter, bytes) = state.withLock { state -> (CheckedContinuation<[UInt8]?, Never>?, [UInt8]?) in
            guard let waiter = state.waiter, let bytes = Mailbox.drain(&state) else { return (nil, nil) }
            state.waiter = nil
            return (waiter, bytes)
        }
        if let waiter { waiter.resume(returning: bytes ?? nil) }
    }

    /// Everything waiting, once there is something; nil when closed and empty (the stream ends).
    func take() async -> [UInt8]? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [UInt8]?? in
                if let bytes = Mailbox.drain(&state) { return .some(bytes) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// What a writer takes now: the pending events (or a heartbeat), `.some(nil)` at the end, nil when nothing.
    private static func drain(_ state: inout State) -> [UInt8]?? {
        if !state.pending.isEmpty {
            defer {
                state.pending = []
                state.count = 0
                state.heartbeat = false
            }
            return .some(state.pending)
        }
        if state.closed { return .some(nil) }
        if state.heartbeat {
            state.heartbeat = false
            return .some(Array(": heartbeat\n\n".utf8))
        }
        return .none
    }
}
