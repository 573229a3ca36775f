import CivicData
import CivicStore
import Synchronization

/// Features as an items page writes them (GeoJSON in CRS84), kept by collection and stored record (its version and
/// position, `StoredFeature.key`): a page that holds them again — the same page asked by another client, a box moved a
/// little — copies their bytes instead of writing each property again. Bounded by bytes: two generations, the recent
/// and the one before; when the recent fills half the budget it becomes the older and the older is dropped, and a
/// feature found in the older is moved back to the recent (least recently used features go first).
///
/// Kept per snapshot of the catalogue with the response cache (`Delivery`): a reload or publish starts an empty one,
/// and a record edit carries over every feature but the edited dataset's (a row's values change only by an edit,
/// which the server makes and hears of).
final class RenderedFeatures: Sendable {
    struct Key: Hashable {
        var collection: Int
        var record: Int64
    }

    /// A feature as written, with its id, its dataset and the fingerprint of its bytes (pages' ETags are made of them).
    struct Entry {
        var featureID: String
        var dataset: String
        var bytes: [UInt8]
        var hash: UInt64

        init(featureID: String, dataset: String, bytes: [UInt8]) {
            self.featureID = featureID
            self.dataset = dataset
            self.bytes = bytes
            hash = ContentHash.of(bytes)
        }
    }

    fileprivate struct State {
        var recent: [Key: Entry] = [:]
        var older: [Key: Entry] = [:]
        var recentBytes = 0
        var collections: [String: Int] = [:]
    }

    private let state: Mutex<State>
    let maximumBytes: Int
    /// How many pages were made of kept features alone, nothing read (for tests and benchmarks).
    let pagesWithoutReading = Atomic<Int>(0)

    init(maximumBytes: Int) {
        self.maximumBytes = maximumBytes
        state = Mutex(State())
    }

    /// A cache holding `old`'s features but those of `dataset` (which an edit changed).
    init(carrying old: RenderedFeatures, without dataset: String) {
        maximumBytes = old.maximumBytes
        let kept = old.state.withLock { old in
            var kept = State(collections: old.collections)
            kept.older = old.older.filter { $0.value.dataset != dataset }
            kept.recent = old.recent.filter { $0.value.dataset != dataset }
            kept.recentBytes = kept.recent.values.reduce(0) { $0 + $1.bytes.count }
            return kept
        }
        state = Mutex(kept)
    }

    /// The collection's tag in keys and the bytes kept for each record of `records` (nil: not kept), in one lock.
    func lookup(collection: String, records: [Int64]) -> (collection: Int, found: [Entry?]) {
        state.withLock { state in
            let tag = state.tag(collection)
            return (tag, records.map { state.find(Key(collection: tag, record: $0), budget: maximumBytes) })
        }
    }

    /// Every record of `records` as kept, or nil when one is not.
    func all(collection: String, records: [Int64]) -> [Entry]? {
        state.withLock { state in
            let tag = state.tag(collection)
            var entries: [Entry] = []
            entries.reserveCapacity(records.count)
            for record in records {
                guard let entry = state.find(Key(collection: tag, record: record), budget: maximumBytes) else { return nil }
                entries.append(entry)
            }
            pagesWithoutReading.add(1, ordering: .relaxed)
            return entries
        }
    }

    /// Keeps features just written.
    func remember(collection: Int, _ features: [(record: Int64, entry: Entry)]) {
        guard !features.isEmpty else { return }
        state.withLock { state in
            for feature in features where feature.record != 0 && feature.entry.bytes.count <= maximumBytes / 64 {
                state.add(Key(collection: collection, record: feature.record), feature.entry, budget: maximumBytes)
            }
        }
    }

    /// How many features are kept, and their bytes (for tests and the benchmark's notes).
    var count: (features: Int, bytes: Int) {
        state.withLock { state in
            (state.recent.count + state.older.count, state.recentBytes + state.older.values.reduce(0) { $0 + $1.bytes.count })
        }
    }
}

extension RenderedFeatures.State {
    fileprivate mutating func tag(_ collection: String) -> Int {
        if let known = collections[collection] { return known }
        collections[collection] = collections.count
        return collections.count - 1
    }

    /// The entry of `key`, moved to the recent generation when found in the older.
    fileprivate mutating func find(_ key: RenderedFeatures.Key, budget: Int) -> RenderedFeatures.Entry? {
        guard key.record != 0 else { return nil }
        if let entry = recent[key] { return entry }
        guard let entry = older.removeValue(forKey: key) else { return nil }
        add(key, entry, budget: budget)
        return entry
    }

    fileprivate mutating func add(_ key: RenderedFeatures.Key, _ entry: RenderedFeatures.Entry, budget: Int) {
        if let replaced = recent.updateValue(entry, forKey: key) { recentBytes -= replaced.bytes.count }
        recentBytes += entry.bytes.count
        if recentBytes > budget / 2 {
            older = recent
            recent = [:]
            recentBytes = 0
        }
    }
}
