public import CivicData
public import Foundation

/// The pipeline's workbook output: one sheet named after the dataset, the layout's columns as the header, a row per
/// record with typed cells (`XLSXWriter`). The workbook is written to `url` at the end, or kept for `bytes`.
/// Not Sendable.
public final class XLSXRecordSink: RecordSink {
    private let url: URL?
    private var writer: XLSXWriter?
    /// The finished workbook, when no URL was given.
    public private(set) var bytes: [UInt8]?
    /// GeoJSON input: the geometry is written as WKT in one more column (`RecordGeometry.wktColumn`).
    private var writesGeometry = false

    /// - Parameter url: where to write the workbook; nil keeps it in `bytes`.
    public init(url: URL?) { self.url = url }

    public func begin(_ layout: RecordLayout) throws {
        writesGeometry = layout.hasGeometry
        writer = try XLSXWriter(
            columns: layout.columns + (writesGeometry ? [RecordGeometry.wktColumn] : []),
            types: XLSXWriter.types(for: layout) + (writesGeometry ? [.text] : []),
            sheetName: layout.schema.title
        )
    }

    public func write(_ records: [NormalizedRecord], report: ReportBuilder) throws {
        guard let writer else { return }
        guard writesGeometry else {
            for record in records { try writer.writeRow(record.values) }
            return
        }
        for record in records {
            var wkt = record.geometry?.wkt ?? ""
            if wkt.utf16.count > XLSXRecordSink.maximumCellCharacters {
                try report.receive(
                    Finding(
                        .geometryTooLongForCell,
                        .warning,
                        line: record.line,
                        column: RecordGeometry.wktColumn,
                        message:
                            "the geometry's WKT is \(wkt.utf16.count) characters, more than a workbook cell holds (\(XLSXRecordSink.maximumCellCharacters)); the cell is left empty: use the GeoJSON or CSV output"
                    )
                )
                wkt = ""
            }
            try writer.writeRow(record.values + [wkt])
        }
    }

    /// Excel's limit on a cell's text (UTF-16 code units).
    public static let maximumCellCharacters = 32767

    public func finish(report: ReportBuilder) throws {
        guard let writer else { return }
        if let url {
            try writer.finish(to: url)
        } else {
            bytes = try writer.finishBytes()
        }
    }
}

@available(*, unavailable)
extension XLSXRecordSink: Sendable {}
