/// A1-style cell references: column letters ↔ 0-based column numbers, and `B12` parsed from bytes.
import Foundation

public enum CellReference {
    /// "A" for 0, "Z" for 25, "AA" for 26… (Excel's bijective base 26).
    public static func letters(_ column: Int) -> String {
        var number = column + 1
        var scalars: [UInt8] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            scalars.append(UInt8(65 + remainder))
            number = (number - 1) / 26
        }
        return String(decoding: scalars.reversed(), as: UTF8.self)
    }

    /// The 0-based column and 1-based row of a reference such as `B12` (nil when it is not one; `$` allowed).
    /// Columns beyond `maximumColumn` are refused without being computed in full.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maximumColumn: Int = 16_384) -> (column: Int, row: Int)? {
        var index = 0
        var column = 0
        if index < bytes.count, bytes[index] == 0x24 { index += 1 }
        let start = index
        while index < bytes.count {
            var byte = bytes[index]
            if byte >= 0x61 && byte <= 0x7A { byte -= 0x20 }
            guard byte >= 0x41 && byte <= 0x5A else { break }
            column = column * 26 + Int(byte - 0x40)
            if column > maximumColumn { return nil }
            index += 1
        }
        guard index > start else { return nil }
        if index < bytes.count, bytes[index] == 0x24 { index += 1 }
        var row = 0
        let rowStart = index
        while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 {
            row = row * 10 + Int(bytes[index] - 0x30)
            if row > 100_000_000 { return nil }
            index += 1
        }
        guard index == bytes.count, index > rowStart, row >= 1 else { return nil }
        return (column - 1, row)
    }

    /// A range such as `A1:F1` (a single cell gives the same corners).
    static func parseRange(_ text: String) -> (first: (column: Int, row: Int), last: (column: Int, row: Int))? {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        func cell(_ part: String) -> (column: Int, row: Int)? {
            var part = part
            return part.withUTF8 { parse($0) }
        }
        guard let first = parts.first.flatMap(cell) else { return nil }
        let last = parts.count == 2 ? cell(parts[1]) : first
        guard let last else { return nil }
        return (first, last)
    }

    /// A sheet name as a reference writes it: quoted when it holds spaces or punctuation.
    public static func sheetPrefix(_ name: String) -> String {
        let plain = name.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" || scalar == "."
        }
        return plain && !name.isEmpty ? name + "!" : "'" + name.replacingOccurrences(of: "'", with: "''") + "'!"
    }
}
