/// What the reader found out about a file's encoding, and why.
public struct EncodingDetection: Sendable, Equatable {
    /// Why the reader chose ``encoding``.
    public enum Basis: String, Sendable {
        /// The input starts with a byte order mark (EF BB BF, FF FE or FE FF).
        case byteOrderMark
        /// The first non-ASCII bytes, and the whole first chunk, are valid UTF-8.
        case validUTF8
        /// The first chunk is not valid UTF-8, so the reader took it for CP932.
        case notUTF8
        /// Every byte looked at was ASCII, so the reader took UTF-8 (which agrees with CP932 on ASCII).
        case asciiOnly
        /// The caller chose the encoding (`--encoding`).
        case declared
    }

    /// The encoding the reader decodes with.
    public var encoding: TextEncoding
    /// Whether the input starts with a byte order mark (which the reader removes).
    public var hasByteOrderMark: Bool
    /// Why ``encoding`` was chosen; ``Basis/declared`` when the caller chose it.
    public var basis: Basis

    public init(encoding: TextEncoding, hasByteOrderMark: Bool, basis: Basis) {
        self.encoding = encoding
        self.hasByteOrderMark = hasByteOrderMark
        self.basis = basis
    }
}
