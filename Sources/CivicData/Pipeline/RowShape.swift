/// Checks a row's shape against the header: an unterminated quote, too few cells, cells beyond the header (whose
/// values are kept in the report, since no output column holds them).
enum RowShape {
    static func findings(for row: CSVRow, headerCount: Int, into findings: inout [Finding]) {
        let line = row.line
        if row.hasUnterminatedQuote {
            findings.append(
                Finding(
                    .rowUnterminatedQuote,
                    .error,
                    line: line,
                    message: "a quote (\") opened on this line never closes; the last cell runs to the end of the file"
                )
            )
        }
        if row.cells.count < headerCount {
            findings.append(
                Finding(
                    .rowTooFewCells,
                    .warning,
                    line: line,
                    message: "\(row.cells.count) cells where the header has \(headerCount); the missing ones are empty"
                )
            )
        } else if row.cells.count > headerCount {
            let extra = row.cells[headerCount...]
            if extra.allSatisfy(\.isEmpty) {
                findings.append(
                    Finding(
                        .rowTooManyCells,
                        .info,
                        line: line,
                        message: "\(row.cells.count) cells where the header has \(headerCount); the extra cells are empty"
                    )
                )
                return
            }
            for (offset, cell) in extra.enumerated() where !cell.isEmpty {
                findings.append(
                    Finding(
                        .rowTooManyCells,
                        .error,
                        line: line,
                        column: "列\(headerCount + offset + 1)",
                        message:
                            "cell \(headerCount + offset + 1) is beyond the header's \(headerCount) columns; its value is kept only in this report",
                        before: cell
                    )
                )
            }
        }
    }
}
