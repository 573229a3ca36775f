/// Writes standard CSV: RFC 4180 quoting, CRLF, UTF-8 (optionally with a BOM) or CP932 for Excel users.
/// Not Sendable.
public final class CSVWriter {
    /// The output encoding.
    public enum Encoding: Sendable, Equatable {
        case utf8
        /// Shift_JIS as Windows writes it; 〜 (U+301C) and − (U+2212) are mapped to the characters Excel shows.
        case cp932
    }

    private let output: ByteWriter
    private let encoding: Encoding
    private let encoder: CP932Encoder?
    private var columns: [String] = []
    private var row: [UInt8] = []

    public init(output: ByteWriter, encoding: Encoding = .utf8, byteOrderMark: Bool = false) throws {
        self.output = output
        self.encoding = encoding
        encoder = encoding == .cp932 ? try CP932Encoder() : nil
        if byteOrderMark && encoding == .utf8 { try output.write([0xEF, 0xBB, 0xBF]) }
    }

    public func writeHeader(_ columns: [String]) throws {
        self.columns = columns
        try writeRow(columns, line: nil)
    }

    /// Writes one row. `line` (the input line) names the cell in the error when CP932 cannot hold a character.
    public func writeRow(_ values: [String], line: Int?) throws {
        row.removeAll(keepingCapacity: true)
        for (index, value) in values.enumerated() {
            if index > 0 { row.append(0x2C) }
            let needsQuotes = value.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            if needsQuotes { row.append(0x22) }
            let start = row.count
            if let encoder {
                if case .failure(let bad) = encoder.encode(value, appendingTo: &row) {
                    let column = index < columns.count ? columns[index] : "列\(index + 1)"
                    throw CSVWriteError(
                        message:
                            "\(line.map { "line \($0)" } ?? "header"), column \(column): \(bad.scalarHex) '\(bad.character)' cannot be written in CP932; write UTF-8 instead",
                        line: line,
                        column: column
                    )
                }
            } else {
                row.append(contentsOf: value.utf8)
            }
            if needsQuotes {
                var index = start
                while index < row.count {
                    if row[index] == 0x22 {
                        row.insert(0x22, at: index)
                        index += 1
                    }
                    index += 1
                }
                row.append(0x22)
            }
        }
        row.append(0x0D)
        row.append(0x0A)
        try output.write(row)
    }

    public func finish() throws { try output.flush() }
}

/// A value cannot be written in the chosen encoding.
public struct CSVWriteError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int?
    public var column: String
    public var description: String { "unencodable: \(message)" }
}

@available(*, unavailable)
extension CSVWriter: Sendable {}
