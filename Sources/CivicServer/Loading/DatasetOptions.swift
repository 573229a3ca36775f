import CivicData
import CivicIngest
import CivicStore
import Foundation
import Synchronization

/// The merged schema catalogues by folder, read once: a server reads its `--schemas` folder at start (what the data
/// folder's loads use) and its uploads and record edits use the same catalogue, not a new read of the folder each
/// (which also made each record check build its recogniser again).
private let catalogues = Mutex<[String: SchemaCatalog]>([:])

extension ServerConfiguration {
    /// The bundled schemas, with `schemasDirectory`'s merged over them (read once per folder per process).
    func schemaCatalog() throws -> SchemaCatalog {
        guard let directory = schemasDirectory else { return .bundled }
        if let known = catalogues.withLock({ $0[directory.path] }) { return known }
        let catalog = try SchemaCatalog.bundled.merging(directory: directory)
        catalogues.withLock { $0[directory.path] = catalog }
        return catalog
    }

    /// How the pipeline reads a dataset's new files and records (uploads, edits): with its own `dataset.json`
    /// options when it comes from the data folder, else as its standard dataset, with the server's schemas.
    func ingestOptions(for dataset: StoredDataset) throws -> IngestOptions {
        // A shelter list's status table is read with its own schema, which the server's catalogue does not hold.
        if dataset.standard == ShelterStatus.schemaID {
            return IngestOptions(read: ReadOptions(dataset: ShelterStatus.schemaID, catalog: StatusTables.catalog))
        }
        let catalog = try schemaCatalog()
        let descriptorURL = dataDirectory.appendingPathComponent(dataset.origin).appendingPathComponent(DatasetDescriptor.fileName)
        if let descriptor = try? DatasetDescriptor.load(descriptorURL), descriptor.id == dataset.id {
            return try IngestOptions(descriptor: descriptor, directory: descriptorURL.deletingLastPathComponent(), catalog: catalog)
        }
        return IngestOptions(read: ReadOptions(dataset: dataset.standard, catalog: catalog))
    }
}
