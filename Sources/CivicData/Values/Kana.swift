/// Katakana readings (名称_カナ): half-width → full-width, hiragana → katakana, and the 全角カナ check.
public enum Kana {
    /// Half-width katakana → full-width, combining ﾞ/ﾟ into voiced forms (ｶﾞ→ガ, ﾊﾟ→パ, ｳﾞ→ヴ), ｰ→ー, ･→・, ｡｢｣､→。「」、; other characters unchanged.
    public static func fullWidthKatakana(fromHalfWidth s: String) -> String {
        guard containsHalfWidthKatakana(s) else { return s }
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: isHalfWidthKatakana) else { return s }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + s.utf8.count / 2)
        bytes.append(contentsOf: s.utf8[..<first])
        var index = first
        // The full-width letter just converted from a half-width one, which a following ﾞ/ﾟ may voice.
        var pending: UInt32?
        while index != scalars.endIndex {
            let v = scalars[index].value
            index = scalars.index(after: index)
            switch v {
            case 0xFF9E, 0xFF9F:
                if let base = pending, let combined = v == 0xFF9E ? voiced(base) : semiVoiced(base) {
                    pending = combined
                } else {
                    flush(&pending, into: &bytes)
                    appendScalar(v == 0xFF9E ? 0x309B : 0x309C, to: &bytes)
                }
            case 0xFF61...0xFF9D:
                flush(&pending, into: &bytes)
                pending = UInt32(halfToFull[Int(v - 0xFF61)])
            default:
                flush(&pending, into: &bytes)
                ValueScan.append(Unicode.Scalar(v)!, to: &bytes)
            }
        }
        flush(&pending, into: &bytes)
        return ValueScan.string(bytes)
    }

    /// Hiragana (ぁ–ゖ, ゝゞ) → katakana (ァ–ヶ, ヽヾ); others unchanged.
    public static func katakana(fromHiragana s: String) -> String {
        guard containsHiragana(s) else { return s }
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: isHiragana) else { return s }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        bytes.append(contentsOf: s.utf8[..<first])
        for scalar in scalars[first...] {
            if isHiragana(scalar) {
                appendScalar(scalar.value + 0x60, to: &bytes)
            } else {
                ValueScan.append(scalar, to: &bytes)
            }
        }
        return ValueScan.string(bytes)
    }

    /// True when `s` holds any half-width katakana or half-width Japanese punctuation (U+FF61–U+FF9F).
    public static func containsHalfWidthKatakana(_ s: String) -> Bool {
        // U+FF61…U+FF7F is EF BD A1…BF; U+FF80…U+FF9F is EF BE 80…9F.
        ValueScan.containsThreeByteSequence(s) { a, b, c in a == 0xEF && ((b == 0xBD && c >= 0xA1) || (b == 0xBE && c <= 0x9F)) }
    }

    /// True when `s` holds any hiragana (ぁ–ゖ, ゝゞ).
    public static func containsHiragana(_ s: String) -> Bool {
        // U+3041…U+307F is E3 81 81…BF; U+3080…U+3096 and ゝゞ are E3 82 80…96, 9D, 9E.
        ValueScan.containsThreeByteSequence(s) { a, b, c in
            a == 0xE3 && ((b == 0x81 && c >= 0x81) || (b == 0x82 && (c <= 0x96 || c == 0x9D || c == 0x9E)))
        }
    }

    /// First Character outside 全角カナ (katakana ァ–ヺ incl. ヴヵヶ, ー, ・, ヽヾ, spaces, digits and Latin letters of either width, （）()); nil if none.
    public static func firstNonKatakana(in s: String) -> Character? {
        guard s.unicodeScalars.contains(where: { !isAllowedInReading($0) }) else { return nil }
        // Error path only: report the whole grapheme (ｶﾞ, or a base with a combining mark).
        return s.first { character in character.unicodeScalars.contains { !isAllowedInReading($0) } }
    }

    // MARK: - Tables and predicates

    /// Full-width forms of U+FF61…U+FF9F (NFKC, except ﾞﾟ, which map to the spacing ゛゜ when alone).
    private static let halfToFull: [UInt16] = [
        0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2, 0x30A1, 0x30A3,  // ｡｢｣､･ｦｧｨ
        0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3, 0x30FC,  // ｩｪｫｬｭｮｯｰ
        0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF,  // ｱｲｳｴｵｶｷｸ
        0x30B1, 0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF,  // ｹｺｻｼｽｾｿﾀ
        0x30C1, 0x30C4, 0x30C6, 0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD,  // ﾁﾂﾃﾄﾅﾆﾇﾈ
        0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8, 0x30DB, 0x30DE, 0x30DF,  // ﾉﾊﾋﾌﾍﾎﾏﾐ
        0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9, 0x30EA,  // ﾑﾒﾓﾔﾕﾖﾗﾘ
        0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3, 0x309B, 0x309C,  // ﾙﾚﾛﾜﾝﾞﾟ
    ]

    /// The voiced (dakuten) form of a full-width katakana letter: カ→ガ … ト→ド, ハ→バ … ホ→ボ, ウ→ヴ, ワ→ヷ, ヲ→ヺ.
    private static func voiced(_ v: UInt32) -> UInt32? {
        switch v {
        case 0x30AB, 0x30AD, 0x30AF, 0x30B1, 0x30B3,  // カキクケコ
            0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD,  // サシスセソ
            0x30BF, 0x30C1, 0x30C4, 0x30C6, 0x30C8,  // タチツテト
            0x30CF, 0x30D2, 0x30D5, 0x30D8, 0x30DB:  // ハヒフヘホ
            return v + 1
        case 0x30A6: return 0x30F4  // ウ → ヴ
        case 0x30EF: return 0x30F7  // ワ → ヷ
        case 0x30F2: return 0x30FA  // ヲ → ヺ
        default: return nil
        }
    }

    /// The semi-voiced (handakuten) form: ハ→パ … ホ→ポ.
    private static func semiVoiced(_ v: UInt32) -> UInt32? {
        switch v {
        case 0x30CF, 0x30D2, 0x30D5, 0x30D8, 0x30DB: return v + 2
        default: return nil
        }
    }

    /// U+FF61–U+FF9F: half-width katakana, ﾞﾟ and ｡｢｣､･.
    @inline(__always)
    private static func isHalfWidthKatakana(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value &- 0xFF61 <= 0xFF9F - 0xFF61
    }

    /// ぁ (U+3041) … ゖ (U+3096), ゝ (U+309D), ゞ (U+309E).
    @inline(__always)
    private static func isHiragana(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v &- 0x3041 <= 0x3096 - 0x3041 || v == 0x309D || v == 0x309E
    }

    /// The characters a 全角カナ reading may contain.
    @inline(__always)
    private static func isAllowedInReading(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30A1...0x30FE: return true  // ァ…ヺ, ・, ー, ヽ, ヾ
        case 0x20, 0x3000: return true  // spaces
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true  // ASCII digits and letters
        case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A: return true  // full-width digits and letters
        case 0x28, 0x29, 0xFF08, 0xFF09: return true  // ( ) （ ）
        default: return false
        }
    }

    /// Appends a scalar value known to be valid.
    @inline(__always)
    private static func appendScalar(_ v: UInt32, to bytes: inout [UInt8]) {
        ValueScan.append(Unicode.Scalar(v)!, to: &bytes)
    }

    /// Writes out and clears the pending converted letter.
    @inline(__always)
    private static func flush(_ pending: inout UInt32?, into bytes: inout [UInt8]) {
        if let v = pending {
            appendScalar(v, to: &bytes)
            pending = nil
        }
    }
}
