import CivicData
import CivicStore
import Synchronization

/// Features as an items page writes them (GeoJSON in CRS84), kept by collection and stored record (its version and
/// position, `StoredFeature.key`): a page that holds them again — the same page asked by another client, a box moved a
/// little — copies their bytes instead of writing each property again. Bounded by bytes: two generations, the recent
/// and the one before; when the recent fills half the budget it becomes the older and the older is dropped, and a
/// feature found in the older is moved back to the recent (least recently used features go first).
///
/// A feature is kept the second time a page writes it, not the first (a doorkeeper, as TinyLFU's: one bit per
/// record, cleared after about twice as many features as the budget holds): a client paging through a whole
/// collection once would otherwise pay for keeping every feature and push out the ones pages ask again.
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

        init(featureID: String, dataset: String, bytes: [UInt8], hash: UInt64? = nil) {
            self.featureID = featureID
            self.dataset = dataset
            self.bytes = bytes
            self.hash = hash ?? ContentHash.of(bytes)
        }
    }

    fileprivate struct State {
        var recent: [Key: Entry] = [:]
        var older: [Key: Entry] = [:]
        var recentBytes = 0
        var collections: [String: Int] = [:]
        /// The doorkeeper's bits (records written once since it was last cleared) and how many it has set.
        var seen = [UInt64](repeating: 0, count: RenderedFeatures.doorkeeperWords)
        var seenCount = 0
        /// A bit for each kept feature's key (set when kept, made again when a generation goes): a page of features
        /// not kept — a client paging through everything — is answered without probing the tables.
        var kept = [UInt64](repeating: 0, count: RenderedFeatures.doorkeeperWords)
    }

    private let state: Mutex<State>
    let maximumBytes: Int
    /// How many pages were made of kept features alone, nothing read (for tests and benchmarks).
    let pagesWithoutReading = Atomic<Int>(0)

    /// 2^21 bits (256 KiB) for the doorkeeper, and as many for the kept features.
    static let doorkeeperWords = 1 << 15

    /// A key's word and bit in those bit sets (a multiplicative hash, no Hasher: this runs for every feature written);
    /// `second`: another, independent of the first.
    static func bit(_ key: Key, second: Bool = false) -> (word: Int, bit: UInt64) {
        let mixed = (UInt64(bitPattern: key.record) &+ UInt64(key.collection) &* 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        let index = Int(truncatingIfNeeded: second ? (mixed >> 16) & 0x1F_FFFF : mixed >> 43)
        return (index >> 6, 1 << UInt64(index & 63))
    }

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
            kept.seen = old.seen
            kept.seenCount = old.seenCount
            kept.markKept()
            return kept
        }
        state = Mutex(kept)
    }

    /// The features kept for `records` (nil: not kept) and whether each one not kept is to be kept once written (it
    /// was written once before), with the collection's tag for `remember`, in one lock.
    func lookup(collection: String, records: [Int64]) -> (collection: Int, found: [Entry?], admit: [Bool]) {
        var dropped: [Key: Entry] = [:]
        let answer = state.withLock { state in
            let tag = state.tag(collection)
            var admit = [Bool](repeating: false, count: records.count)
            let found = records.enumerated().map { index, record -> Entry? in
                let key = Key(collection: tag, record: record)
                if let entry = state.find(key, budget: maximumBytes, dropped: &dropped) { return entry }
                admit[index] = record != 0 && state.sawBefore(key, clearingAfter: maximumBytes / 512)
                return nil
            }
            return (tag, found, admit)
        }
        return answer
    }

    /// Every record of `records` as kept, or nil when one is not.
    func all(collection: String, records: [Int64]) -> [Entry]? {
        var dropped: [Key: Entry] = [:]
        let entries = state.withLock { state -> [Entry]? in
            let tag = state.tag(collection)
            var entries: [Entry] = []
            entries.reserveCapacity(records.count)
            for record in records {
                guard let entry = state.find(Key(collection: tag, record: record), budget: maximumBytes, dropped: &dropped) else { return nil }
                entries.append(entry)
            }
            return entries
        }
        if entries != nil { pagesWithoutReading.add(1, ordering: .relaxed) }
        return entries
    }

    /// Keeps features just written (those `lookup` admitted).
    func remember(collection: Int, _ features: [(record: Int64, entry: Entry)]) {
        guard !features.isEmpty else { return }
        var dropped: [Key: Entry] = [:]
        state.withLock { state in
            for feature in features where feature.record != 0 && feature.entry.bytes.count <= maximumBytes / 64 {
                state.add(Key(collection: collection, record: feature.record), feature.entry, budget: maximumBytes, dropped: &dropped)
            }
        }
        // A dropped generation is freed when `dropped` goes, after the lock, not while readers wait for it.
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
    fileprivate mutating func find(
        _ key: RenderedFeatures.Key,
        budget: Int,
        dropped: inout [RenderedFeatures.Key: RenderedFeatures.Entry]
    ) -> RenderedFeatures.Entry? {
        guard key.record != 0 else { return nil }
        let (word, bit) = RenderedFeatures.bit(key)
        guard kept[word] & bit != 0 else { return nil }
        if let entry = recent[key] { return entry }
        guard let entry = older.removeValue(forKey: key) else { return nil }
        add(key, entry, budget: budget, dropped: &dropped)
        return entry
    }

    fileprivate mutating func add(
        _ key: RenderedFeatures.Key,
        _ entry: RenderedFeatures.Entry,
        budget: Int,
        dropped: inout [RenderedFeatures.Key: RenderedFeatures.Entry]
    ) {
        if let replaced = recent.updateValue(entry, forKey: key) { recentBytes -= replaced.bytes.count }
        recentBytes += entry.bytes.count
        let (word, bit) = RenderedFeatures.bit(key)
        kept[word] |= bit
        if recentBytes > budget / 2 {
            // The older generation goes (freed by the caller, outside the lock); the next recent starts as large as
            // this one grew, so that it is not rehashed as it fills.
            let capacity = recent.count
            swap(&older, &recent)
            swap(&dropped, &recent)
            recent.removeAll()
            recent.reserveCapacity(capacity)
            recentBytes = 0
            markKept()
        }
    }

    /// Sets the kept bits of the features kept, and only theirs.
    fileprivate mutating func markKept() {
        for index in kept.indices { kept[index] = 0 }
        for key in older.keys {
            let (word, bit) = RenderedFeatures.bit(key)
            kept[word] |= bit
        }
        for key in recent.keys {
            let (word, bit) = RenderedFeatures.bit(key)
            kept[word] |= bit
        }
    }

    /// True when `key` was written since the doorkeeper was last cleared; marks it written. Cleared after `limit`
    /// records (the budget's worth twice over, at about 1 KB a feature).
    fileprivate mutating func sawBefore(_ key: RenderedFeatures.Key, clearingAfter limit: Int) -> Bool {
        let (first, firstBit) = RenderedFeatures.bit(key)
        let (second, secondBit) = RenderedFeatures.bit(key, second: true)
        let seenBefore = seen[first] & firstBit != 0 && seen[second] & secondBit != 0
        if !seenBefore {
            seen[first] |= firstBit
            seen[second] |= secondBit
            seenCount += 1
            if seenCount > max(limit, 1024) {
                for index in seen.indices { seen[index] = 0 }
                seenCount = 0
            }
        }
        return seenBefore
    }
}
