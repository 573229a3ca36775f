import CivicData
import CivicIngest
import Foundation

@testable import CivicStore

/// The bundled real datasets (datasets/ in the repository), loaded through the pipeline as the server loads them.
enum Loading {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The folder of a bundled dataset.
    static func folder(_ id: String) -> URL { repository.appendingPathComponent("datasets/\(id)") }

    /// Starts a version of the bundled dataset `id` (or of `file` under that id) and runs the pipeline into it.
    static func write(_ id: String, file: URL? = nil, into store: Store) throws -> (VersionWriter, Report) {
        let descriptor = try DatasetDescriptor.load(folder(id).appendingPathComponent(DatasetDescriptor.fileName))
        let file = file ?? folder(id).appendingPathComponent(descriptor.file)
        let options = try IngestOptions(descriptor: descriptor, directory: folder(id))
        let version = try store.beginVersion(
            VersionMetadata(descriptor: descriptor, updated: "2026-12-01", file: file.path, fingerprint: UUID().uuidString, origin: id)
        )
        let report = try Ingest.run(
            .file(file),
            options: options,
            findings: JSONReportWriter(output: try ByteWriter(url: version.reportURL)),
            into: [version]
        )
        return (version, report)
    }

    /// Loads bundled datasets and makes each live.
    static func load(_ ids: [String], into store: Store) throws {
        for id in ids {
            let (version, report) = try write(id, into: store)
            try version.commit(report)
        }
    }

    /// A temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
