#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns one iconv conversion descriptor: `iconv_open` in `init`, `iconv_close` in `deinit`.
///
/// Not Sendable: a descriptor carries conversion state and must be used by one thread at a time.
final class IConv {
    /// Why ``convert(_:into:)`` stopped.
    enum Stop: Equatable {
        /// All input converted.
        case complete
        /// The input ends inside a character (`EINVAL`); the rest is a prefix of a character.
        case incomplete
        /// The next input bytes are not valid in the source encoding (`EILSEQ`).
        case invalid
        /// The output buffer is full (`E2BIG`).
        case outputFull
    }

    struct Result {
        var consumed: Int
        var produced: Int
        var stop: Stop
    }

    private let descriptor: iconv_t
    let source: String
    let target: String

    /// Calls `iconv_open(target, source)`; nil (with `errno` set) when the system cannot convert between them.
    init?(from source: String, to target: String) {
        let descriptor = iconv_open(target, source)
        guard let descriptor, Int(bitPattern: descriptor) != -1 else { return nil }
        self.descriptor = descriptor
        self.source = source
        self.target = target
    }

    deinit {
        iconv_close(descriptor)
    }

    /// Returns the descriptor to its initial shift state (`iconv(cd, NULL, NULL, NULL, NULL)`).
    func reset() {
        _ = iconv(descriptor, nil, nil, nil, nil)
    }

    /// Converts as much of `input` as fits into `output` (one `iconv` call, repeated only on `EINTR`-free
    /// progress), and says how far it got.
    func convert(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Result {
        guard input.count > 0 else { return Result(consumed: 0, produced: 0, stop: .complete) }
        guard let inBase = input.baseAddress, let outBase = output.baseAddress else {
            return Result(consumed: 0, produced: 0, stop: .outputFull)
        }
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: inBase.assumingMemoryBound(to: CChar.self))
        var inLeft = input.count
        var outPointer: UnsafeMutablePointer<CChar>? = outBase.assumingMemoryBound(to: CChar.self)
        var outLeft = output.count
        let status = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
        let savedErrno = errno
        let result = Result(consumed: input.count - inLeft, produced: output.count - outLeft, stop: .complete)
        if status != -1 { return result }
        var stopped = result
        switch savedErrno {
        case EINVAL: stopped.stop = .incomplete
        case E2BIG: stopped.stop = .outputFull
        default: stopped.stop = .invalid  // EILSEQ
        }
        return stopped
    }
}

@available(*, unavailable)
extension IConv: Sendable {}
