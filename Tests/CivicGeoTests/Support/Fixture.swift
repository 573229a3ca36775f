import CivicData
import CivicIngest
import Foundation

@testable import CivicGeo

/// Test fixtures copied into the package (`Fixtures/`).
enum Fixture {
    static let root: URL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// Reads a file and georeferences every record through the pipeline, as `civic convert` does.
    static func georeference(
        _ source: InputSource,
        options: Georeferencer.Options = Georeferencer.Options()
    ) throws -> (records: [NormalizedRecord], report: Report) {
        try Ingest.readAll(source, options: IngestOptions(georeferencing: options))
    }

    static func georeference(_ path: String, options: Georeferencer.Options = Georeferencer.Options()) throws -> (
        records: [NormalizedRecord], report: Report
    ) {
        try georeference(.file(url(path)), options: options)
    }
}
