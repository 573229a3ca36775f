import Foundation

/// Streams a report as JSON: findings are written as they arrive, the rest when the file is done, so a report
/// of millions of findings needs no memory. Keys are those of `Report` (`docs/report.schema.json`).
/// Values (`before`/`after`) are written only when `showValues` is set, except the `before` of a finding that is the
/// only copy of input cells (`Finding.isOnlyCopy`), always written. Not Sendable.
public final class JSONReportWriter: FindingSink {
    private let output: ByteWriter
    private let showValues: Bool
    private var count = 0
    /// True once `begin` wrote the opening of the report.
    public private(set) var hasBegun = false
    private var scratch: [UInt8] = []

    public init(output: ByteWriter, showValues: Bool = false) {
        self.output = output
        self.showValues = showValues
    }

    /// Opens the report object and its findings array (once the file is recognised).
    public func begin(_ layout: RecordLayout) throws {
        guard !hasBegun else { return }
        try output.write("{\"version\":\(Report.formatVersion),\"findings\":[")
        hasBegun = true
    }

    /// Closes a report whose file could not be read to the end, or writes a report that is only that error.
    public func abandon(file: String, error: String) throws {
        var text: [UInt8] = []
        if hasBegun {
            text += Array((count > 0 ? "\n]" : "]").utf8)
        } else {
            text += Array("{\"version\":\(Report.formatVersion)".utf8)
        }
        JSONBytes.appendASCII(#","file":"#, to: &text)
        JSONBytes.appendString(file, to: &text)
        JSONBytes.appendASCII(#","error":"#, to: &text)
        JSONBytes.appendString(error, to: &text)
        JSONBytes.appendASCII(#","valid":false}"#, to: &text)
        try output.write(text)
        try output.flush()
    }

    public func receive(_ finding: Finding) throws {
        scratch.removeAll(keepingCapacity: true)
        if count > 0 { scratch.append(0x2C) }
        scratch.append(0x0A)
        JSONReportWriter.append(finding, showValues: showValues, to: &scratch)
        try output.write(scratch)
        count += 1
    }

    /// Closes the findings and writes everything else about the file (`rest`'s findings are not written: they
    /// came one by one).
    public func finish(_ rest: Report) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try output.write(count > 0 ? "\n]" : "]")
        var parts = [
            ("source", try encoder.encode(rest.source)),
            ("recognition", try encoder.encode(rest.recognition)),
            ("columns", try encoder.encode(rest.columns)),
            ("outputColumns", try encoder.encode(rest.outputColumns)),
            ("summary", try encoder.encode(rest.summary)),
            ("valid", try encoder.encode(rest.isValid)),
        ]
        if let coordinates = rest.coordinates { parts.append(("coordinates", try encoder.encode(coordinates))) }
        for (key, data) in parts {
            try output.write(",\n\"\(key)\":")
            try output.write(Array(data))
        }
        try output.write("}")
        try output.flush()
    }

    static func append(_ finding: Finding, showValues: Bool, to out: inout [UInt8]) {
        JSONBytes.appendASCII(#"{"code":"#, to: &out)
        JSONBytes.appendString(finding.code.rawValue, to: &out)
        JSONBytes.appendASCII(#","severity":"#, to: &out)
        JSONBytes.appendString(finding.severity.rawValue, to: &out)
        if let line = finding.line {
            JSONBytes.appendASCII(#","line":"#, to: &out)
            JSONBytes.appendInteger(line, to: &out)
        }
        if let column = finding.column {
            JSONBytes.appendASCII(#","column":"#, to: &out)
            JSONBytes.appendString(column, to: &out)
        }
        if let cell = finding.cell {
            JSONBytes.appendASCII(#","cell":"#, to: &out)
            JSONBytes.appendString(cell, to: &out)
        }
        if let field = finding.field {
            JSONBytes.appendASCII(#","field":"#, to: &out)
            JSONBytes.appendString(field, to: &out)
        }
        JSONBytes.appendASCII(#","message":"#, to: &out)
        JSONBytes.appendString(finding.message, to: &out)
        if showValues || finding.isOnlyCopy {
            if let before = finding.before {
                JSONBytes.appendASCII(#","before":"#, to: &out)
                JSONBytes.appendString(before, to: &out)
            }
        }
        if showValues {
            if let after = finding.after {
                JSONBytes.appendASCII(#","after":"#, to: &out)
                JSONBytes.appendString(after, to: &out)
            }
        }
        out.append(0x7D)
    }
}

@available(*, unavailable)
extension JSONReportWriter: Sendable {}
