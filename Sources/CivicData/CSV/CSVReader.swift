/// A streaming RFC 4180 reader over UTF-8 chunks: memory stays bounded by the chunk size and the longest record.
///
/// Handles quoted cells with doubled quotes and newlines, CRLF, LF, lone CR and mixed endings, a missing final
/// newline, and comma or tab delimiters (detected from the first line that is not a `#` metadata row).
/// Not Sendable: it owns its source.
public final class CSVReader {
    public let source: UTF8ChunkReader
    public private(set) var dialect: CSVDialect
    /// Records longer than this (bytes) stop the reader: almost always a quote that never closes.
    public var maximumRecordBytes = 64 << 20

    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var nextLine = 1
    private var expectedCells = 16

    public init(source: UTF8ChunkReader, delimiter: CSVDialect.Delimiter? = nil) throws {
        self.source = source
        self.dialect = CSVDialect(delimiter: delimiter ?? .comma, lineEndings: .init())
        buffer.reserveCapacity(1 << 20)
        try fill()
        if delimiter == nil {
            let encoding = source.detection.encoding
            dialect.delimiter = detectDelimiter(
                defaultingToTab: encoding == .utf16LittleEndian || encoding == .utf16BigEndian
            )
        }
    }

    /// The next record, or nil at the end of the input.
    public func nextRow() throws -> CSVRow? {
        while true {
            if position >= buffer.count {
                if atEnd { return nil }
                try fill()
                continue
            }
            if let row = parseRecord() { return row }
            if atEnd { return nil }
            if buffer.count - position > maximumRecordBytes {
                throw CSVError(
                    code: .recordTooLarge,
                    message: "a record is longer than \(maximumRecordBytes) bytes; is a quote (\") left open?",
                    file: source.displayName,
                    line: nextLine
                )
            }
            try fill()
        }
    }

    /// Moves unread bytes to the front and appends the next chunk.
    private func fill() throws {
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        if !(try source.read(appendingTo: &buffer)) { atEnd = true }
    }

    /// Looks at the first line that is not a `#` row (or the `#property` row) and counts delimiters outside quotes.
    private func detectDelimiter(defaultingToTab: Bool) -> CSVDialect.Delimiter {
        var start = 0
        let bytes = buffer
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let line = bytes[start..<end]
            let isMetadata = line.first == 0x23 && !line.starts(with: Array("#property".utf8))
            if !isMetadata && !line.isEmpty {
                var commas = 0
                var tabs = 0
                var quoted = false
                for byte in line {
                    if byte == 0x22 { quoted.toggle() } else if !quoted && byte == 0x2C { commas += 1 } else if !quoted && byte == 0x09 { tabs += 1 }
                }
                if tabs > commas { return .tab }
                if commas > 0 { return .comma }
                return defaultingToTab ? .tab : .comma
            }
            start = end + 1
        }
        return defaultingToTab ? .tab : .comma
    }

    /// Parses one record at `position`; nil when the buffer ends before the record does (and more input may come).
    private func parseRecord() -> CSVRow? {
        let delimiter = dialect.delimiter.byte
        let final = atEnd
        var cells: [String] = []
        cells.reserveCapacity(expectedCells)
        var newlines = 0
        var unterminated = false
        var ending: (crlf: Int, lf: Int, cr: Int) = (0, 0, 0)

        let consumed: Int? = buffer.withUnsafeBufferPointer { p -> Int? in
            let n = p.count
            var i = position
            while true {
                // One cell.
                if i < n && p[i] == 0x22 {
                    let cellStart = i
                    i += 1
                    var pieces: [UInt8] = []
                    var segmentStart = i
                    var closed = false
                    while i < n {
                        let byte = p[i]
                        if byte == 0x22 {
                            if i + 1 < n {
                                if p[i + 1] == 0x22 {
                                    pieces.append(contentsOf: UnsafeBufferPointer(rebasing: p[segmentStart...i]))
                                    i += 2
                                    segmentStart = i
                                    continue
                                }
                                closed = true
                                break
                            }
                            if final { closed = true; break }
                            return nil
                        }
                        if byte == 0x0A { newlines += 1 }
                        i += 1
                    }
                    if !closed {
                        if !final { return nil }
                        unterminated = true
                    }
                    pieces.append(contentsOf: UnsafeBufferPointer(rebasing: p[segmentStart..<i]))
                    if closed { i += 1 }
                    // Text after the closing quote and before the delimiter is kept as written (lenient).
                    let trailingStart = i
                    while i < n, p[i] != delimiter, p[i] != 0x0A, p[i] != 0x0D { i += 1 }
                    if i == n && !final { return nil }
                    if i > trailingStart {
                        // Malformed ("x"y): keep the cell exactly as written, quotes included.
                        cells.append(String(decoding: UnsafeBufferPointer(rebasing: p[cellStart..<i]), as: UTF8.self))
                    } else {
                        cells.append(String(decoding: pieces, as: UTF8.self))
                    }
                } else {
                    let start = i
                    while i < n {
                        let byte = p[i]
                        if byte == delimiter || byte == 0x0A || byte == 0x0D { break }
                        i += 1
                    }
                    if i == n && !final { return nil }
                    cells.append(String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self))
                }
                // What ends the cell.
                if i >= n { return i }
                let byte = p[i]
                if byte == delimiter {
                    i += 1
                    if i >= n && final {
                        cells.append("")
                        return i
                    }
                    continue
                }
                if byte == 0x0D {
                    if i + 1 < n {
                        if p[i + 1] == 0x0A { ending.crlf += 1; return i + 2 }
                        ending.cr += 1
                        return i + 1
                    }
                    if !final { return nil }
                    ending.cr += 1
                    return i + 1
                }
                ending.lf += 1
                return i + 1
            }
        }
        guard let consumed else { return nil }
        position = consumed
        dialect.lineEndings.crlf += ending.crlf
        dialect.lineEndings.lf += ending.lf
        dialect.lineEndings.cr += ending.cr
        let row = CSVRow(line: nextLine, cells: cells, hasUnterminatedQuote: unterminated)
        nextLine += newlines + 1
        expectedCells = max(expectedCells, cells.count)
        return row
    }
}
