import CivicData
import Foundation

@testable import CivicGeo

/// Test fixtures copied into the package (`Fixtures/`).
enum Fixture {
    static let root: URL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// Reads a file and georeferences every record, as `civic convert` does.
    static func georeference(
        _ source: InputSource,
        options: Georeferencer.Options = Georeferencer.Options()
    ) throws -> (records: [NormalizedRecord], report: Report) {
        let reader = try DatasetReader(source: source)
        let collector = FindingCollector()
        var records: [NormalizedRecord] = []
        while let record = try reader.next(reportingTo: collector) { records.append(record) }
        let georeferencer = try Georeferencer(reader: reader, options: options)
        try georeferencer.process(&records, reader: reader, reportingTo: collector)
        georeferencer.finish(reader)
        return (records, reader.makeReport(findings: collector.findings))
    }

    static func georeference(_ path: String, options: Georeferencer.Options = Georeferencer.Options()) throws -> (
        records: [NormalizedRecord], report: Report
    ) {
        try georeference(.file(url(path)), options: options)
    }
}
