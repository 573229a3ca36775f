/// Byte-level JSON pieces for the streaming writers (tested against Foundation's JSON parser).
public enum JSONBytes {
    /// Appends `string` as a JSON string literal.
    public static func appendString(_ string: String, to out: inout [UInt8]) {
        // Empty cells are most of a standard dataset's (a third of storing a record went to them).
        if string.isEmpty {
            out.append(0x22)
            out.append(0x22)
            return
        }
        out.append(0x22)
        // Most values need no escaping: one scan, one copy.
        if let fast = string.utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            guard !bytes.contains(where: needsEscape) else { return false }
            out.append(contentsOf: bytes)
            return true
        }), fast {
            out.append(0x22)
            return
        }
        var string = string
        string.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard needsEscape(byte) else { continue }
                if index > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                switch byte {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
                start = index + 1
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])) }
        }
        out.append(0x22)
    }

    /// True for the bytes a JSON string literal escapes: control characters, `"` and `\`.
    @inlinable
    public static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }

    public static func appendASCII(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    public static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }

    /// Appends `value` rounded to `precision` decimals, without trailing zeros (`139.7671`, `35`).
    public static func appendFixed(_ value: Double, precision: Int, to out: inout [UInt8]) {
        let precision = min(max(precision, 0), 15)
        var scale: Int64 = 1
        for _ in 0..<precision { scale *= 10 }
        let scaled = (value * Double(scale)).rounded()
        guard scaled.isFinite, abs(scaled) < 9.0e18 else {
            out.append(contentsOf: "\(value)".utf8)
            return
        }
        var units = Int64(scaled)
        if units < 0 {
            out.append(0x2D)
            units = -units
        }
        let whole = units / scale
        var fraction = units % scale
        appendDigits(UInt64(whole), count: 1, to: &out)
        guard fraction != 0 else { return }
        var digits = precision
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        out.append(0x2E)
        appendDigits(UInt64(fraction), count: digits, to: &out)
    }

    /// The decimal digits of `value`, left-padded with zeros to at least `count` digits (without making a String:
    /// two per coordinate were most of writing a point).
    static func appendDigits(_ value: UInt64, count: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var remaining = value
            var index = 24
            repeat {
                index -= 1
                buffer[index] = 0x30 + UInt8(remaining % 10)
                remaining /= 10
            } while remaining > 0 && index > 0
            while 24 - index < count && index > 0 {
                index -= 1
                buffer[index] = 0x30
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<24]))
        }
    }

    /// True when `text` is a JSON number as written (no leading zeros, no `+`).
    public static func isJSONNumber(_ text: String) -> Bool {
        isJSONNumber(bytes: text.utf8)
    }

    /// True when the bytes are a JSON number as written (no leading zeros, no `+`).
    @inlinable
    public static func isJSONNumber(bytes: some Sequence<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var byte = iterator.next()
        if byte == 0x2D { byte = iterator.next() }
        guard let first = byte, first >= 0x30, first <= 0x39 else { return false }
        byte = iterator.next()
        if first == 0x30, let next = byte, next >= 0x30, next <= 0x39 { return false }
        while let b = byte, b >= 0x30, b <= 0x39 { byte = iterator.next() }
        if byte == 0x2E {
            byte = iterator.next()
            guard let b = byte, b >= 0x30, b <= 0x39 else { return false }
            while let b = byte, b >= 0x30, b <= 0x39 { byte = iterator.next() }
        }
        return byte == nil
    }
}
