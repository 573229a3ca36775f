import CivicData

/// A feature's values as the store keeps them: a JSON array of strings (`json_extract` filters and sorts on it),
/// written by `JSONBytes`. Reading them back is on every request's path, so this decodes the bytes directly
/// instead of going through `JSONDecoder` (a tenth of the time on a 100-feature page).
enum StoredValues {
    struct Malformed: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "stored values are not a JSON array of strings (byte \(offset))" }
    }

    /// Appends values as the store keeps them: a JSON array of strings (what `decode` reads back).
    /// Values without anything to escape (nearly all) are copied with `memcpy` into one scratch buffer, appended
    /// once; a value with a quote, a backslash or a control character is written by `JSONBytes.appendString` (an
    /// append per quote and value was a tenth of storing a million records).
    static func append(_ values: [String], to out: inout [UInt8]) {
        // Each value's bytes, its quotes and a comma; the brackets.
        let bound = values.reduce(2) { $0 + $1.utf8.count + 3 }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { buffer in
            guard let target = buffer.baseAddress else { return }
            target[0] = 0x5B
            var written = 1
            for index in values.indices {
                if index > 0 {
                    target[written] = 0x2C
                    written += 1
                }
                var value = values[index]
                let plain = value.withUTF8 { bytes -> Bool in
                    guard !bytes.contains(where: JSONBytes.needsEscape) else { return false }
                    target[written] = 0x22
                    if let base = bytes.baseAddress { (target + written + 1).update(from: base, count: bytes.count) }
                    target[written + 1 + bytes.count] = 0x22
                    written += bytes.count + 2
                    return true
                }
                if !plain {
                    // Escaped: what is written so far, then this value by the general writer, then the rest.
                    out.append(contentsOf: UnsafeBufferPointer(start: target, count: written))
                    written = 0
                    JSONBytes.appendString(value, to: &out)
                }
            }
            target[written] = 0x5D
            written += 1
            out.append(contentsOf: UnsafeBufferPointer(start: target, count: written))
        }
    }

    static func decode(_ text: String) throws -> [String] {
        var text = text
        return try text.withUTF8 { try decode($0) }
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [String] {
        var values: [String] = []
        var index = 0
        let count = bytes.count
        func skipSpace() {
            while index < count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
        }
        skipSpace()
        guard index < count, bytes[index] == 0x5B else { throw Malformed(offset: index) }
        index += 1
        skipSpace()
        if index < count, bytes[index] == 0x5D { return values }
        var scratch: [UInt8] = []
        while true {
            skipSpace()
            guard index < count, bytes[index] == 0x22 else { throw Malformed(offset: index) }
            index += 1
            let start = index
            // Fast path: no escapes, one slice.
            while index < count, bytes[index] != 0x22, bytes[index] != 0x5C { index += 1 }
            guard index < count else { throw Malformed(offset: index) }
            if bytes[index] == 0x22 {
                values.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                index += 1
            } else {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                while true {
                    guard index < count else { throw Malformed(offset: index) }
                    let byte = bytes[index]
                    if byte == 0x22 {
                        index += 1
                        break
                    }
                    guard byte == 0x5C else {
                        scratch.append(byte)
                        index += 1
                        continue
                    }
                    guard index + 1 < count else { throw Malformed(offset: index) }
                    let escaped = bytes[index + 1]
                    index += 2
                    if let simple = JSONEscape.byte(for: escaped) {
                        scratch.append(simple)
                        continue
                    }
                    switch escaped {
                    case 0x75:
                        var scalar = try hex4(bytes, &index)
                        if JSONEscape.isHighSurrogate(scalar), index + 1 < count, bytes[index] == 0x5C, bytes[index + 1] == 0x75 {
                            index += 2
                            let low = try hex4(bytes, &index)
                            scalar = JSONEscape.scalar(high: scalar, low: low)
                        }
                        let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                        scratch.append(contentsOf: Array(String(character).utf8))
                    default: throw Malformed(offset: index - 1)
                    }
                }
                values.append(String(decoding: scratch, as: UTF8.self))
            }
            skipSpace()
            guard index < count else { throw Malformed(offset: index) }
            if bytes[index] == 0x2C {
                index += 1
                continue
            }
            guard bytes[index] == 0x5D else { throw Malformed(offset: index) }
            return values
        }
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw Malformed(offset: index) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw Malformed(offset: index)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
