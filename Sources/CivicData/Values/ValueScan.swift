/// Byte- and scalar-level helpers shared by the single-cell value rules (internal; no Foundation).
enum ValueScan {
    /// True when every UTF-8 code unit of `s` is ASCII (the common fast path).
    @inline(__always)
    static func isASCII(_ s: String) -> Bool {
        if let result = s.utf8.withContiguousStorageIfAvailable({ buffer -> Bool in
            var combined: UInt8 = 0
            for byte in buffer { combined |= byte }
            return combined < 0x80
        }) {
            return result
        }
        return s.utf8.allSatisfy { $0 < 0x80 }
    }

    /// True when some 3-byte UTF-8 sequence in `s` satisfies `match(lead, second, third)`: a byte-level pre-scan
    /// for rules whose interesting scalars all lie in U+0800…U+FFFF (no scalar decoding on the common path).
    @inline(__always)
    static func containsThreeByteSequence(_ s: String, where match: (UInt8, UInt8, UInt8) -> Bool) -> Bool {
        func scan(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
            let count = buffer.count
            var index = 0
            while index + 2 < count {
                let lead = buffer[index]
                // Lead bytes of 3-byte sequences are E0…EF; ASCII and continuation bytes never match.
                if lead >= 0xE0 && lead < 0xF0 && match(lead, buffer[index + 1], buffer[index + 2]) { return true }
                index += 1
            }
            return false
        }
        if let result = s.utf8.withContiguousStorageIfAvailable(scan) { return result }
        var copy = s
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(scan) ?? false
    }

    /// True for an ASCII digit byte `0`…`9`.
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    /// The ASCII digit byte for `0`…`9` or full-width `０`…`９` (U+FF10–U+FF19), else nil.
    @inline(__always)
    static func narrowDigit(_ scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        if v &- 0x30 < 10 { return UInt8(v) }
        if v &- 0xFF10 < 10 { return UInt8(v - 0xFF10 + 0x30) }
        return nil
    }

    /// True for a half- or full-width decimal digit.
    @inline(__always)
    static func isAnyWidthDigit(_ scalar: Unicode.Scalar) -> Bool { narrowDigit(scalar) != nil }

    /// True for the separators `Whitespace.trimmed` removes: U+0020, U+3000, TAB, CR, LF, NBSP.
    @inline(__always)
    static func isTrimmable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000: return true
        default: return false
        }
    }

    /// True for a hyphen or dash that reads as "-" in numbers: -, －, ‐ ‑ ‒ – — ―, −.
    @inline(__always)
    static func isHyphenLike(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2D, 0xFF0D, 0x2010...0x2015, 0x2212: return true
        default: return false
        }
    }

    /// Appends the UTF-8 encoding of `scalar` to `bytes`.
    @inline(__always)
    static func append(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        let v = scalar.value
        if v < 0x80 {
            bytes.append(UInt8(v))
        } else {
            UTF8.encode(scalar) { bytes.append($0) }
        }
    }

    /// Makes a String from UTF-8 bytes that this module produced (always valid UTF-8).
    @inline(__always)
    static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Appends `value` (non-negative) as exactly `width` zero-padded ASCII digits.
    static func appendDigits(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        let start = bytes.count
        var rest = value
        for _ in 0..<width {
            bytes.append(UInt8(0x30 + rest % 10))
            rest /= 10
        }
        bytes[start...].reverse()
    }
}
