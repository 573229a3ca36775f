public import CivicData
import Foundation

/// Reads a text file's records on a thread of its own — decoding, parsing, recognising, validating and normalising
/// every cell — while the caller's thread georeferences and writes the batches before them: `Ingest.run` on two
/// cores. What reading did to the report (findings, counts) travels with each batch and is replayed on the caller's
/// thread before the batch goes on, in the order one thread would have made, so the report is the same byte for byte.
///
/// At most `depth` batches wait (memory stays bounded). The reader is touched only by the read-ahead thread until
/// it has stopped; `stop` (also on deinit) waits for that.
final class RecordReadAhead: @unchecked Sendable {
    struct Batch {
        var records: [NormalizedRecord]
        var events: [ReadEvent]
        var progress: (read: Int, total: Int?)
        /// Reading stopped with an error after these events (`next` throws it next): no records to write.
        var failed: Bool
    }

    static let depth = 4

    private let reader: DatasetReader
    private let batchSize: Int
    private let condition = NSCondition()
    private var ready: [Batch] = []
    private var failure: (any Error)?
    private var ended = false
    private var cancelled = false
    private var running = true

    /// Starts reading `reader` (begun on its report) in batches of `batchSize` records.
    init(_ reader: DatasetReader, batchSize: Int) {
        self.reader = reader
        self.batchSize = batchSize
        let thread = Thread { [self] in run() }
        thread.name = "civic.read-ahead"
        thread.stackSize = 4 << 20
        thread.start()
    }

    deinit { stop() }

    private func run() {
        var records: [NormalizedRecord] = []
        var events: [ReadEvent] = []
        records.reserveCapacity(batchSize)
        var error: (any Error)?
        while true {
            var last = false
            do {
                while records.count < batchSize {
                    guard let record = try reader.next(emitting: { events.append($0) }) else {
                        last = true
                        break
                    }
                    records.append(record)
                }
            } catch let thrown {
                // As on one thread: what was reported before the error is reported; the records of the unfinished
                // batch never reach the sinks.
                error = thrown
                records = []
                last = true
            }
            let batch = Batch(records: records, events: events, progress: reader.progress, failed: error != nil)
            condition.lock()
            while ready.count >= RecordReadAhead.depth && !cancelled { condition.wait() }
            if cancelled {
                running = false
                condition.broadcast()
                condition.unlock()
                return
            }
            ready.append(batch)
            if last {
                failure = error
                ended = true
                running = false
            }
            condition.broadcast()
            condition.unlock()
            if last { return }
            records = []
            records.reserveCapacity(batchSize)
            events = []
        }
    }

    /// The next batch, in order. After the batch that ends with an error, that error is thrown.
    func next() throws -> Batch? {
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

    /// Stops the thread (when still running) and waits for it to end.
    func stop() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }
}
