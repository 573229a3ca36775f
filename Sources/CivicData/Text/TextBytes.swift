/// Byte-level helpers for the text layer: fast scans over raw bytes and byte values in messages.
enum TextBytes {
    /// Counts the line feeds (0x0A) in `bytes`, eight bytes at a time.
    static func countLineFeeds(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let count = bytes.count
        let raw = UnsafeRawPointer(base)
        var total = 0
        var i = 0
        while i &+ 8 <= count {
            // Exact zero-byte test on word XOR "\n\n\n\n\n\n\n\n": a byte's high bit ends up set iff it was 0x0A.
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
            let t = ((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x
            total &+= (~t & 0x8080_8080_8080_8080).nonzeroBitCount
            i &+= 8
        }
        while i < count {
            if base[i] == 0x0A { total &+= 1 }
            i &+= 1
        }
        return total
    }

    /// The index of the first byte ≥ 0x80 in `bytes`, or nil, eight bytes at a time.
    static func firstNonASCIIIndex(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i &+ 8 <= count {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i &+= 8
        }
        while i < count {
            if base[i] >= 0x80 { return i }
            i &+= 1
        }
        return nil
    }

    /// "E3 81 41": bytes as upper-case hexadecimal pairs.
    static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        bytes.map { byte in
            let digits = Array("0123456789ABCDEF")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined(separator: " ")
    }

    /// "byte 82 is" / "bytes E3 81 41 are": the subject of an error message about `bytes`.
    static func phrase<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        bytes.count == 1 ? "byte \(hex(bytes)) is" : "bytes \(hex(bytes)) are"
    }
}
