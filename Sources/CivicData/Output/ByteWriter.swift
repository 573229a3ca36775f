public import Foundation

/// A buffered byte output: to a file, to standard output, or kept in memory.
/// Owns its file handle when it opened it. Not Sendable.
public final class ByteWriter {
    private let handle: FileHandle?
    private let ownsHandle: Bool
    private var buffer: [UInt8] = []
    private var kept: [UInt8] = []
    private let capacity = 1 << 20
    /// Bytes written so far.
    public private(set) var count = 0

    /// Writes to a new (or truncated) file.
    public init(url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        ownsHandle = true
        buffer.reserveCapacity(capacity)
    }

    /// Writes to an open handle (standard output, a pipe); the caller keeps it.
    public init(fileHandle: FileHandle) {
        handle = fileHandle
        ownsHandle = false
        buffer.reserveCapacity(capacity)
    }

    /// Keeps everything in memory (`bytes`).
    public init() {
        handle = nil
        ownsHandle = false
    }

    deinit {
        try? flush()
        if ownsHandle { try? handle?.close() }
    }

    /// What was written, for an in-memory writer.
    public var bytes: [UInt8] {
        kept + buffer
    }

    /// What was written since the last call, for an in-memory writer that is drained as it goes (a streamed response).
    public func takeBytes() -> [UInt8] {
        defer {
            kept.removeAll(keepingCapacity: true)
            buffer.removeAll(keepingCapacity: true)
        }
        return kept.isEmpty ? buffer : kept + buffer
    }

    @inline(__always)
    public func write(byte: UInt8) throws {
        buffer.append(byte)
        count += 1
        if buffer.count >= capacity { try flush() }
    }

    public func write(_ bytes: some Collection<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        count += bytes.count
        if buffer.count >= capacity { try flush() }
    }

    public func write(_ string: String) throws {
        var string = string
        try string.withUTF8 { try write($0) }
    }

    /// Appends directly into the buffer (for writers that build output in place).
    func withBuffer(_ body: (inout [UInt8]) throws -> Void) throws {
        let before = buffer.count
        try body(&buffer)
        count += buffer.count - before
        if buffer.count >= capacity { try flush() }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        if let handle {
            try handle.write(contentsOf: buffer)
        } else {
            kept += buffer
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

@available(*, unavailable)
extension ByteWriter: Sendable {}
