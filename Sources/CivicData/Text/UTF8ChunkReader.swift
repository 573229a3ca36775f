public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file (or standard input) in chunks and hands out UTF-8 bytes, byte order mark removed.
///
/// Without a declared encoding the reader detects it from the first chunk (see ``EncodingDetection``): a byte
/// order mark decides; otherwise valid UTF-8 is UTF-8 and anything else is CP932. An all-ASCII start is looked
/// past, up to 8 MiB, for the first non-ASCII byte.
///
/// UTF-8 is validated in place; CP932 and UTF-16 are converted with iconv. Bytes that cannot be decoded stop the
/// reader with a ``TextDecodingError`` that gives their offset and line: it never substitutes U+FFFD.
/// Memory stays bounded by a few times `chunkSize` whatever the size of the input.
///
/// Owns its input (a file descriptor it opened, or a borrowed `FileHandle`) and, for CP932 and UTF-16, one iconv
/// descriptor; both are closed in `deinit`. Not Sendable: use it from one task at a time.
public final class UTF8ChunkReader {
    /// Where the bytes come from.
    private enum Input {
        /// A file the reader opened, and closes.
        case file(TextInputFile)
        /// A handle the caller owns (standard input): read, never closed.
        case handle(FileHandle)
        /// Bytes in memory.
        case memory([UInt8])
    }

    /// The longest all-ASCII start looked past for a non-ASCII byte before settling on UTF-8.
    static let lookAheadLimit = 8 << 20

    /// The input's name in messages ("-" for standard input).
    public let displayName: String
    /// The encoding, and why; known after `init`.
    public private(set) var detection: EncodingDetection
    /// Bytes read from the input so far (byte order mark included), for progress.
    public private(set) var inputBytesRead: Int = 0
    /// The size of the input when known (regular files and in-memory bytes).
    public let inputByteCount: Int?

    private let input: Input
    private let chunkSize: Int
    private var memoryPosition = 0
    /// The iconv descriptor for CP932 and UTF-16; nil for UTF-8.
    private var converter: IConv?
    /// Input bytes read and not yet decoded are `raw[start..<end]`.
    private var raw: [UInt8] = []
    private var start = 0
    private var end = 0
    /// The input offset of `raw[start]`.
    private var pendingOffset = 0
    /// Line feeds in the input before `raw[start]`.
    private var lineFeedsBefore = 0
    private var reachedEnd = false
    /// Set after each decode, which leaves at most an incomplete character: the next step must read.
    private var needsInput = false
    /// iconv's output, copied in bulk to the caller's buffer.
    private var output: [UInt8] = []
    /// The error the reader stopped with; thrown again by later calls.
    private var failure: TextDecodingError?

    /// Opens a file.
    /// - Parameters:
    ///   - url: a file URL; messages name it by its relative path.
    ///   - encoding: the encoding to use (basis ``EncodingDetection/Basis/declared``), or nil to detect it.
    ///   - chunkSize: bytes read from the file at a time.
    /// - Throws: ``TextDecodingError`` (``TextDecodingError/Code/unreadable`` if the file cannot be opened or read,
    ///   ``TextDecodingError/Code/unsupportedEncoding`` if iconv cannot convert the encoding).
    public convenience init(url: URL, encoding: TextEncoding? = nil, chunkSize: Int = 1 << 20) throws {
        let name = url.isFileURL ? url.relativePath : url.absoluteString
        guard url.isFileURL else {
            throw TextDecodingError(
                code: .unreadable,
                message: "only local files can be read; download the file first",
                file: name,
                byteOffset: 0,
                line: 1
            )
        }
        let descriptor: TextInputFile
        do {
            descriptor = try TextInputFile(openingForReading: url.path)
        } catch {
            throw TextDecodingError(
                code: .unreadable,
                message: "cannot open the file: \(error.text); check the path and its permissions",
                file: name,
                byteOffset: 0,
                line: 1
            )
        }
        try self.init(
            input: .file(descriptor),
            displayName: name,
            byteCount: TextInputFile.regularFileSize(of: descriptor.rawValue),
            encoding: encoding,
            chunkSize: chunkSize
        )
    }

    /// Reads from a handle the caller owns and keeps open, such as `FileHandle.standardInput`.
    /// - Parameter displayName: the name in messages; "-" for standard input.
    /// - Throws: ``TextDecodingError``.
    public convenience init(
        fileHandle: FileHandle,
        displayName: String,
        encoding: TextEncoding? = nil,
        chunkSize: Int = 1 << 20
    ) throws {
        try self.init(
            input: .handle(fileHandle),
            displayName: displayName,
            byteCount: TextInputFile.regularFileSize(of: fileHandle.fileDescriptor),
            encoding: encoding,
            chunkSize: chunkSize
        )
    }

    /// Reads bytes in memory, `chunkSize` at a time (for tests and in-memory use).
    /// - Throws: ``TextDecodingError``.
    public convenience init(
        bytes: [UInt8],
        displayName: String,
        encoding: TextEncoding? = nil,
        chunkSize: Int = 1 << 20
    ) throws {
        try self.init(input: .memory(bytes), displayName: displayName, byteCount: bytes.count, encoding: encoding, chunkSize: chunkSize)
    }

    private init(input: Input, displayName: String, byteCount: Int?, encoding: TextEncoding?, chunkSize: Int) throws {
        self.input = input
        self.displayName = displayName
        self.inputByteCount = byteCount
        self.chunkSize = max(1, chunkSize)
        self.detection = EncodingDetection(encoding: .utf8, hasByteOrderMark: false, basis: .asciiOnly)
        do {
            try detect(declared: encoding)
        } catch {
            failure = error
            throw error
        }
    }

    /// Appends the next decoded UTF-8 bytes to `buffer`, never splitting a UTF-8 character across calls.
    ///
    /// - Returns: false at the end of the input, with `buffer` unchanged.
    /// - Throws: ``TextDecodingError`` with the offset and line of bytes that cannot be decoded (or of a
    ///   character cut short by the end of the input); `buffer` is then unchanged, and later calls throw the same
    ///   error.
    public func read(appendingTo buffer: inout [UInt8]) throws -> Bool {
        if let failure { throw failure }
        do {
            while true {
                if needsInput {
                    if reachedEnd && start == end { return false }
                    try fill()
                    needsInput = false
                }
                let produced = try decodePending(isFinal: reachedEnd, appendingTo: &buffer)
                needsInput = true
                if produced > 0 { return true }
            }
        } catch {
            failure = error
            throw error
        }
    }
}

@available(*, unavailable)
extension UTF8ChunkReader: Sendable {}

// MARK: - Reading

extension UTF8ChunkReader {
    /// Moves the undecoded bytes to the front of `raw` and reads up to one chunk after them; sets `reachedEnd` when
    /// the input has no more.
    private func fill() throws(TextDecodingError) {
        let pending = end - start
        // Ask for no more than the known rest of the input (and at least one byte: only a read of 0 ends it).
        var request = chunkSize
        if let inputByteCount { request = min(request, max(0, inputByteCount - inputBytesRead) + 1) }
        let needed = pending + request
        if raw.count < needed || raw.count > 2 * needed + 4096 {
            // Grow (geometrically during a look-ahead, which keeps it linear), or after a look-ahead give the
            // memory back.
            let size = raw.count < needed && pending > chunkSize ? max(needed, 2 * raw.count) : needed
            var fresh = [UInt8](repeating: 0, count: size)
            if pending > 0 {
                fresh.withUnsafeMutableBufferPointer { to in
                    raw.withUnsafeBufferPointer { from in
                        to.baseAddress!.update(from: from.baseAddress! + start, count: pending)
                    }
                }
            }
            raw = fresh
        } else if start > 0 && pending > 0 {
            raw.withUnsafeMutableBytes { bytes in
                _ = memmove(bytes.baseAddress!, bytes.baseAddress! + start, pending)
            }
        }
        start = 0
        end = pending
        let read = raw.withUnsafeMutableBytes { bytes in
            Result { () throws(TextDecodingError) -> Int in
                try readInput(into: UnsafeMutableRawBufferPointer(rebasing: bytes[pending..<needed]))
            }
        }
        let count = try read.get()
        end += count
        inputBytesRead += count
        if count == 0 { reachedEnd = true }
    }

    private func readInput(into buffer: UnsafeMutableRawBufferPointer) throws(TextDecodingError) -> Int {
        let descriptor: Int32
        switch input {
        case .memory(let bytes):
            let count = min(buffer.count, bytes.count - memoryPosition)
            bytes.withUnsafeBytes { from in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: from[memoryPosition..<memoryPosition + count]))
            }
            memoryPosition += count
            return count
        case .file(let file):
            descriptor = file.rawValue
        case .handle(let handle):
            descriptor = handle.fileDescriptor
        }
        do {
            return try TextInputFile.readBytes(from: descriptor, into: buffer)
        } catch {
            throw TextDecodingError(
                code: .unreadable,
                message: "cannot read the input: \(error.text)",
                file: displayName,
                byteOffset: inputBytesRead,
                line: lineFeedsBefore + 1
            )
        }
    }

    /// Skips `count` bytes (a byte order mark).
    private func skip(_ count: Int) {
        start += count
        pendingOffset += count
    }
}

// MARK: - Detection

extension UTF8ChunkReader {
    private func detect(declared: TextEncoding?) throws(TextDecodingError) {
        // Enough bytes to see a byte order mark: 3, or the whole input if shorter.
        while end - start < 3 && !reachedEnd { try fill() }
        let head = Array(raw[start..<min(end, start + 3)])
        let utf8Mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let littleEndianMark: [UInt8] = [0xFF, 0xFE]
        let bigEndianMark: [UInt8] = [0xFE, 0xFF]

        var encoding: TextEncoding
        var basis = EncodingDetection.Basis.byteOrderMark
        var hasMark = true
        if let declared {
            // The declared encoding wins, but a UTF-16 byte order mark still says which byte order.
            basis = .declared
            encoding = declared
            switch declared.kind {
            case .utf8 where head.starts(with: utf8Mark):
                skip(3)
            case .utf16LittleEndian where head.starts(with: littleEndianMark),
                .utf16BigEndian where head.starts(with: littleEndianMark):
                encoding = .utf16LittleEndian
                skip(2)
            case .utf16LittleEndian where head.starts(with: bigEndianMark),
                .utf16BigEndian where head.starts(with: bigEndianMark):
                encoding = .utf16BigEndian
                skip(2)
            default:
                hasMark = false
            }
        } else if head.starts(with: utf8Mark) {
            encoding = .utf8
            skip(3)
        } else if head.starts(with: littleEndianMark) {
            encoding = .utf16LittleEndian
            skip(2)
        } else if head.starts(with: bigEndianMark) {
            encoding = .utf16BigEndian
            skip(2)
        } else {
            hasMark = false
            (encoding, basis) = try sniff()
        }
        detection = EncodingDetection(encoding: encoding, hasByteOrderMark: hasMark, basis: basis)
        if encoding != .utf8 {
            guard let converter = IConv(from: encoding.iconvName, to: "UTF-8") else {
                let reason = TextInputFile.SystemError(errno).text
                throw TextDecodingError(
                    code: .unsupportedEncoding,
                    message: "this system's iconv cannot convert \(encoding) to UTF-8 (\(reason)); convert the file to UTF-8 first",
                    file: displayName,
                    byteOffset: pendingOffset,
                    line: 1
                )
            }
            self.converter = converter
        }
        needsInput = false
    }

    /// Decides between UTF-8 and CP932 from the bytes of the first chunk, reading on past an all-ASCII start.
    private func sniff() throws(TextDecodingError) -> (TextEncoding, EncodingDetection.Basis) {
        var scanFrom = start
        while true {
            let firstNonASCII = raw.withUnsafeBufferPointer { bytes in
                TextBytes.firstNonASCIIIndex(UnsafeBufferPointer(rebasing: bytes[scanFrom..<end])).map { scanFrom + $0 }
            }
            guard let first = firstNonASCII else {
                if reachedEnd || end - start >= Self.lookAheadLimit { return (.utf8, .asciiOnly) }
                scanFrom = end - start  // fill moves the pending bytes to the front
                try fill()
                continue
            }
            let outcome = raw.withUnsafeBufferPointer { bytes in
                UTF8Validation.validate(UnsafeBufferPointer(rebasing: bytes[first..<end]))
            }
            switch outcome {
            case .valid:
                return (.utf8, .validUTF8)
            case .invalid:
                return (.cp932, .notUTF8)
            case .incomplete(let at) where at > 0:
                // Valid up to a character cut by the end of the chunk.
                return (.utf8, .validUTF8)
            case .incomplete:
                // Not one whole non-ASCII character yet: read on, unless there is no more.
                if reachedEnd { return (.cp932, .notUTF8) }
                scanFrom = first - start
                try fill()
            }
        }
    }
}

// MARK: - Decoding

extension UTF8ChunkReader {
    /// Decodes all of `raw[start..<end]` that forms whole characters and appends it to `buffer`; returns the
    /// number of bytes appended. At the end of the input (`isFinal`) a partial character is an error.
    private func decodePending(isFinal: Bool, appendingTo buffer: inout [UInt8]) throws(TextDecodingError) -> Int {
        guard end > start else { return 0 }
        if let converter { return try convertPending(converter, isFinal: isFinal, appendingTo: &buffer) }
        return try validatePending(isFinal: isFinal, appendingTo: &buffer)
    }

    /// UTF-8 input: validate in place, copy in bulk.
    private func validatePending(isFinal: Bool, appendingTo buffer: inout [UInt8]) throws(TextDecodingError) -> Int {
        let outcome = raw.withUnsafeBufferPointer { bytes in
            UTF8Validation.validate(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
        var validCount = end - start
        switch outcome {
        case .valid:
            break
        case .incomplete(let at):
            if isFinal {
                let lineFeeds = raw.withUnsafeBufferPointer { bytes in
                    TextBytes.countLineFeeds(UnsafeBufferPointer(rebasing: bytes[start..<start + at]))
                }
                throw truncated(at: at, line: lineFeedsBefore + lineFeeds + 1)
            }
            validCount = at
        case .invalid(let at, let length):
            let lineFeeds = raw.withUnsafeBufferPointer { bytes in
                TextBytes.countLineFeeds(UnsafeBufferPointer(rebasing: bytes[start..<start + at]))
            }
            let bad = raw[(start + at)..<(start + at + length)]
            throw TextDecodingError(
                code: .invalidBytes,
                message: "\(TextBytes.phrase(bad)) not valid UTF-8; the file may be Shift_JIS (CP932)",
                file: displayName,
                byteOffset: pendingOffset + at,
                line: lineFeedsBefore + lineFeeds + 1,
                remedy: Remedy(.encoding, value: "cp932")
            )
        }
        raw.withUnsafeBufferPointer { bytes in
            let valid = UnsafeBufferPointer(rebasing: bytes[start..<start + validCount])
            lineFeedsBefore += TextBytes.countLineFeeds(valid)
            buffer.append(contentsOf: valid)
        }
        start += validCount
        pendingOffset += validCount
        return validCount
    }

    /// CP932 and UTF-16 input: one iconv call over the pending bytes into `output`, then a bulk copy.
    private func convertPending(_ converter: IConv, isFinal: Bool, appendingTo buffer: inout [UInt8]) throws(TextDecodingError) -> Int {
        // CP932 → UTF-8 grows at most 3× (half-width katakana, 1 → 3 bytes); UTF-16 → UTF-8 at most 1.5×.
        let capacity = (end - start) * 3 + 16
        if output.count < capacity { output = [UInt8](repeating: 0, count: capacity) }
        let result = raw.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { output in
                converter.convert(UnsafeRawBufferPointer(rebasing: input[start..<end]), into: output)
            }
        }
        switch result.stop {
        case .complete, .outputFull:
            break
        case .incomplete where isFinal, .invalid:
            // The bytes before the error were decoded: count the line feeds in the decoded text, which for UTF-16
            // are the LF code units (a 0x0A byte can be half of another unit).
            let lineFeeds = output.withUnsafeBufferPointer { bytes in
                TextBytes.countLineFeeds(UnsafeBufferPointer(rebasing: bytes[0..<result.produced]))
            }
            let line = lineFeedsBefore + lineFeeds + 1
            throw result.stop == .invalid ? invalidBytes(at: result.consumed, line: line) : truncated(at: result.consumed, line: line)
        case .incomplete:
            break
        }
        output.withUnsafeBufferPointer { bytes in
            let produced = UnsafeBufferPointer(rebasing: bytes[0..<result.produced])
            lineFeedsBefore += TextBytes.countLineFeeds(produced)
            buffer.append(contentsOf: produced)
        }
        start += result.consumed
        pendingOffset += result.consumed
        return result.produced
    }

    /// The error for iconv's `EILSEQ` at `raw[start + at]`.
    private func invalidBytes(at: Int, line: Int) -> TextDecodingError {
        let first = start + at
        let encoding = detection.encoding
        var length = 1
        let message: String
        var remedy: Remedy?
        switch encoding.kind {
        case .cp932:
            let lead = raw[first]
            if (0x81...0x9F).contains(lead) || (0xE0...0xFC).contains(lead) { length = 2 }
            let bad = raw[first..<min(end, first + length)]
            if pendingOffset + at == 0 && raw[first..<end].starts(with: [0xEF, 0xBB, 0xBF]) {
                message = "\(TextBytes.phrase(bad)) not valid CP932: the file starts with a UTF-8 byte order mark"
                remedy = Remedy(.encoding, value: "utf-8")
            } else if detection.basis == .declared {
                message = "\(TextBytes.phrase(bad)) not valid CP932; check the file's encoding, or leave it to be detected"
            } else {
                message =
                    "\(TextBytes.phrase(bad)) not valid CP932 (the file was read as CP932 because it is not valid UTF-8); "
                    + "the file may be damaged or in another encoding"
            }
        case .utf16LittleEndian, .utf16BigEndian:
            // A high surrogate without its low one is shown with the unit that follows it.
            let high = encoding == .utf16LittleEndian ? raw[min(end - 1, first + 1)] : raw[first]
            length = (0xD8...0xDB).contains(high) ? 4 : 2
            let bad = raw[first..<min(end, first + length)]
            message = "\(TextBytes.phrase(bad)) not valid \(encoding) (an unpaired surrogate); the file may be damaged"
        case .utf8:
            let bad = raw[first..<min(end, first + 1)]
            message = "\(TextBytes.phrase(bad)) not valid UTF-8; the file may be Shift_JIS (CP932)"
            remedy = Remedy(.encoding, value: "cp932")
        }
        return TextDecodingError(
            code: .invalidBytes,
            message: message,
            file: displayName,
            byteOffset: pendingOffset + at,
            line: line,
            remedy: remedy
        )
    }

    /// The error for an input that ends inside a character starting at `raw[start + at]`, on `line`.
    private func truncated(at: Int, line: Int) -> TextDecodingError {
        let tail = raw[(start + at)..<end]
        let what = tail.count == 1 ? "byte \(TextBytes.hex(tail))" : "bytes \(TextBytes.hex(tail))"
        return TextDecodingError(
            code: .truncatedSequence,
            message: "the input ends inside a \(detection.encoding) character (\(what)); the file may be cut short",
            file: displayName,
            byteOffset: pendingOffset + at,
            line: line
        )
    }
}
