public import CivicData
import CivicIngest
public import CivicStore
public import Foundation
public import Logging

/// Brings the store in line with a data folder (`datasets/`: one folder per dataset with its `dataset.json`), through
/// the same pipeline as `civic convert`: new and changed datasets are loaded as new versions (made live one by one,
/// as each commits), unchanged ones are left, and datasets whose folder is gone are removed.
///
/// It never loses published data by mistake: a data folder that is missing, unreadable or empty (an unmounted
/// disk) is an error that removes nothing; a dataset is removed only when the data folder is readable and that
/// dataset's own folder is gone; a dataset whose descriptor or file fails to load keeps serving its last good
/// version, and the failure is reported.
struct DataFolderSync {
    let directory: URL
    let store: Store
    let catalog: SchemaCatalog
    /// A digest of the configured schema folder: a change there reloads every dataset.
    var catalogDigest = ""
    let status: LoadStatus
    let logger: Logger

    /// The data folder cannot be used.
    struct FolderError: Error, CustomStringConvertible {
        var description: String
    }

    /// One dataset folder found.
    struct Entry {
        /// The folder name (relative to the data folder).
        var origin: String
        var folder: URL
        var descriptor: Result<DatasetDescriptor, any Error>
    }

    /// Lists the dataset folders, or says why the data folder cannot be used (then nothing may be removed).
    func scan() throws -> [Entry] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw FolderError(
                description: "the data folder \(directory.path) does not exist (mistyped, or not mounted?); nothing was loaded or removed"
            )
        }
        guard isDirectory.boolValue else {
            throw FolderError(description: "\(directory.path) is not a folder; nothing was loaded or removed")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw FolderError(description: "the data folder \(directory.path) cannot be read (\(error)); nothing was loaded or removed")
        }
        guard !names.filter({ !$0.hasPrefix(".") }).isEmpty else {
            throw FolderError(description: "the data folder \(directory.path) is empty (not mounted?); nothing was loaded or removed")
        }
        var entries: [Entry] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let folder = directory.appendingPathComponent(name, isDirectory: true)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else { continue }
            let descriptorURL = folder.appendingPathComponent(DatasetDescriptor.fileName)
            guard FileManager.default.fileExists(atPath: descriptorURL.path) else { continue }
            entries.append(Entry(origin: name, folder: folder, descriptor: Result { try DatasetDescriptor.load(descriptorURL) }))
        }
        return entries
    }

    /// One pass over the folder. `committed` is called after each dataset that changed in the store (a new version
    /// live, or a removal), so the server can switch to it at once.
    func run(committed: () -> Void) {
        status.update { $0.syncing = true }
        defer {
            status.update {
                $0.syncing = false; $0.lastSync = Date(); $0.loading = nil
            }
        }
        let entries: [Entry]
        do {
            entries = try scan()
            status.update { $0.folderError = nil }
        } catch {
            status.update { $0.folderError = "\(error)" }
            logger.error("data folder not usable", metadata: ["folder": .string(directory.path), "reason": .string("\(error)")])
            return
        }
        var seenIDs: [String: String] = [:]
        var live: [String: String] = [:]
        for (id, origin) in (try? store.origins()) ?? [] { live[id] = origin }
        for entry in entries {
            let descriptor: DatasetDescriptor
            switch entry.descriptor {
            case .success(let found): descriptor = found
            case .failure(let error):
                // The dataset (if any) loaded from this folder keeps its version.
                let id = live.first { $0.value == entry.origin }?.key ?? entry.origin
                fail(id, origin: entry.origin, "\(error)")
                continue
            }
            if let other = seenIDs[descriptor.id] {
                fail(
                    descriptor.id + "@" + entry.origin,
                    origin: entry.origin,
                    "\(entry.origin)/dataset.json: id \"\(descriptor.id)\" is already used by \(other)/dataset.json"
                )
                continue
            }
            // A standard dataset's id names its merged collection (all municipalities): a dataset may not take it.
            if catalog[descriptor.id] != nil {
                fail(
                    descriptor.id + "@" + entry.origin,
                    origin: entry.origin,
                    "\(entry.origin)/dataset.json: id \"\(descriptor.id)\" is a standard dataset's id, the name of its merged collection (全団体); "
                        + "use another, e.g. \"\(descriptor.municipalityCode ?? entry.origin)-\(descriptor.id)\""
                )
                continue
            }
            seenIDs[descriptor.id] = entry.origin
            load(descriptor, entry: entry, committed: committed)
        }
        removeGone(live: live, entries: entries, committed: committed)
    }

    private func load(_ descriptor: DatasetDescriptor, entry: Entry, committed: () -> Void) {
        let id = descriptor.id
        let file = entry.folder.appendingPathComponent(descriptor.file)
        do {
            let fingerprint = try DataFolderSync.fingerprint(
                file: file,
                descriptor: entry.folder.appendingPathComponent(DatasetDescriptor.fileName),
                schema: descriptor.schema,
                schemas: catalogDigest
            )
            if try store.fingerprint(of: id) == fingerprint {
                status.update { $0.failures[id] = nil }
                return
            }
            status.update { $0.loading = id }
            let started = Date()
            let report = try load(descriptor, file: file, origin: entry.origin, fingerprint: fingerprint)
            status.update {
                $0.failures[id] = nil
                $0.loaded.append(id)
            }
            logger.info(
                "dataset loaded",
                metadata: [
                    "dataset": .string(id), "records": .stringConvertible(report.summary.records),
                    "seconds": .stringConvertible((Date().timeIntervalSince(started) * 1000).rounded() / 1000),
                ]
            )
            committed()
        } catch {
            fail(id, origin: entry.origin, "\(error)" + DataFolderSync.descriptorPhrase(error))
            committed()
        }
    }

    /// Reads the file through the pipeline into a new version and makes it live.
    func load(_ descriptor: DatasetDescriptor, file: URL, origin: String, fingerprint: String) throws -> Report {
        let options = try IngestOptions(descriptor: descriptor, directory: file.deletingLastPathComponent(), catalog: catalog)
        let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
        let modified = (attributes?[.modificationDate] as? Date) ?? Date()
        let metadata = VersionMetadata(
            descriptor: descriptor,
            updated: DataFolderSync.day(modified),
            file: file.path,
            fingerprint: fingerprint,
            origin: origin
        )
        return try store.writeVersion(metadata) { version in
            let output = try ByteWriter(url: version.reportURL)
            let report = try Ingest.run(.file(file), options: options, findings: JSONReportWriter(output: output), into: [version])
            try version.commit(report)
            return report
        }
    }

    /// Datasets in the store whose own folder is gone from a readable, non-empty data folder.
    private func removeGone(live: [String: String], entries: [Entry], committed: () -> Void) {
        // Datasets made through the API or harvested from another catalogue have no folder (their origin, `/api` or
        // `/harvest/<source>`, is no folder name): the folder's sync never removes them.
        for (id, origin) in live.sorted(by: { $0.key < $1.key }) where !origin.hasPrefix("/") {
            let folder = directory.appendingPathComponent(origin, isDirectory: true)
            if FileManager.default.fileExists(atPath: folder.path) {
                // The folder is there: a descriptor that went missing or now names another id is a failure, not a
                // removal.
                let stillDeclared = entries.contains { entry in
                    if case .success(let descriptor) = entry.descriptor { return descriptor.id == id }
                    return entry.origin == origin
                }
                if !stillDeclared {
                    fail(
                        id,
                        origin: origin,
                        "\(origin)/dataset.json is missing or no longer declares \(id); the last version stays until the folder is removed"
                    )
                }
                continue
            }
            do {
                try store.remove(id)
                status.update {
                    $0.removed.append(id)
                    $0.failures[id] = nil
                }
                logger.notice("dataset removed: its folder is gone", metadata: ["dataset": .string(id), "folder": .string(origin)])
                committed()
            } catch {
                fail(id, origin: origin, "could not be removed: \(error)")
            }
        }
    }

    private func fail(_ id: String, origin: String, _ message: String) {
        // Paths relative to the data folder: the message is shown on public pages.
        let message = message.replacingOccurrences(of: directory.path + "/", with: "")
        status.update { $0.failures[id] = LoadStatus.Failure(origin: origin, message: message, at: Date()) }
        logger.error("dataset not loaded; its last good version stays", metadata: ["dataset": .string(id), "reason": .string(message)])
    }

    /// A remedy as a `dataset.json` key: "set \"encoding\": \"cp932\" in dataset.json".
    static func descriptorPhrase(_ error: any Error) -> String {
        guard let suggesting = error as? any RemedySuggesting, let remedy = suggesting.remedy else { return "" }
        return "; "
            + remedy.phrased(
                names: [.dataset: "dataset", .encoding: "encoding", .sourceCRS: "crs", .sheet: "sheet"],
                value: { #"set "\#($0)": "\#($1)" in dataset.json"# },
                choices: { #"set "\#($0)" in dataset.json to one of \#($1.joined(separator: ", "))"# }
            )
    }

    /// Size, modification time and the descriptor's bytes, plus the store format: what decides a reload.
    /// `schema`: the descriptor's own schema file (relative to it), whose text counts too.
    static func fingerprint(file: URL, descriptor: URL, schema: String? = nil, schemas: String = "") throws -> String {
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        var hasher = FNV1a()
        hasher.add(try String(contentsOf: descriptor, encoding: .utf8))
        hasher.add(schemas)
        if let schema,
            let text = try? String(contentsOf: descriptor.deletingLastPathComponent().appendingPathComponent(schema), encoding: .utf8)
        {
            hasher.add(text)
        }
        return "v\(formatVersion)-\(size)-\(Int(modified * 1000))-\(String(hasher.value, radix: 16))"
    }

    /// A digest of every `*.schema.json` in a folder (names and contents).
    static func digest(ofSchemaFolder folder: URL?) -> String {
        guard let folder else { return "" }
        var hasher = FNV1a()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".schema.json") }.sorted()
        for name in names {
            hasher.add(name)
            hasher.add((try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? "")
        }
        return String(hasher.value, radix: 16)
    }

    /// Bumped when what the loader writes changes, so that every dataset reloads.
    static let formatVersion = 4

    /// The day of `date` in Japan, YYYY-MM-DD: a file's modification day, a usage count's day.
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}

/// What one pass over a data folder did.
public struct DataFolderLoad: Sendable, Equatable {
    /// Datasets loaded as new versions.
    public var loaded: [String]
    /// Datasets removed because their folder is gone.
    public var removed: [String]
    /// Datasets (or folders) that failed to load, with why: each keeps its last good version.
    public var failed: [String: String]
    /// Why the data folder could not be used at all (then nothing was loaded or removed).
    public var folderError: String?
}

/// Loads a data folder into `store` once, in the calling thread, as `civic serve` does in the background: new and
/// changed datasets become new versions, datasets whose own folder is gone are removed, a failure keeps the last
/// good version; the shelter lists' status tables are kept in step. Replaced versions are then collected.
public func loadDataFolder(
    _ directory: URL,
    into store: Store,
    catalog: SchemaCatalog = .bundled,
    logger: Logger = Logger(label: "civic")
) -> DataFolderLoad {
    let status = LoadStatus()
    DataFolderSync(directory: directory, store: store, catalog: catalog, status: status, logger: logger).run {}
    // The shelter lists' status tables, as a server's refresh keeps them (docs/shelter-status.md).
    StatusTables(store: store).sync(reportingTo: status)
    _ = try? store.collectGarbage()
    let state = status.current
    return DataFolderLoad(
        loaded: state.loaded,
        removed: state.removed,
        failed: state.failures.mapValues(\.message),
        folderError: state.folderError
    )
}
