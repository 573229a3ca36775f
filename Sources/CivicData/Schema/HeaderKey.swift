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
    public static func variants(of header: String) -> [HeaderKey] {
        var texts: [String] = []
        let trimmed = header.trimmingCharacters(in: .whitespacesAndNewlines)
        // A vocabulary term: what follows the last # or /, or a prefix like schema: (not a time like 9:00).
        if trimmed.contains("://") {
            if let cut = trimmed.lastIndex(where: { $0 == "#" || $0 == "/" }) { texts.append(String(trimmed[trimmed.index(after: cut)...])) }
        } else if let colon = trimmed.firstIndex(of: ":"), trimmed[..<colon].allSatisfy({ $0.isASCII && $0.isLetter }), !trimmed[..<colon].isEmpty {
            texts.append(String(trimmed[trimmed.index(after: colon)...]))
        }
        // Two names in one cell.
        let separators: Set<Character> = ["/", "／", "|", "｜", "\n", "\r\n", "\r"]
        if !trimmed.contains("://"), trimmed.contains(where: { separators.contains($0) }) {
            texts += trimmed.split(whereSeparator: { separators.contains($0) }).map(String.init)
        }
        return texts.map(HeaderKey.init).filter { !$0.value.isEmpty && $0 != HeaderKey(header) }
    }
}
