#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns one file descriptor opened read-only: `open` in `init`, `close` in `deinit`.
final class TextInputFile {
    let rawValue: Int32

    /// Opens `path` read-only. Throws the `errno` of a failed `open`, or `EISDIR` for a directory.
    init(openingForReading path: String) throws(TextInputFile.SystemError) {
        var fd: Int32
        repeat {
            fd = open(path, O_RDONLY | O_CLOEXEC)
        } while fd == -1 && errno == EINTR
        guard fd >= 0 else { throw SystemError(errno) }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            close(fd)
            throw SystemError(EISDIR)
        }
        rawValue = fd
    }

    deinit {
        close(rawValue)
    }
}

@available(*, unavailable)
extension TextInputFile: Sendable {}

extension TextInputFile {
    /// An `errno` value, with its `strerror` text.
    struct SystemError: Error {
        var value: Int32

        init(_ value: Int32) {
            self.value = value
        }

        var text: String { String(cString: strerror(value)) }
    }

    /// Reads up to `count` bytes from `descriptor` into `buffer` (`read`, retried on `EINTR`); 0 at end of file.
    static func readBytes(from descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(TextInputFile.SystemError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = read(descriptor, base, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw SystemError(errno) }
        }
    }

    /// The size of a regular file open at `descriptor`, or nil (pipes, terminals, failures).
    static func regularFileSize(of descriptor: Int32) -> Int? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
    }
}
