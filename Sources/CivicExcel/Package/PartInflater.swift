import CivicZlib
import Foundation

/// Inflates one ZIP entry's raw deflate data (zlib), reading only the entry's own compressed bytes. ZIPFoundation
/// finds the entries; its own inflate loop reads on past an entry's end and spins forever at the end of the file
/// when a crafted stream never ends, so workbook parts are inflated here, where running out of the entry's bytes
/// before the stream ends is an error. One owner of one `z_stream`; not Sendable.
final class PartInflater {
    struct Failure: Error {
        var message: String
    }

    private var stream = z_stream()
    private let input: UnsafeMutablePointer<UInt8>
    private let output: UnsafeMutablePointer<UInt8>
    private let capacity = 1 << 16

    init() throws {
        input = .allocate(capacity: capacity)
        output = .allocate(capacity: capacity)
        let status = inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            input.deallocate()
            output.deallocate()
            throw Failure(message: "zlib could not start (\(status))")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
        output.deallocate()
    }

    /// The CRC-32 of `bytes` continued from `crc` (zlib's).
    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return UInt32(CivicZlib.crc32(uLong(crc), base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }

    /// Inflates `total` compressed bytes, which `read(offset, count, into:)` copies from the entry, into `consumer`;
    /// returns the CRC-32 of what came out.
    @discardableResult
    func inflate(
        total: Int,
        read: (_ offset: Int, _ count: Int, _ into: UnsafeMutablePointer<UInt8>) throws -> Void,
        consumer: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> UInt32 {
        var consumed = 0
        var crc: UInt32 = 0
        while true {
            if stream.avail_in == 0 {
                guard consumed < total else {
                    throw Failure(message: "the entry's compressed data ends before its deflate stream does (damaged, or crafted)")
                }
                let count = min(capacity, total - consumed)
                try read(consumed, count, input)
                consumed += count
                stream.next_in = input
                stream.avail_in = UInt32(count)
            }
            stream.next_out = output
            stream.avail_out = UInt32(capacity)
            let status = CivicZlib.inflate(&stream, Z_NO_FLUSH)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw Failure(message: "the deflate data is damaged (zlib \(status))")
            }
            let produced = capacity - Int(stream.avail_out)
            if produced > 0 {
                let chunk = UnsafeRawBufferPointer(start: output, count: produced)
                crc = PartInflater.crc32(crc, chunk)
                try consumer(chunk)
            }
            if status == Z_STREAM_END { return crc }
        }
    }
}
