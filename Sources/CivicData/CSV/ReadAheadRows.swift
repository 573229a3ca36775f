import Foundation

/// Reads a CSV file's rows ahead, on a thread of its own (`ReadAhead`): decoding (CP932 through iconv, UTF-8
/// validation) and parsing run beside the validation of the rows before them. The rows, their order, their lines and
/// any error come out exactly as the wrapped reader gives them (an error after the rows read before it), so the
/// records and the report are the same as reading on one thread.
///
/// At most `depth` batches of `batchRows` rows wait. The wrapped reader is touched only by the read-ahead thread until
/// it has stopped; `describe` (the report's source section) stops it first. Not Sendable itself: one consumer.
public final class ReadAheadRows: RowSource {
    /// Rows handed over at a time (one lock round trip per batch, not per row).
    public static let batchRows = 512
    /// Batches read ahead at most.
    public static let depth = 8

    private struct Batch {
        var rows: [CSVRow]
        var progress: (read: Int, total: Int?)
    }

    private let reader: CSVReader
    private let ahead: ReadAhead<Batch>
    private var current: [CSVRow] = []
    private var index = 0
    private var lastProgress: (read: Int, total: Int?)

    public init(_ reader: CSVReader) {
        self.reader = reader
        lastProgress = reader.progress
        let handed = HandedOver(reader)
        ahead = ReadAhead(name: "civic.rows", depth: ReadAheadRows.depth) { put in
            let reader = handed.value
            while true {
                var rows: [CSVRow] = []
                rows.reserveCapacity(ReadAheadRows.batchRows)
                do {
                    while rows.count < ReadAheadRows.batchRows, let row = try reader.nextRow() { rows.append(row) }
                } catch {
                    // The rows before the error first, as on one thread.
                    if !rows.isEmpty { _ = put(Batch(rows: rows, progress: reader.progress)) }
                    throw error
                }
                if !rows.isEmpty, !put(Batch(rows: rows, progress: reader.progress)) { return }
                if rows.count < ReadAheadRows.batchRows { return }
            }
        }
    }

    public func nextRow() throws -> CSVRow? {
        if index < current.count {
            defer { index += 1 }
            return current[index]
        }
        guard let batch = try ahead.next() else {
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
        ahead.stop()
        return reader.describe(headerLine: headerLine, metadata: metadata)
    }

    public var progress: (read: Int, total: Int?) { lastProgress }
    public var hasCellReferences: Bool { false }
    public func cellReference(line: Int, column: Int?) -> String? { nil }
}
