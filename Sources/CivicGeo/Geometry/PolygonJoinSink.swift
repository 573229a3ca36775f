public import CivicData

/// A pipeline stage that adds to each record the name of the polygon containing its point (empty when none does)
/// as one more column, then passes the records on to `sink`. Not Sendable.
public final class PolygonJoinSink: RecordSink {
    private let layer: PolygonLayer
    private let column: String
    private let sink: any RecordSink
    /// Records that fell in a polygon.
    public private(set) var joined = 0

    public init(layer: PolygonLayer, column: String, forwardingTo sink: any RecordSink) {
        self.layer = layer
        self.column = column
        self.sink = sink
    }

    public func begin(_ layout: RecordLayout) throws {
        var layout = layout
        layout.appendColumn(column, kind: nil, from: column)
        try sink.begin(layout)
    }

    public func write(_ records: [NormalizedRecord], report: ReportBuilder) throws {
        var records = records
        for index in records.indices {
            var name = ""
            if let longitude = records[index].longitude, let latitude = records[index].latitude,
                let found = try layer.name(containingLongitude: longitude, latitude: latitude)
            {
                name = found
                joined += 1
            }
            records[index].values.append(name)
        }
        try sink.write(records, report: report)
    }

    public func finish(report: ReportBuilder) throws { try sink.finish(report: report) }
}

@available(*, unavailable)
extension PolygonJoinSink: Sendable {}
