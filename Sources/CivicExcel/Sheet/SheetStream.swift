import Foundation

/// A worksheet's rows, streamed: a thread of its own inflates the part (ZIPFoundation) and parses it (libxml2)
/// into a bounded queue that `next()` drains, so memory stays flat whatever the sheet's size and the parsing runs
/// beside the validation on a second core. Dropping the stream stops the thread.
final class SheetStream: SheetRowSource, @unchecked Sendable {
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [SheetRow] = []
    private var done = false
    private var failure: (any Error)?
    private var cancelled = false
    private var finalLayout: SheetLayout?
    private var inflated = 0

    /// Rows taken from the queue, handed out one by one without locking.
    private var local: [SheetRow] = []
    private var localIndex = 0
    private let capacity = 1024
    let total: Int?

    init(workbook: Workbook, sheet: Workbook.Sheet) throws {
        let archive = try workbook.openArchive()
        total = archive.claimedSize(sheet.part)
        guard archive.has(sheet.part) else {
            throw WorkbookError(.missingPart, file: workbook.file, part: sheet.part, message: "the sheet '\(sheet.name)' has no part \(sheet.part)")
        }
        let thread = Thread { [self] in self.produce(workbook: workbook, sheet: sheet) }
        thread.name = "civic-sheet"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Stops the producer (when the reader is dropped before the end).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next row; nil at the end of the sheet.
    func next() throws -> SheetRow? {
        if localIndex < local.count {
            defer { localIndex += 1 }
            return local[localIndex]
        }
        condition.lock()
        while queue.isEmpty && !done { condition.wait() }
        if !queue.isEmpty {
            swap(&local, &queue)
            queue.removeAll(keepingCapacity: true)
            condition.signal()
            condition.unlock()
            localIndex = 1
            return local[0]
        }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
        return nil
    }

    /// Hidden columns and merged ranges, once the sheet has been read to the end.
    var layout: SheetLayout? {
        condition.lock()
        defer { condition.unlock() }
        return finalLayout
    }

    /// Inflated bytes so far.
    var bytesRead: Int {
        condition.lock()
        defer { condition.unlock() }
        return inflated
    }

    private func produce(workbook: Workbook, sheet: Workbook.Sheet) {
        var batch: [SheetRow] = []
        func flush() -> Bool {
            condition.lock()
            while queue.count >= capacity && !cancelled { condition.wait() }
            let keepGoing = !cancelled
            if keepGoing {
                queue.append(contentsOf: batch)
                condition.signal()
            }
            condition.unlock()
            batch.removeAll(keepingCapacity: true)
            return keepGoing
        }
        let handler = SheetHandler(workbook: workbook) { row in
            batch.append(row)
            return batch.count < 64 || flush()
        }
        var error: (any Error)?
        do {
            let archive = try workbook.openArchive()
            let parser = try XMLPushParser(handler: handler)
            var count = 0
            try archive.stream(sheet.part, maximum: workbook.limits.maximumSheetBytes) { chunk in
                try parser.feed(chunk)
                count += chunk.count
                if count & 0xFFFFF < chunk.count {
                    condition.lock()
                    inflated = count
                    condition.unlock()
                }
            }
            do {
                try parser.finish()
            } catch let failure as XMLFailure {
                throw WorkbookError(
                    .malformedXML,
                    file: workbook.file,
                    part: sheet.part,
                    message: failure.message,
                    line: failure.line,
                    column: failure.column
                )
            }
            _ = flush()
        } catch let caught {
            error = caught
        }
        if let failure = handler.failure, failure != "stopped" {
            error = WorkbookError(.invalidContent, file: workbook.file, part: sheet.part, message: failure)
        }
        condition.lock()
        finalLayout = handler.layout
        failure = cancelled ? nil : error
        done = true
        condition.broadcast()
        condition.unlock()
    }
}
