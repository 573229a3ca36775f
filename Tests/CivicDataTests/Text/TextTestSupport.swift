import CivicData
import Foundation

/// Bytes from hexadecimal pairs: `byteArray(hex: "E3 81 82")`.
func byteArray(hex text: String) -> [UInt8] {
    text.split(separator: " ").map { UInt8($0, radix: 16)! }
}

/// The UTF-8 bytes of `text`.
func byteArray(utf8 text: String) -> [UInt8] {
    Array(text.utf8)
}

/// The bytes of `text` in UTF-16, little- or big-endian, without a byte order mark.
func byteArray(utf16 text: String, bigEndian: Bool = false) -> [UInt8] {
    text.utf16.flatMap { unit -> [UInt8] in
        let low = UInt8(unit & 0xFF)
        let high = UInt8(unit >> 8)
        return bigEndian ? [high, low] : [low, high]
    }
}

/// Whether `bytes` is whole, valid UTF-8 (it survives a strict round trip).
func isWholeUTF8(_ bytes: [UInt8]) -> Bool {
    Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes
}

/// Reads everything, checking that every call hands out whole UTF-8 characters.
func readAllText(_ reader: UTF8ChunkReader) throws -> [UInt8] {
    var all: [UInt8] = []
    while true {
        var piece: [UInt8] = []
        guard try reader.read(appendingTo: &piece) else {
            precondition(piece.isEmpty, "read returned false but appended bytes")
            return all
        }
        precondition(!piece.isEmpty, "read returned true but appended nothing")
        precondition(isWholeUTF8(piece), "read split a UTF-8 character: \(piece)")
        all += piece
    }
}

/// Decodes `bytes` to a String through a reader.
func decodeText(_ bytes: [UInt8], encoding: TextEncoding? = nil, chunkSize: Int = 1 << 20) throws -> String {
    let reader = try UTF8ChunkReader(bytes: bytes, displayName: "test.csv", encoding: encoding, chunkSize: chunkSize)
    return String(decoding: try readAllText(reader), as: UTF8.self)
}

/// The error that decoding `bytes` stops with, if any.
func decodeTextError(_ bytes: [UInt8], encoding: TextEncoding? = nil, chunkSize: Int = 1 << 20) -> TextDecodingError? {
    do {
        _ = try decodeText(bytes, encoding: encoding, chunkSize: chunkSize)
        return nil
    } catch {
        return error as? TextDecodingError
    }
}

/// "U+FF5E U+0041": the scalars of `text`.
func scalarList(_ text: String) -> String {
    text.unicodeScalars.map { scalar in
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }.joined(separator: " ")
}

/// The chunk sizes the boundary tests run with.
let textChunkSizes = [1, 2, 3, 7]
