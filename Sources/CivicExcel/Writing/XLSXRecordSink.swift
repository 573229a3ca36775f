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

    /// - Parameter url: where to write the workbook; nil keeps it in `bytes`.
    public init(url: URL?) { self.url = url }

    public func begin(_ layout: RecordLayout) throws {
        writer = try XLSXWriter(columns: layout.columns, types: XLSXWriter.types(for: layout), sheetName: layout.schema.title)
    }

    public func write(_ records: [NormalizedRecord], report: ReportBuilder) throws {
        guard let writer else { return }
        for record in records { try writer.writeRow(record.values) }
    }

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
