/// The pipeline's CSV output: the layout's columns as the header, then one row per record (every record, with or
/// without coordinates). Not Sendable.
public final class CSVRecordSink: RecordSink {
    private let writer: CSVWriter
    /// GeoJSON input: the geometry is written as WKT in one more column (`RecordGeometry.wktColumn`).
    private var writesGeometry = false

    public init(output: ByteWriter, encoding: CSVWriter.Encoding = .utf8, byteOrderMark: Bool = false) throws {
        writer = try CSVWriter(output: output, encoding: encoding, byteOrderMark: byteOrderMark)
    }

    public func begin(_ layout: RecordLayout) throws {
        writesGeometry = layout.hasGeometry
        try writer.writeHeader(layout.columns + (writesGeometry ? [RecordGeometry.wktColumn] : []))
    }

    public func write(_ records: [NormalizedRecord], report: ReportBuilder) throws {
        for record in records {
            if writesGeometry {
                try writer.writeRow(record.values + [record.geometry?.wkt ?? ""], line: record.line)
            } else {
                try writer.writeRow(record.values, line: record.line)
            }
        }
    }

    public func finish(report: ReportBuilder) throws { try writer.finish() }
}

@available(*, unavailable)
extension CSVRecordSink: Sendable {}

/// The pipeline's GeoJSON output: a feature per record with a geometry (GeoJSON input: every record, its geometry
/// as read or null) or usable coordinates (a Point), the columns the file
/// supplies as properties; the feature count goes into the report. Not Sendable.
public final class GeoJSONRecordSink: RecordSink {
    private let output: ByteWriter
    private let framing: GeoJSONWriter.Framing
    private let precision: Int
    private var writer: GeoJSONWriter?

    public init(output: ByteWriter, framing: GeoJSONWriter.Framing = .featureCollection, precision: Int = 7) {
        self.output = output
        self.framing = framing
        self.precision = precision
    }

    public func begin(_ layout: RecordLayout) throws {
        let writer = GeoJSONWriter(
            output: output,
            columns: layout.columns,
            schema: layout.schema,
            properties: layout.suppliedColumns,
            framing: framing,
            precision: precision,
            numeric: layout.columns.indices.map(layout.isNumeric)
        )
        writer.writesNullGeometry = layout.hasGeometry
        try writer.begin()
        self.writer = writer
    }

    public func write(_ records: [NormalizedRecord], report: ReportBuilder) throws {
        guard let writer else { return }
        for record in records { try writer.write(record) }
    }

    public func finish(report: ReportBuilder) throws {
        guard let writer else { return }
        try writer.finish()
        report.noteFeatures(writer.featureCount)
    }
}

@available(*, unavailable)
extension GeoJSONRecordSink: Sendable {}
