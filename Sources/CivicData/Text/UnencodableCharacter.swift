/// A character that CP932 cannot hold, found by ``CP932Encoder``.
public struct UnencodableCharacter: Error, Sendable, Equatable, CustomStringConvertible {
    /// The whole character (grapheme cluster) that holds the unencodable scalar.
    public var character: Character
    /// The character's 0-based offset, in `Character`s, in the string given to the encoder.
    public var offset: Int
    /// The first scalar of ``character`` that CP932 cannot hold, as "U+1F600".
    public var scalarHex: String

    public init(character: Character, offset: Int, scalarHex: String) {
        self.character = character
        self.offset = offset
        self.scalarHex = scalarHex
    }

    public var description: String {
        "character \(offset) (\(scalarHex)) cannot be encoded in CP932"
    }
}
