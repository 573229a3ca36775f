/// 利用可能曜日 cells in the concatenated notation of real files: 月火水木金, 火水木金土日, 月火水木金土日祝, 土日祝.
public enum Weekdays {
    /// nil when `s` is a non-empty in-order subset of 月火水木金土日, optionally followed by 祝; else a short English reason.
    ///
    /// Reasons: "empty", "unknown character 'X'", "days out of order", "repeated day", "祝 without a day".
    public static func problem(in s: String) -> String? {
        var last = -1
        for scalar in s.unicodeScalars {
            guard let rank = rank(of: scalar) else {
                // Report the whole grapheme, as a reader would see it.
                let character = s.first { $0.unicodeScalars.contains { rank(of: $0) == nil } } ?? Character(scalar)
                return "unknown character '\(character)'"
            }
            if rank == last { return "repeated day" }
            if rank < last { return "days out of order" }
            if rank == 7 && last < 0 { return "祝 without a day" }
            last = rank
        }
        return last < 0 ? "empty" : nil
    }

    /// 月 0 … 日 6, 祝 7.
    @inline(__always)
    private static func rank(of scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 0x6708: return 0  // 月
        case 0x706B: return 1  // 火
        case 0x6C34: return 2  // 水
        case 0x6728: return 3  // 木
        case 0x91D1: return 4  // 金
        case 0x571F: return 5  // 土
        case 0x65E5: return 6  // 日
        case 0x795D: return 7  // 祝
        default: return nil
        }
    }
}
