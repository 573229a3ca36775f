/// The values seen so far in the columns that must not repeat within a file: the dataset's ID field, and every
/// field whose schema says `constraints.unique`. Reports a record that repeats an earlier one's value.
///
/// Keeps one hash per distinct value and column (with the line of the first record that had it), not the values:
/// memory stays small whatever the file size. Values are compared after normalisation; empty cells never repeat.
/// A class, so that the reader's (lazy) property is updated in place: a copied struct would copy its tables per row.
final class UniqueValues {
    struct Column: Sendable, Equatable {
        /// Index in the record's values (the output column).
        var output: Int
        /// The field's name.
        var field: String
        /// The input column feeding it, for findings.
        var inputColumn: String?
        /// `id.duplicate` for the ID field, `cell.unique` for the others.
        var code: FindingCode
    }

    let columns: [Column]
    /// Per column: the hash of each value seen → the line of the first record with it.
    private var seen: [[Int: Int]]

    init(columns: [Column]) {
        self.columns = columns
        seen = Array(repeating: [:], count: columns.count)
    }

    /// The ID field and the fields with `constraints.unique`, among those the file has.
    convenience init(plan: ColumnPlan, fields: [Field], inputColumns: [String?]) {
        var columns: [Column] = []
        for index in plan.presentFields.sorted() {
            let isID = index == plan.idOutput
            guard isID || fields[index].constraints?.unique == true else { continue }
            columns.append(
                Column(output: index, field: fields[index].name, inputColumn: inputColumns[index], code: isID ? .idDuplicate : .cellUnique)
            )
        }
        self.init(columns: columns)
    }

    /// Notes the record's values, appending an error for each that an earlier record already had.
    func check(_ record: NormalizedRecord, into findings: inout [Finding]) {
        for (position, column) in columns.enumerated() {
            let value = record.values[column.output]
            guard !value.isEmpty else { continue }
            if let first = seen[position][value.hashValue] {
                findings.append(
                    Finding(
                        column.code,
                        .error,
                        line: record.line,
                        column: column.inputColumn,
                        field: column.field,
                        message: "the same \(column.field) as the record on line \(first)",
                        before: value
                    )
                )
            } else {
                seen[position][value.hashValue] = record.line
            }
        }
    }
}

@available(*, unavailable)
extension UniqueValues: Sendable {}
