import Foundation

/// Reads a CSV file's rows ahead, on a thread of its own: decoding (CP932 through iconv, UTF-8 validation) and
/// parsing run beside the validation, georeferencing and writing of the rows before them, so a conversion uses two
/// cores. The rows, their order, their lines and any error come out exactly as the wrapped reader gives them (an
/// error after the rows read before it), so the records and the report are the same as reading on one thread.
///
/// Memory stays bounded: at most `depth` batches of `batchRows` rows wait. The wrapped reader is touched only by the
/// read-ahead thread until it has stopped; `describe` (the report's source section) waits for that. Not Sendable
/// itself: one consumer.
public final class ReadAheadRows: RowSource {
    /// Rows handed over at a time (one lock round trip per batch, not per row).
    public static let batchRows = 512
    /// Batches read ahead at most.
    public static let depth = 8

    private let shared: Shared
    private var current: [CSVRow] = []
    private var index = 0
    private var lastProgress: (read: Int, total: Int?)
    private var started = false

    public init(_ reader: CSVReader) {
        shared = Shared(reader: reader)
        lastProgress = reader.progress
    }

    deinit { shared.stop() }

    public func nextRow() throws -> CSVRow? {
        if index < current.count {
            defer { index += 1 }
            return current[index]
        }
        if !started {
            started = true
            shared.start()
        }
        guard let batch = try shared.take() else {
            current = []
            index = 0
            return nil
        }
        current = batch.rows
        lastProgress = batch.progress
        index = 1
        return current[0]
    }

    public func takeFindings() -> [Finding] { [] }

    public func describe(headerLine: Int, metadata: [[String]]) -> SourceDescription {
        shared.stop()
        return shared.reader.describe(headerLine: headerLine, metadata: metadata)
    }

    public var progress: (read: Int, total: Int?) { lastProgress }
    public var hasCellReferences: Bool { false }
    public func cellReference(line: Int, column: Int?) -> String? { nil }

    /// The state both threads see, behind one condition lock.
    private final class Shared: @unchecked Sendable {
        struct Batch {
            var rows: [CSVRow]
            var progress: (read: Int, total: Int?)
        }

        /// Touched by the read-ahead thread only, between `start` and its end (then by anyone).
        let reader: CSVReader
        private let condition = NSCondition()
        private var ready: [Batch] = []
        private var finished = false
        private var failure: (any Error)?
        private var cancelled = false
        private var running = false

        init(reader: CSVReader) { self.reader = reader }

        func start() {
            condition.lock()
            running = true
            condition.unlock()
            let thread = Thread { [self] in run() }
            thread.name = "civic.read-ahead"
            thread.stackSize = 1 << 20
            thread.start()
        }

        /// The read-ahead thread: fills batches until the end, an error or `stop`.
        private func run() {
            var rows: [CSVRow] = []
            rows.reserveCapacity(ReadAheadRows.batchRows)
            var outcome: (any Error)?
            reading: while true {
                do {
                    while rows.count < ReadAheadRows.batchRows, let row = try reader.nextRow() { rows.append(row) }
                } catch {
                    outcome = error
                }
                let end = rows.count < ReadAheadRows.batchRows
                condition.lock()
                while ready.count >= ReadAheadRows.depth && !cancelled { condition.wait() }
                if cancelled {
                    condition.unlock()
                    break reading
                }
                if !rows.isEmpty { ready.append(Batch(rows: rows, progress: reader.progress)) }
                if end {
                    finished = true
                    failure = outcome
                }
                condition.broadcast()
                condition.unlock()
                if end { break }
                rows = []
                rows.reserveCapacity(ReadAheadRows.batchRows)
            }
            condition.lock()
            running = false
            condition.broadcast()
            condition.unlock()
        }

        /// The next batch; nil at the end; the reader's error after the batches read before it.
        func take() throws -> Batch? {
            condition.lock()
            defer { condition.unlock() }
            while ready.isEmpty && !finished { condition.wait() }
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

        /// Stops the read-ahead thread (when it is still running) and waits for it to end.
        func stop() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            while running { condition.wait() }
            condition.unlock()
        }
    }
}
