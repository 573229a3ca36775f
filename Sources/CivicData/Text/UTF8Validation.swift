/// Strict UTF-8 validation over raw bytes (Unicode 15, table 3-7): rejects overlong forms, surrogates
/// (ED A0–BF), scalars above U+10FFFF, stray continuation bytes and the bytes C0, C1, F5–FF.
enum UTF8Validation {
    enum Outcome: Equatable {
        /// Every byte is part of a complete, valid sequence.
        case valid
        /// Valid up to `at`; the bytes from `at` to the end are a valid but unfinished sequence.
        case incomplete(at: Int)
        /// Valid up to `at`; the `length` bytes from `at` are not (the last of them is the one that broke the
        /// sequence; earlier ones are its valid prefix).
        case invalid(at: Int, length: Int)
    }

    /// Validates `bytes`, eight ASCII bytes at a time where it can.
    static func validate(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        guard let base = bytes.baseAddress else { return .valid }
        let count = bytes.count
        var i = 0
        while i < count {
            // ASCII fast path: 16 bytes per step while no high bit is set.
            while i &+ 16 <= count {
                let raw = UnsafeRawPointer(base + i)
                let a = raw.loadUnaligned(as: UInt64.self)
                let b = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                if (a | b) & 0x8080_8080_8080_8080 != 0 { break }
                i &+= 16
            }
            guard i < count else { break }
            let lead = base[i]
            if lead < 0x80 {
                i &+= 1
                continue
            }
            let trailing: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF:
                trailing = 1
            case 0xE0:
                trailing = 2
                low = 0xA0  // no overlongs
            case 0xE1...0xEC, 0xEE...0xEF:
                trailing = 2
            case 0xED:
                trailing = 2
                high = 0x9F  // no surrogates
            case 0xF0:
                trailing = 3
                low = 0x90  // no overlongs
            case 0xF1...0xF3:
                trailing = 3
            case 0xF4:
                trailing = 3
                high = 0x8F  // nothing above U+10FFFF
            default:
                return .invalid(at: i, length: 1)
            }
            // The second byte has the lead's own range; the rest are plain continuation bytes.
            var k = 1
            while k <= trailing {
                let j = i &+ k
                if j >= count { return .incomplete(at: i) }
                let byte = base[j]
                if byte < low || byte > high { return .invalid(at: i, length: k &+ 1) }
                low = 0x80
                high = 0xBF
                k &+= 1
            }
            i &+= trailing &+ 1
        }
        return .valid
    }
}
