import Foundation

/// A thread of its own that produces items ahead of one consumer, through a bounded queue: the row and record
/// read-ahead of the pipeline (`ReadAheadRows`, CivicIngest's `RecordReadAhead`).
///
/// `produce` is called on the thread with a `put` function; it returns when it has nothing more (or `put` said
/// stop), or throws, and the consumer then gets the items put before, then nil or the error. At most `depth` items
/// wait. `stop` (the consumer's; also on deinit) cancels the producer and waits for its thread to end, so whatever the
/// producer touches is the consumer's again afterwards.
package final class ReadAhead<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private let depth: Int
    private var ready: [Item] = []
    private var ended = false
    private var failure: (any Error)?
    private var cancelled = false
    private var running = true

    /// Starts the thread. `produce` gets `put`, which waits while the queue is full and returns false once the
    /// consumer has stopped (then `produce` should return).
    package init(name: String, depth: Int, produce: @escaping @Sendable (_ put: (Item) -> Bool) throws -> Void) {
        self.depth = depth
        let thread = Thread { [self] in
            var error: (any Error)?
            do { try produce(put) } catch let thrown { error = thrown }
            condition.lock()
            ended = true
            failure = error
            running = false
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.stackSize = 4 << 20
        thread.start()
    }

    deinit { stop() }

    private func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= depth && !cancelled { condition.wait() }
        if cancelled { return false }
        ready.append(item)
        condition.broadcast()
        return true
    }

    /// The next item, in order; nil at the end; the producer's error after the items put before it.
    package func next() throws -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !ended { condition.wait() }
        if !ready.isEmpty {
            condition.broadcast()
            return ready.removeFirst()
        }
        if let failure {
            self.failure = nil
            throw failure
        }
        return nil
    }

    /// Stops the producer (when still running) and waits for its thread to end.
    package func stop() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }
}

/// Hands a value that is not Sendable to the one thread that uses it from then on (a reader to its read-ahead thread).
package final class HandedOver<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
