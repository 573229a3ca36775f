import CivicData
import CivicIngest
import CivicStore
import Foundation

extension ServerConfiguration {
    /// How the pipeline reads a dataset's new files and records (uploads, edits): with its own `dataset.json`
    /// options when it comes from the data folder, else as its standard dataset, with the server's schemas.
    func ingestOptions(for dataset: StoredDataset) throws -> IngestOptions {
        let catalog = try schemasDirectory.map { try SchemaCatalog.bundled.merging(directory: $0) } ?? .bundled
        let descriptorURL = dataDirectory.appendingPathComponent(dataset.origin).appendingPathComponent(DatasetDescriptor.fileName)
        if let descriptor = try? DatasetDescriptor.load(descriptorURL), descriptor.id == dataset.id {
            return try IngestOptions(descriptor: descriptor, directory: descriptorURL.deletingLastPathComponent(), catalog: catalog)
        }
        return IngestOptions(read: ReadOptions(dataset: dataset.standard, catalog: catalog))
    }
}
