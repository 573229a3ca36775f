public import CivicData
import CivicExcel
import CivicGeo
public import Foundation
import GRDB

extension Store {
    /// What a load did.
    public struct LoadSummary: Sendable, Equatable {
        public var loaded: [String] = []
        /// Unchanged since the last load (same file size, modification time and descriptor).
        public var unchanged: [String] = []
        /// In the store but no longer in the folder: removed.
        public var removed: [String] = []
        /// Could not be read: id and why.
        public var failed: [String: String] = [:]
    }

    /// Loads every `*/dataset.json` under `directory` (each naming its data file): recognised, validated,
    /// normalised and georeferenced by the same pipeline as `civic convert`, with the report kept. Datasets whose
    /// file and descriptor have not changed are not read again.
    public func load(directory: URL) throws -> LoadSummary {
        var summary = LoadSummary()
        let folders = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        var seen = Set<String>()
        for folder in folders.sorted(by: { $0.path < $1.path }) {
            let descriptorURL = folder.appendingPathComponent(DatasetDescriptor.fileName)
            guard FileManager.default.fileExists(atPath: descriptorURL.path) else { continue }
            let id = folder.lastPathComponent
            do {
                let descriptor = try DatasetDescriptor.load(descriptorURL)
                seen.insert(descriptor.id)
                let file = folder.appendingPathComponent(descriptor.file)
                let fingerprint = try Store.fingerprint(file: file, descriptor: descriptorURL)
                if try read({ db in try String.fetchOne(db, sql: "SELECT fingerprint FROM dataset WHERE id = ?", arguments: [descriptor.id]) })
                    == fingerprint
                {
                    summary.unchanged.append(descriptor.id)
                    continue
                }
                try load(descriptor: descriptor, file: file, fingerprint: fingerprint)
                summary.loaded.append(descriptor.id)
            } catch {
                summary.failed[id] = "\(error)"
            }
        }
        let stale = try datasets().map(\.id).filter { !seen.contains($0) }
        for id in stale {
            try writer.write { db in try Store.delete(id, db) }
            try? FileManager.default.removeItem(at: reportsDirectory.appendingPathComponent(Store.reportFileName(id)))
            summary.removed.append(id)
        }
        return summary
    }

    /// Size, modification time and the descriptor's bytes, plus the store format: what decides a reload.
    static func fingerprint(file: URL, descriptor: URL) throws -> String {
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let descriptorText = try String(contentsOf: descriptor, encoding: .utf8)
        var hasher = FNV1a()
        hasher.add(descriptorText)
        return "v\(Store.formatVersion)-\(size)-\(Int(modified * 1000))-\(String(hasher.value, radix: 16))"
    }

    /// Bumped when what the loader writes changes, so that every dataset reloads.
    static let formatVersion = 2

    /// Reads one dataset through the pipeline and replaces it in the store.
    public func load(descriptor: DatasetDescriptor, file: URL, fingerprint: String = "") throws {
        var options = ReadOptions(dataset: descriptor.dataset)
        if let encoding = descriptor.encoding { options.encoding = TextEncoding(name: encoding) }
        let reader = try DatasetReader.open(.file(file), options: options, sheet: descriptor.sheet.map(Workbook.SheetSelector.init) ?? .first)
        // The report streams to a file (it can be larger than the data); it replaces the old one at commit.
        let reportURL = reportsDirectory.appendingPathComponent(Store.reportFileName(descriptor.id))
        let pendingURL = reportURL.appendingPathExtension("loading")
        let report = try ByteWriter(url: pendingURL)
        defer { try? FileManager.default.removeItem(at: pendingURL) }
        let reportWriter = JSONReportWriter(output: report)
        try reportWriter.begin()
        var georeferencing = Georeferencer.Options(municipalityCode: descriptor.municipalityCode, target: .crs84)
        if let crs = descriptor.crs {
            georeferencing.declared = try CRS(parsing: crs)
            georeferencing.declaredBy = "dataset.json"
        }
        let georeferencer = try Georeferencer(reader: reader, options: georeferencing)

        let numeric = reader.schema.kinds(of: reader.outputColumns).map { $0?.isNumeric == true }
        let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
        let modified = (attributes?[.modificationDate] as? Date) ?? Date()
        // Feature ids: the ID column's values when every record has a distinct one, else line numbers.
        let idColumn = reader.schema.civic.idField.flatMap { reader.outputColumns.firstIndex(of: $0) }

        // One transaction, records streamed through it in batches: memory does not grow with the file.
        try writer.write { db in
            // Features are written before their dataset row (which needs the totals): check the key at commit.
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            try Store.delete(descriptor.id, db)
            let insertFeature = try db.makeStatement(
                sql: "INSERT INTO feature (dataset_id, seq, feature_id, line, lon, lat, vals) VALUES (?, ?, ?, ?, ?, ?, ?)"
            )
            let insertBox = try db.makeStatement(sql: "INSERT INTO feature_rtree (key, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)")
            var sequence = 0
            var features = 0
            var extent: StoredDataset.Envelope?
            var seenIDs = Set<String>()
            var idsUsable = idColumn != nil
            var json: [UInt8] = []
            func store(_ batch: [NormalizedRecord]) throws {
                for record in batch {
                    var featureID = String(record.line)
                    if let idColumn, idsUsable {
                        let value = record.values[idColumn]
                        if value.isEmpty || !seenIDs.insert(value).inserted {
                            // Not usable after all: every feature so far (and from now on) is named by its line.
                            idsUsable = false
                            seenIDs = []
                            try db.execute(
                                sql: "UPDATE feature SET feature_id = CAST(line AS TEXT) WHERE dataset_id = ?",
                                arguments: [descriptor.id]
                            )
                        } else {
                            featureID = value
                        }
                    }
                    json.removeAll(keepingCapacity: true)
                    json.append(0x5B)
                    for (index, value) in record.values.enumerated() {
                        if index > 0 { json.append(0x2C) }
                        JSONBytes.appendString(value, to: &json)
                    }
                    json.append(0x5D)
                    try insertFeature.execute(arguments: [
                        descriptor.id, sequence, featureID, record.line, record.longitude, record.latitude,
                        String(decoding: json, as: UTF8.self),
                    ])
                    sequence += 1
                    if let x = record.longitude, let y = record.latitude {
                        features += 1
                        try insertBox.execute(arguments: [db.lastInsertedRowID, x, x, y, y])
                        if var box = extent {
                            box.minX = min(box.minX, x)
                            box.minY = min(box.minY, y)
                            box.maxX = max(box.maxX, x)
                            box.maxY = max(box.maxY, y)
                            extent = box
                        } else {
                            extent = StoredDataset.Envelope(minX: x, minY: y, maxX: x, maxY: y)
                        }
                    }
                }
            }
            var batch: [NormalizedRecord] = []
            batch.reserveCapacity(1024)
            while let record = try reader.next(reportingTo: reportWriter) {
                batch.append(record)
                if batch.count == 1024 {
                    try georeferencer.process(&batch, reader: reader, reportingTo: reportWriter)
                    try store(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            try georeferencer.process(&batch, reader: reader, reportingTo: reportWriter)
            try store(batch)
            georeferencer.finish(reader)
            reader.noteFeatures(features)
            try reportWriter.finish(reader)
            let dataset = StoredDataset(
                id: descriptor.id,
                title: descriptor.title,
                municipalityCode: descriptor.municipalityCode,
                municipality: descriptor.municipality,
                standard: reader.schema.id,
                standardTitle: reader.schema.title,
                license: descriptor.license,
                licenseNote: descriptor.licenseNote,
                attribution: descriptor.attribution,
                source: descriptor.source,
                updated: descriptor.updated ?? Store.day(modified),
                columns: reader.outputColumns,
                standardColumnCount: reader.schema.fields.count,
                numericColumns: numeric,
                recordCount: sequence,
                featureCount: features,
                extent: extent,
                valid: reader.summary.isValid,
                reportFile: reportURL.path,
                file: file.path,
                fingerprint: fingerprint,
                loadedAt: ISO8601DateFormatter().string(from: Date())
            )
            try Store.insert(dataset, db)
        }
        try? FileManager.default.removeItem(at: reportURL)
        try FileManager.default.moveItem(at: pendingURL, to: reportURL)
    }

    /// A dataset's report file name in `reportsDirectory`.
    static func reportFileName(_ id: String) -> String {
        id.map { $0 == "/" || $0 == "\\" ? "_" : String($0) }.joined() + ".report.json"
    }

    static func insert(_ dataset: StoredDataset, _ db: Database) throws {
        let encoder = JSONEncoder()
        try db.execute(
            sql: """
                INSERT INTO dataset (id, title, municipality_code, municipality, standard, standard_title, license, license_note,
                    attribution, source, updated, columns, standard_column_count, numeric_columns, record_count, feature_count,
                    min_x, min_y, max_x, max_y, valid, report, report_file, file, fingerprint, loaded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)
                """,
            arguments: [
                dataset.id, dataset.title, dataset.municipalityCode, dataset.municipality, dataset.standard, dataset.standardTitle,
                dataset.license, dataset.licenseNote, dataset.attribution, dataset.source, dataset.updated,
                String(decoding: try encoder.encode(dataset.columns), as: UTF8.self), dataset.standardColumnCount,
                String(decoding: try encoder.encode(dataset.numericColumns), as: UTF8.self), dataset.recordCount, dataset.featureCount,
                dataset.extent?.minX, dataset.extent?.minY, dataset.extent?.maxX, dataset.extent?.maxY, dataset.valid,
                dataset.reportFile, dataset.file, dataset.fingerprint, dataset.loadedAt,
            ]
        )
    }

    static func delete(_ id: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM feature_rtree WHERE key IN (SELECT key FROM feature WHERE dataset_id = ?)", arguments: [id])
        try db.execute(sql: "DELETE FROM feature WHERE dataset_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM dataset WHERE id = ?", arguments: [id])
    }

    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
