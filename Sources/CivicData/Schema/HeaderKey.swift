import Foundation

/// The comparable form of a column name: header text is matched on this, never verbatim.
///
/// NFKC, the dash family (ー ― ‐ － - ｰ − …) folded to `-`, white space (including U+3000) removed,
/// requirement suffixes such as （必須） dropped, ASCII lower-cased.
public struct HeaderKey: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public init(_ header: String) {
        var text = header.precomposedStringWithCompatibilityMapping
        for suffix in HeaderKey.suffixes where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
        }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20, 0x09, 0x3000, 0xA0, 0xFEFF, 0x0D, 0x0A:
                continue
            case 0x30FC, 0x2015, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFF70, 0x2500, 0xFF0D:
                scalars.append("-")
            case 0x41...0x5A:
                scalars.append(Unicode.Scalar(scalar.value + 0x20)!)
            default:
                scalars.append(scalar)
            }
        }
        var folded = String(scalars)
        for suffix in HeaderKey.suffixes where folded.hasSuffix(suffix) {
            folded.removeLast(suffix.count)
        }
        value = folded
    }

    /// Marks some publishers append to a column name (after NFKC).
    static let suffixes = ["(必須)", "(任意)", "(推奨)", "【必須】", "【任意】", "【推奨】", "※必須", "*", "※"]

    public var description: String { value }
}

extension HeaderKey {
    /// Other readings of a header cell than the whole of it, best first: the parts of a bilingual or two-line name
    /// (`名称/name`, `name／名称`, `名称|Name`, `名称\nめいしょう`), and the local name of a vocabulary term
    /// (`http://schema.org/name`, `http://www.w3.org/2003/01/geo/wgs84_pos#lat`, `schema:name`, `geo:lat`,
    /// `ic:名称`). Empty when there is nothing to split.
    public static func variants(of header: String, sharedPrefix: String? = nil) -> [HeaderKey] {
        var texts: [String] = []
        let trimmed = header.trimmingCharacters(in: .whitespacesAndNewlines)
        // The prefix every column of the file shares (観光ポイント_名称, 観光ポイント_緯度 …): the name after it.
        if let sharedPrefix, trimmed.count > sharedPrefix.count, trimmed.hasPrefix(sharedPrefix) {
            let rest = String(trimmed.dropFirst(sharedPrefix.count))
            texts.append(rest)
            if let qualified = withoutQualifier(rest) { texts.append(qualified) }
        }
        // The name without its furigana or second line: 名称（めいしょう）, 緯度\n(世界測地系).
        if let reading = reading(of: header) { texts.append(reading) }
        // A vocabulary term: what follows the last # or /, or a prefix like schema: (not a time like 9:00).
        if trimmed.contains("://") {
            if let cut = trimmed.lastIndex(where: { $0 == "#" || $0 == "/" }) { texts.append(String(trimmed[trimmed.index(after: cut)...])) }
        } else if let colon = trimmed.firstIndex(of: ":"), trimmed[..<colon].allSatisfy({ $0.isASCII && $0.isLetter }), !trimmed[..<colon].isEmpty {
            texts.append(String(trimmed[trimmed.index(after: colon)...]))
        }
        // A GIS export's field prefix (ArcGIS joins write USER_施設名称, USER_住所).
        for prefix in HeaderKey.exportPrefixes where trimmed.count > prefix.count && trimmed.uppercased().hasPrefix(prefix) {
            texts.append(String(trimmed.dropFirst(prefix.count)))
        }
        // Two names in one cell.
        let separators: Set<Character> = ["/", "／", "|", "｜", "\n", "\r\n", "\r"]
        if !trimmed.contains("://"), trimmed.contains(where: { separators.contains($0) }) {
            texts += trimmed.split(whereSeparator: { separators.contains($0) }).map(String.init)
        }
        // A unit or a note in brackets at the end: 定員(人）, 人数[人], ベビーベッド(有、無), 説明(日本語).
        if let qualified = withoutQualifier(trimmed) { texts.append(qualified) }
        // An IMI 共通語彙基盤 path (名称_表記, 地理座標_緯度, 連絡先_電話番号): the term without _表記, and the property
        // of a container class.
        let term = texts.first { $0.contains("_") } ?? trimmed
        if term.hasSuffix("_表記") { texts.append(String(term.dropLast(3))) }
        if let cut = term.firstIndex(of: "_"), imiContainers.contains(String(term[..<cut])) { texts.append(String(term[term.index(after: cut)...])) }
        var seen: Set<HeaderKey> = [HeaderKey(header)]
        return texts.map(HeaderKey.init).filter { !$0.value.isEmpty && seen.insert($0).inserted }
    }

    /// The prefix, up to and including its first `_`, that at least 80 % of a header's filled cells (three or more)
    /// share — a template that names every column after its subject (観光ポイント_名称, 投票所_緯度) — unless it is one
    /// of the standard's own column groups (所在地_, 名称_, 連絡先_ …). Nil when there is none.
    public static func sharedPrefix(of header: [String]) -> String? {
        let cells = header.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard cells.count >= 3 else { return nil }
        var counts: [String: Int] = [:]
        for cell in cells {
            guard let cut = cell.firstIndex(of: "_"), cut != cell.startIndex, cell.index(after: cut) != cell.endIndex else { continue }
            counts[String(cell[...cut]), default: 0] += 1
        }
        guard let (prefix, count) = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
            count * 5 >= cells.count * 4, !standardGroups.contains(String(prefix.dropLast()))
        else { return nil }
        return prefix
    }

    /// Column groups of the standard layouts written `group_member`: never a shared prefix to look past.
    static let standardGroups: Set<String> = ["所在地", "施設所在地", "名称", "連絡先", "データセット", "災害種別", "画像", "ファイル", "地理座標", "USER"]

    /// The name before a short bracketed qualifier at its end (at most 8 characters inside), or nil.
    static func withoutQualifier(_ header: String) -> String? {
        let closers: [Character: Set<Character>] = [")": ["(", "（"], "）": ["(", "（"], "]": ["[", "［"], "］": ["[", "［"]]
        guard let last = header.last, let openers = closers[last], let open = header.lastIndex(where: { openers.contains($0) }),
            open != header.startIndex
        else { return nil }
        let inside = header[header.index(after: open)..<header.index(before: header.endIndex)]
        guard !inside.isEmpty, inside.count <= 8 else { return nil }
        let name = header[..<open].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }

    /// Prefixes GIS exports put before every field name.
    static let exportPrefixes = ["USER_"]

    /// IMI 共通語彙基盤 classes whose properties files write as `class_property`.
    static let imiContainers: Set<String> = ["地理座標", "連絡先", "住所", "座標"]

    /// The name a header cell means when it carries its reading or a note on further lines or in kana parentheses:
    /// `名称（めいしょう）` → 名称, `名称\nメイショウ` → 名称, `緯度\n(世界測地系)` → 緯度, `想定収容\n人数` → 想定収容人数.
    /// Nil when the cell is already just a name.
    public static func reading(of header: String) -> String? {
        let lines = header.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        .filter { !$0.isEmpty }
        var name: String
        if lines.count > 1 {
            // Further lines that are a reading (kana) or a note in parentheses are dropped; others continue the name.
            name = lines[0]
            for line in lines.dropFirst() where !isKana(line) && !isParenthesised(line) { name += line }
        } else {
            name = lines.first ?? ""
        }
        // Furigana in parentheses at the end.
        for (open, close) in [("（", "）"), ("(", ")")] where name.hasSuffix(close) {
            if let start = name.range(of: open, options: .backwards), start.lowerBound > name.startIndex {
                let inside = name[start.upperBound..<name.index(before: name.endIndex)]
                if isKana(String(inside)) { name = String(name[..<start.lowerBound]).trimmingCharacters(in: .whitespaces) }
            }
        }
        return name.isEmpty || name == header ? nil : name
    }

    /// Hiragana or katakana only (with ー ・ and spaces): a reading.
    static func isKana(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                (0x3041...0x309F).contains(scalar.value) || (0x30A0...0x30FF).contains(scalar.value) || (0xFF66...0xFF9F).contains(scalar.value)
                    || scalar == " " || scalar == "\u{3000}"
            }
    }

    /// `(世界測地系)`, `（任意）`: a note.
    static func isParenthesised(_ text: String) -> Bool {
        (text.hasPrefix("(") && text.hasSuffix(")")) || (text.hasPrefix("（") && text.hasSuffix("）"))
    }
}
