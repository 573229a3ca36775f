/// Writes a report for people: a heading about the file, one line per finding as it arrives, then the counts.
/// Values appear only when `showValues` is set, except those of findings that are the only copy of input cells
/// (`Finding.isOnlyCopy`). Not Sendable.
public final class TextReportWriter: FindingSink {
    private let output: ByteWriter
    private let showValues: Bool
    /// Findings below this severity are counted but not listed (`info` lists everything).
    public var listedSeverity: Severity

    public init(output: ByteWriter, showValues: Bool = false, listedSeverity: Severity = .fixed) {
        self.output = output
        self.showValues = showValues
        self.listedSeverity = listedSeverity
    }

    /// Writes the heading: which file, which dataset and layout, and why.
    public func begin(_ layout: RecordLayout) throws {
        let r = layout.recognition
        let file = layout.file
        let layout: String
        switch r.layout {
        case .current: layout = "current layout (自治体標準オープンデータセット)"
        case .legacy: layout = "legacy 2019 layout (推奨データセット)"
        case .nonStandard: layout = "non-standard layout (標準外), closest: \(r.title)"
        }
        try output.write(
            """
            \(file)
              dataset:  \(r.dataset) \(r.title) — \(layout), score \(r.score)\(r.declared ? " (given)" : "")
              why:      \(r.reason)

            """
        )
    }

    public func receive(_ finding: Finding) throws {
        guard finding.severity <= listedSeverity else { return }
        var text = "  "
        text += finding.cell ?? finding.line.map { "line \($0)" } ?? "file"
        if let column = finding.column { text += ", \(column)" }
        if let field = finding.field, field != finding.column { text += " → \(field)" }
        text += ": \(finding.severity.rawValue) \(finding.code): \(finding.message)"
        if showValues || finding.isOnlyCopy {
            if let before = finding.before { text += " [\(before)" + (showValues ? finding.after.map { " → \($0)" } ?? "" : "") + "]" }
        }
        try output.write(text + "\n")
    }

    /// Writes how the file was read and the counts per column and in total.
    public func finish(_ report: Report) throws {
        let source = report.source
        let summary = report.summary
        let read =
            source.format == "geojson"
            ? "GeoJSON (UTF-8), \(source.lineEndings) line endings, columns from the features' properties"
            : source.format == "json"
                ? "JSON (UTF-8), \(source.lineEndings) line endings, the records of \(source.member.map { "\"\($0)\"" } ?? "the top-level array"), columns from their keys"
                : source.format == "xlsx" || source.format == "xls"
                    ? "\(source.format == "xls" ? ".xls workbook" : "workbook") sheet \(source.sheet ?? "?"), header in row \(source.headerLine)\(source.metadata.isEmpty ? "" : ", \(source.metadata.count) title rows")"
                    : "\(source.encoding)\(source.byteOrderMark ? " with BOM" : "") (\(source.encodingBasis)), \(source.delimiter)-separated, \(source.lineEndings) line endings, header on line \(source.headerLine)\(source.metadata.isEmpty ? "" : ", \(source.metadata.count) # metadata rows")"
        var text = """
              read:     \(read)
              records:  \(summary.records)\(summary.blankRows > 0 ? " (+\(summary.blankRows) blank rows skipped)" : ""), \(summary.recordsWithErrors) with errors\(summary.features.map { ", \($0) GeoJSON features" } ?? "")

            """
        if let coordinates = report.coordinates {
            for use in coordinates.sources {
                text += "  coordinates: \(use.crs) → \(coordinates.target) for \(use.records) records (\(use.basis): \(use.reason))\n"
                text += "               via \(use.operations.joined(separator: " + "))\n"
            }
            if coordinates.failed + coordinates.swapped + coordinates.outsidePrefecture + coordinates.farFromMunicipality + coordinates.outsideJapan
                > 0
            {
                text +=
                    "               \(coordinates.failed) failed, \(coordinates.outsideJapan) outside Japan, \(coordinates.swapped) with X/Y exchanged, "
                    + "\(coordinates.outsidePrefecture) outside the prefecture, \(coordinates.farFromMunicipality) far from the municipality\n"
            }
        }
        let columns = summary.byColumn.filter { $0.value.errors + $0.value.warnings + $0.value.fixed > 0 }
        if !columns.isEmpty {
            text += "  by column:\n"
            for name in report.inInputOrder(Array(columns.keys)) {
                let counts = columns[name]!
                text += "    \(name.isEmpty ? "(file)" : name): \(counts.errors) errors, \(counts.warnings) warnings, \(counts.fixed) fixed\n"
            }
        }
        let totals = summary.totals
        text +=
            "  total:    \(totals.errors) errors, \(totals.warnings) warnings, \(totals.fixed) fixed — \(summary.isValid ? "VALID 適合" : "INVALID 不適合")\n\n"
        try output.write(text)
        try output.flush()
    }
}

extension Report {
    /// Column names in input order ("" — the file — first, unknown names last).
    func inInputOrder(_ names: [String]) -> [String] {
        let order = Dictionary(columns.map { ($0.column, $0.index) }, uniquingKeysWith: { first, _ in first })
        return names.sorted { (order[$0] ?? ($0.isEmpty ? 0 : Int.max), $0) < (order[$1] ?? ($1.isEmpty ? 0 : Int.max), $1) }
    }
}

@available(*, unavailable)
extension TextReportWriter: Sendable {}
