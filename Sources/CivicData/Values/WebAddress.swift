/// URL and メールアドレス cells (URL, 画像, 連絡先FormURL, 連絡先メールアドレス).
public enum WebAddress {
    /// Absolute http(s) URL with a non-empty host (letters, digits, "-", ".", non-ASCII, or [IPv6]) and optional port; no spaces or control characters anywhere.
    public static func isValidURL(_ s: String) -> Bool {
        let utf8 = s.utf8
        for scalar in s.unicodeScalars where !isURLCharacter(scalar) { return false }
        var index = utf8.startIndex
        // Scheme, case-insensitive.
        for expected in "http".utf8 {
            guard index != utf8.endIndex, utf8[index] | 0x20 == expected else { return false }
            index = utf8.index(after: index)
        }
        if index != utf8.endIndex, utf8[index] | 0x20 == UInt8(ascii: "s") { index = utf8.index(after: index) }
        for expected in "://".utf8 {
            guard index != utf8.endIndex, utf8[index] == expected else { return false }
            index = utf8.index(after: index)
        }
        // Authority: [userinfo@]host[:port], up to / ? # or the end.
        var authority = index
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x2F || byte == 0x3F || byte == 0x23 { break }
            if byte == 0x40 { authority = utf8.index(after: index) }  // skip userinfo
            index = utf8.index(after: index)
        }
        return isHostAndPort(utf8[authority..<index])
    }

    /// Pragmatic ASCII address `local@domain.tld`: dot-atom local part ≤ 64, domain of ≥ 2 labels of letters/digits/"-" and an alphabetic TLD.
    public static func isValidEmail(_ s: String) -> Bool {
        let utf8 = s.utf8
        guard utf8.count <= 254, let at = utf8.firstIndex(of: 0x40) else { return false }
        let local = utf8[..<at]
        let domain = utf8[utf8.index(after: at)...]
        guard !local.isEmpty, local.count <= 64, local.first != 0x2E, local.last != 0x2E else { return false }
        for byte in local where !isAtext(byte) && byte != 0x2E { return false }
        return isDomain(domain, requireTLD: true)
    }

    // MARK: - Parts

    /// host[:port] where host is a domain-like name (ASCII or not) or an [IPv6] literal.
    private static func isHostAndPort(_ bytes: Substring.UTF8View) -> Bool {
        guard let first = bytes.first else { return false }
        var hostEnd = bytes.endIndex
        if first == 0x5B {  // [v6]
            guard let close = bytes.firstIndex(of: 0x5D), bytes.distance(from: bytes.startIndex, to: close) > 1 else { return false }
            for byte in bytes[bytes.index(after: bytes.startIndex)..<close] {
                guard ValueScan.isDigit(byte) || (byte | 0x20) &- 0x61 < 6 || byte == 0x3A || byte == 0x2E else { return false }
            }
            hostEnd = bytes.index(after: close)
        } else {
            hostEnd = bytes.firstIndex(of: 0x3A) ?? bytes.endIndex
            let host = bytes[..<hostEnd]
            guard !host.isEmpty, host.first != 0x2E, host.first != 0x2D else { return false }
            var previous: UInt8 = 0
            for byte in host {
                let ok = byte >= 0x80 || ValueScan.isDigit(byte) || (byte | 0x20) &- 0x61 < 26 || byte == 0x2D || byte == 0x2E
                guard ok, !(byte == 0x2E && previous == 0x2E) else { return false }
                previous = byte
            }
        }
        guard hostEnd != bytes.endIndex else { return true }
        guard bytes[hostEnd] == 0x3A else { return false }
        let port = bytes[bytes.index(after: hostEnd)...]
        return port.count <= 5 && port.allSatisfy(ValueScan.isDigit)
    }

    /// A domain of letters, digits and "-" labels; with `requireTLD`, ≥ 2 labels and an alphabetic last label of ≥ 2 letters.
    private static func isDomain(_ bytes: Substring.UTF8View, requireTLD: Bool) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        var labels = 0
        var labelLength = 0
        var labelAlphabetic = true
        var previous: UInt8 = 0x2E
        for byte in bytes {
            if byte == 0x2E {
                guard labelLength > 0, previous != 0x2D else { return false }
                labels += 1
                labelLength = 0
                labelAlphabetic = true
            } else {
                let isLetter = (byte | 0x20) &- 0x61 < 26
                guard isLetter || ValueScan.isDigit(byte) || byte == 0x2D else { return false }
                guard !(byte == 0x2D && labelLength == 0) else { return false }
                labelLength += 1
                guard labelLength <= 63 else { return false }
                if !isLetter { labelAlphabetic = false }
            }
            previous = byte
        }
        guard labelLength > 0, previous != 0x2D else { return false }
        labels += 1
        return !requireTLD || (labels >= 2 && labelAlphabetic && labelLength >= 2)
    }

    /// RFC 5322 atext: letters, digits and !#$%&'*+-/=?^_`{|}~.
    @inline(__always)
    private static func isAtext(_ byte: UInt8) -> Bool {
        if ValueScan.isDigit(byte) || (byte | 0x20) &- 0x61 < 26 { return true }
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
            UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Any character but spaces (ASCII, U+3000, NBSP), other whitespace, controls, and `"<>\`.
    @inline(__always)
    private static func isURLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v <= 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return false }
        switch v {
        case 0x22, 0x3C, 0x3E, 0x5C, 0xA0, 0x3000, 0x2028, 0x2029, 0xFEFF: return false
        default: return true
        }
    }
}
