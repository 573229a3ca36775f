/// The standard's "1 or empty" columns (災害種別_*, 指定避難所との重複): "1", or a circle some files use instead.
public enum FlagValue {
    /// "1", "１", ○ (U+25CB), 〇 (U+3007), ◯ (U+25EF) → "1"; "" → "" (unset); nil for anything else (△, ×, ●, 有, …).
    public static func normalized(_ s: String) -> String? {
        let utf8 = s.utf8
        switch utf8.count {
        case 0:
            return s
        case 1:
            return utf8.first == 0x31 ? s : nil
        case 3:
            // １ EF BC 91, ○ E2 97 8B, ◯ E2 97 AF, 〇 E3 80 87.
            var iterator = utf8.makeIterator()
            let (a, b, c) = (iterator.next()!, iterator.next()!, iterator.next()!)
            switch (a, b, c) {
            case (0xEF, 0xBC, 0x91), (0xE2, 0x97, 0x8B), (0xE2, 0x97, 0xAF), (0xE3, 0x80, 0x87): return "1"
            default: return nil
            }
        default:
            return nil
        }
    }
}
