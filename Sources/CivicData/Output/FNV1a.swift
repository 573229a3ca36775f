/// FNV-1a, 64-bit: a fast, stable fingerprint of bytes (ETags, reload checks; not for security). Inlinable, so that
/// hashing a page's bytes in another module is a tight loop, not a generic call per byte.
public struct FNV1a: Sendable {
    public var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inlinable
    public init() {}

    @inlinable
    public mutating func add(_ text: String) {
        for byte in text.utf8 { add(byte) }
    }

    @inlinable
    public mutating func add(_ bytes: [UInt8]) {
        var hash = value
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        value = hash
    }

    @inlinable
    public mutating func add(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x100_0000_01b3
    }
}

extension FNV1a {
    /// The hash of a text, in hex.
    public static func hex(_ text: String) -> String {
        var hash = FNV1a()
        hash.add(text)
        return String(hash.value, radix: 16)
    }
}

/// A fast 64-bit fingerprint of many bytes, four 8-byte lanes at a time (multiply–rotate mixing, as xxHash's
/// accumulators): for ETags of whole responses, where FNV-1a's byte loop was 12 % of an uncached page (perf). Not
/// for security, and not stable across versions of Civic (ETags only need to change with the bytes).
public enum ContentHash {
    public static func of(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { of(raw: $0) }
    }

    /// The fingerprint of a sequence of fingerprints (of a whole made of parts already fingerprinted).
    public static func of(_ parts: [UInt64]) -> UInt64 {
        parts.withUnsafeBytes { of(raw: $0) }
    }

    /// The fingerprint of the bytes at `raw`.
    public static func of(raw: UnsafeRawBufferPointer) -> UInt64 {
        let p1: UInt64 = 0x9E37_79B1_85EB_CA87
        let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        @inline(__always) func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
            let mixed = lane &+ word &* p2
            return ((mixed << 31) | (mixed >> 33)) &* p1
        }
        var a: UInt64 = p1 &+ p2, b: UInt64 = p2, c: UInt64 = 0, d: UInt64 = 0 &- p1
        let count = raw.count
        var offset = 0
        while offset + 32 <= count {
            a = round(a, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            b = round(b, raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            c = round(c, raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
            d = round(d, raw.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
            offset += 32
        }
        var hash = ((a << 1) | (a >> 63)) &+ ((b << 7) | (b >> 57)) &+ ((c << 12) | (c >> 52)) &+ ((d << 18) | (d >> 46))
        hash = hash &+ UInt64(count)
        while offset < count {
            hash = ((hash ^ UInt64(raw[offset])) &* p1)
            hash = (hash << 11) | (hash >> 53)
            offset += 1
        }
        hash ^= hash >> 33
        hash = hash &* p2
        hash ^= hash >> 29
        return hash
    }
}
