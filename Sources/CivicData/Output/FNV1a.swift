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
