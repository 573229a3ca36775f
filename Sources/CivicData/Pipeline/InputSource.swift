public import Foundation

/// Where a file's bytes come from.
public enum InputSource: Sendable {
    case file(URL)
    case standardInput
    /// Bytes in memory, with a name for messages.
    case bytes([UInt8], name: String)

    /// The name used in messages and reports ("-" for standard input).
    public var displayName: String {
        switch self {
        case .file(let url): url.relativePath
        case .standardInput: "-"
        case .bytes(_, let name): name
        }
    }

    /// A path, or "-" for standard input.
    public init(path: String) {
        self = path == "-" ? .standardInput : .file(URL(fileURLWithPath: path))
    }

    /// A chunk reader over the source (UTF-8 out, encoding detected unless given).
    public func makeChunkReader(encoding: TextEncoding?) throws -> UTF8ChunkReader {
        switch self {
        case .file(let url):
            try UTF8ChunkReader(url: url, encoding: encoding)
        case .standardInput:
            try UTF8ChunkReader(fileHandle: .standardInput, displayName: "-", encoding: encoding)
        case .bytes(let bytes, let name):
            try UTF8ChunkReader(bytes: bytes, displayName: name, encoding: encoding)
        }
    }
}
