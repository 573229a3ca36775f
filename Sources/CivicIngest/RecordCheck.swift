public import CivicData
import Foundation

/// One record written through the API (an OGC API Features item, a CKAN `datastore_upsert` record) checked exactly as
/// a row of a file would be: it goes through the pipeline as a one-row CSV with the dataset's columns and options —
/// the same recognition, validation, normalisation and georeferencing, the same findings.
public enum RecordCheck {
    /// What the pipeline made of the record.
    public struct Checked: Sendable {
        /// The normalised values, in the order of the columns given.
        public var values: [String]
        public var longitude: Double?
        public var latitude: Double?
        /// Its findings (errors refuse the record; warnings and fixes are reported with it).
        public var findings: [Finding]
        public var isValid: Bool
    }

    /// The first `count` errors among `findings`, as `field: message; …` (for a refusal's one-line description).
    public static func errorSummary(_ findings: [Finding], first count: Int) -> String {
        findings.filter { $0.severity == .error }.prefix(count).map { "\($0.field ?? $0.column ?? "record"): \($0.message)" }
            .joined(separator: "; ")
    }

    /// Runs `values` (one per column of `columns`) through the pipeline with `options`. `name` names the record in
    /// the findings (`PATCH /collections/x/items/7`).
    public static func check(_ values: [String], columns: [String], options: IngestOptions, name: String) throws -> Checked {
        var csv: [UInt8] = []
        func line(_ cells: [String]) {
            for (index, cell) in cells.enumerated() {
                if index > 0 { csv.append(UInt8(ascii: ",")) }
                csv.append(UInt8(ascii: "\""))
                for byte in cell.utf8 {
                    if byte == UInt8(ascii: "\"") { csv.append(byte) }
                    csv.append(byte)
                }
                csv.append(UInt8(ascii: "\""))
            }
            csv.append(contentsOf: [0x0D, 0x0A])
        }
        line(columns)
        line(values)
        var options = options
        options.read.encoding = .utf8
        options.read.readAhead = false
        let collector = FindingCollector()
        let records = RecordCollector()
        let report = try Ingest.run(.bytes(csv, name: name), options: options, findings: collector, into: [records])
        guard let layout = records.layout, let record = records.records.first, records.records.count == 1 else {
            throw IngestError(code: .unreadableRecord, message: "the record could not be read as a row of its dataset", file: name)
        }
        // The pipeline's columns are the dataset's: mapped by name (a column it would drop is an error, not a loss).
        var mapped: [String] = []
        for column in columns {
            guard let index = layout.columns.firstIndex(of: column), index < record.values.count else {
                throw IngestError(code: .unreadableRecord, message: "the pipeline has no column \(column) for this record", file: name)
            }
            mapped.append(record.values[index])
        }
        return Checked(
            values: mapped,
            longitude: record.longitude,
            latitude: record.latitude,
            findings: collector.findings,
            isValid: report.isValid && !record.hasErrors
        )
    }
}
