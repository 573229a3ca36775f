/// Full-width (全角) ASCII look-alikes in cells that should be half-width: digits, Latin letters, a few symbols, dashes.
public enum Width {
    /// Full-width digits, Latin letters and the punctuation `-:/().,+#@_` plus U+3000 → ASCII; with `dashes`, also ‐‑‒–—― and − → "-", and ー/ｰ → "-" between two digits. Same String back when nothing changes.
    public static func narrowed(_ s: String, dashes: Bool = true) -> String {
        guard mayChange(s, dashes: dashes) else { return s }
        let scalars = s.unicodeScalars
        let end = scalars.endIndex
        var index = scalars.startIndex
        var previous: Unicode.Scalar?
        // Find the first scalar that changes; most cells have none.
        while index != end {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            if replacement(scalar, previous: previous, next: next == end ? nil : scalars[next], dashes: dashes) != nil {
                break
            }
            previous = scalar
            index = next
        }
        if index == end { return s }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        bytes.append(contentsOf: s.utf8[..<index])
        while index != end {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            if let ascii = replacement(scalar, previous: previous, next: next == end ? nil : scalars[next], dashes: dashes) {
                bytes.append(ascii)
            } else {
                ValueScan.append(scalar, to: &bytes)
            }
            previous = scalar
            index = next
        }
        return ValueScan.string(bytes)
    }

    /// True when `s` holds any full-width ASCII variant (U+FF01–U+FF5E, e.g. ２, Ａ, －); U+3000 is not counted.
    public static func containsWideASCII(_ s: String) -> Bool {
        // U+FF01…U+FF3F is EF BC 81…BF; U+FF40…U+FF5E is EF BD 80…9E.
        ValueScan.containsThreeByteSequence(s) { a, b, c in a == 0xEF && ((b == 0xBC && c >= 0x81) || (b == 0xBD && c <= 0x9E)) }
    }

    /// Byte-level pre-scan: false when no scalar `narrowed` could map is present (candidates are re-checked in context).
    @inline(__always)
    private static func mayChange(_ s: String, dashes: Bool) -> Bool {
        ValueScan.containsThreeByteSequence(s) { a, b, c in
            switch a {
            case 0xEF: return (b == 0xBC && c >= 0x81) || (b == 0xBD && (c <= 0x9E || c == 0xB0))  // U+FF01…FF5E, U+FF70
            case 0xE3: return (b == 0x80 && c == 0x80) || (dashes && b == 0x83 && c == 0xBC)  // U+3000, U+30FC
            case 0xE2: return dashes && ((b == 0x80 && c >= 0x90 && c <= 0x95) || (b == 0x88 && c == 0x92))  // U+2010…2015, U+2212
            default: return false
            }
        }
    }

    /// The ASCII byte that `scalar` narrows to in its context, or nil to keep it.
    @inline(__always)
    private static func replacement(
        _ scalar: Unicode.Scalar,
        previous: Unicode.Scalar?,
        next: Unicode.Scalar?,
        dashes: Bool
    ) -> UInt8? {
        let v = scalar.value
        if v < 0x80 { return nil }
        switch v {
        case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
            return UInt8(v - 0xFEE0)
        case 0xFF0D, 0xFF1A, 0xFF0F, 0xFF08, 0xFF09, 0xFF0E, 0xFF0C, 0xFF0B, 0xFF03, 0xFF20, 0xFF3F:
            return UInt8(v - 0xFEE0)  // －：／（）．，＋＃＠＿
        case 0x3000:
            return 0x20
        case 0x2010...0x2015, 0x2212:
            return dashes ? 0x2D : nil
        case 0x30FC, 0xFF70:
            guard dashes, let previous, let next, ValueScan.isAnyWidthDigit(previous), ValueScan.isAnyWidthDigit(next)
            else { return nil }
            return 0x2D
        default:
            return nil
        }
    }
}
