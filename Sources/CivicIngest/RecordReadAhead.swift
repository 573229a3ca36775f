public import CivicData
import Foundation

/// Reads a text file's records on a thread of its own (`ReadAhead`) — recognised, validated and normalised — while
/// the caller's thread georeferences and writes the batches before them: `Ingest.run` on two cores. What reading did
/// to the report (findings, counts) travels with each batch and is replayed on the caller's thread before the batch
/// goes on, in the order one thread would have made, so the report is the same byte for byte.
final class RecordReadAhead {
    struct Batch {
        var records: [NormalizedRecord]
        var events: [ReadEvent]
        var progress: (read: Int, total: Int?)
        /// Reading stopped with an error after these events (`next` throws it next): no records to write.
        var failed: Bool
    }

    /// Batches read ahead at most.
    static let depth = 4

    private let ahead: ReadAhead<Batch>

    /// Starts reading `reader` (begun on its report) in batches of `batchSize` records.
    init(_ reader: DatasetReader, batchSize: Int) {
        let handed = HandedOver(reader)
        ahead = ReadAhead(name: "civic.records", depth: RecordReadAhead.depth) { put in
            let reader = handed.value
            while true {
                var records: [NormalizedRecord] = []
                var events: [ReadEvent] = []
                records.reserveCapacity(batchSize)
                var last = false
                do {
                    while records.count < batchSize {
                        guard let record = try reader.next(emitting: { events.append($0) }) else {
                            last = true
                            break
                        }
                        records.append(record)
                    }
                } catch {
                    // As on one thread: what was reported before the error is reported; the records of the
                    // unfinished batch never reach the sinks.
                    _ = put(Batch(records: [], events: events, progress: reader.progress, failed: true))
                    throw error
                }
                if !put(Batch(records: records, events: events, progress: reader.progress, failed: false)) || last { return }
            }
        }
    }

    /// The next batch, in order. After the batch that ends with an error, that error is thrown.
    func next() throws -> Batch? { try ahead.next() }

    /// Stops the thread (when still running) and waits for it to end.
    func stop() { ahead.stop() }
}
