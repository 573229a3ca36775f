/// Encodes text to CP932 for Excel users. Owns one iconv descriptor (UTF-8 → CP932), closed in `deinit`.
///
/// Before encoding, it maps the characters on which the standard JIS X 0208 mapping and CP932 disagree to the
/// ones CP932 decodes to, so that the bytes read back (by Civic, Excel or iconv) as the character CP932 has:
///
/// | from | to | CP932 |
/// | --- | --- | --- |
/// | U+301C 〜 WAVE DASH | U+FF5E ～ FULLWIDTH TILDE | 81 60 |
/// | U+2212 − MINUS SIGN | U+FF0D － FULLWIDTH HYPHEN-MINUS | 81 7C |
/// | U+2016 ‖ DOUBLE VERTICAL LINE | U+2225 ∥ PARALLEL TO | 81 61 |
/// | U+2014 — EM DASH | U+2015 ― HORIZONTAL BAR | 81 5C |
/// | U+00A2 ¢ | U+FFE0 ￠ | 81 91 |
/// | U+00A3 £ | U+FFE1 ￡ | 81 92 |
/// | U+00AC ¬ | U+FFE2 ￢ | 81 CA |
///
/// Characters whose only CP932 form reads back as another character are refused rather than changed: U+00A5 ¥
/// and U+203E ‾ (glibc would write 5C and 7E, which read back as \ and ~), and the tag characters
/// U+E0000–U+E007F (which glibc drops). Nothing is normalised: a decomposed ガ (カ + U+3099) is refused.
///
/// Not Sendable: use one encoder per task.
public final class CP932Encoder {
    private let converter: IConv
    private var mapped: [UInt8] = []
    private var output: [UInt8] = []

    /// - Throws: ``TextDecodingError`` with code ``TextDecodingError/Code/unsupportedEncoding`` when this
    ///   system's iconv has no CP932.
    public init() throws {
        guard let converter = IConv(from: "UTF-8", to: "CP932") else {
            throw TextDecodingError(
                code: .unsupportedEncoding,
                message: "this system's iconv cannot convert UTF-8 to CP932; write UTF-8 instead",
                file: "-",
                byteOffset: 0,
                line: 1
            )
        }
        self.converter = converter
    }

    /// Appends `string` in CP932 to `buffer`.
    ///
    /// - Returns: `.failure` with the first character CP932 cannot hold and its offset in `Character`s; `buffer`
    ///   is then unchanged.
    public func encode(_ string: String, appendingTo buffer: inout [UInt8]) -> Result<Void, UnencodableCharacter> {
        var string = string
        string.makeContiguousUTF8()
        let needsMapping =
            string.utf8.withContiguousStorageIfAvailable { bytes in
                // Every scalar to map or refuse starts with C2, E2, E3 or F3.
                bytes.contains { $0 == 0xC2 || $0 == 0xE2 || $0 == 0xE3 || $0 == 0xF3 }
            } ?? true
        if needsMapping {
            mapped.removeAll(keepingCapacity: true)
            for scalar in string.unicodeScalars {
                guard let replacement = Self.mapping(for: scalar) else {
                    return .failure(unencodable(string, atMappedOffset: mapped.count))
                }
                mapped.append(contentsOf: String(replacement).utf8)
            }
            let mapped = self.mapped
            return mapped.withUnsafeBufferPointer { convert($0, original: string, appendingTo: &buffer) }
        }
        return string.utf8.withContiguousStorageIfAvailable { convert($0, original: string, appendingTo: &buffer) }
            ?? Array(string.utf8).withUnsafeBufferPointer { convert($0, original: string, appendingTo: &buffer) }
    }

    /// The scalar to encode in place of `scalar`, or nil if it must be refused.
    static func mapping(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x301C: "\u{FF5E}"
        case 0x2212: "\u{FF0D}"
        case 0x2016: "\u{2225}"
        case 0x2014: "\u{2015}"
        case 0x00A2: "\u{FFE0}"
        case 0x00A3: "\u{FFE1}"
        case 0x00AC: "\u{FFE2}"
        case 0x00A5, 0x203E, 0xE0000...0xE007F: nil
        default: scalar
        }
    }

    private func convert(
        _ utf8: UnsafeBufferPointer<UInt8>,
        original: String,
        appendingTo buffer: inout [UInt8]
    ) -> Result<Void, UnencodableCharacter> {
        // CP932 is never longer than UTF-8: 1 → 1, 2 → ≤ 2, 3 → ≤ 2 bytes.
        if output.count < utf8.count + 16 { output = [UInt8](repeating: 0, count: utf8.count + 16) }
        converter.reset()
        let result = output.withUnsafeMutableBytes { output in converter.convert(UnsafeRawBufferPointer(utf8), into: output) }
        guard result.stop == .complete else {
            return .failure(unencodable(original, atMappedOffset: result.consumed))
        }
        output.withUnsafeBufferPointer { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<result.produced])) }
        return .success(())
    }

    /// The character of `string` holding the scalar at `offset` in its mapped UTF-8.
    private func unencodable(_ string: String, atMappedOffset offset: Int) -> UnencodableCharacter {
        var position = 0
        for (index, character) in string.enumerated() {
            for scalar in character.unicodeScalars {
                let length = Self.mapping(for: scalar).map { String($0).utf8.count } ?? scalar.utf8.count
                if position + length > offset {
                    return UnencodableCharacter(character: character, offset: index, scalarHex: Self.hex(scalar))
                }
                position += length
            }
        }
        // Not reached: iconv stops inside the input.
        let last = string.last ?? " "
        return UnencodableCharacter(character: last, offset: max(0, string.count - 1), scalarHex: Self.hex(last.unicodeScalars.first!))
    }

    static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

@available(*, unavailable)
extension CP932Encoder: Sendable {}
