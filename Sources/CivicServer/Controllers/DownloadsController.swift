import CivicData
import CivicExcel
import CivicStore
import Foundation
import Hummingbird

/// Whole datasets: `/datasets/{id}.csv` (UTF-8; `bom=true` and `encoding=cp932` for Excel), `/datasets/{id}.geojson`,
/// `/datasets/{id}.xlsx` (one sheet, header in row 1, typed cells),
/// the DCAT description `/datasets/{id}.jsonld`, and the validation report `/datasets/{id}/report.json`.
struct DownloadsController: Sendable {
    let store: Store
    let catalogue: Catalogue
    let configuration: ServerConfiguration
    let delivery: Delivery
    let authenticator: Authenticator

    func addRoutes(to router: Router<CivicRequestContext>) {
        router.get("/datasets/:dataset") { request, context in
            let file = try context.parameters.require("dataset")
            let id = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let audience = try self.audience(request, id)
            if audience.hidden.isEmpty, request.uri.queryParameters["datetime"] == nil,
                let streamed = try await self.streamedDownload(request, file: file, context: context)
            {
                return streamed
            }
            return try self.delivery.respond(request, audience: audience) { try self.download(request, file: file, audience: audience) }
        }
        for format in ["csv", "xlsx"] {
            router.get(RouterPath("/datasets/:dataset/history.\(format)")) { request, context in
                let id = try context.parameters.require("dataset")
                let audience = try self.audience(request, id)
                return try self.delivery.respond(request, audience: audience) {
                    try self.history(request, id: id, format: format, audience: audience)
                }
            }
        }
        router.get("/datasets/:dataset/report.json") { request, context in
            let id = try context.parameters.require("dataset")
            guard let collection = self.catalogue[id], !collection.isMerged, let dataset = collection.datasets.first else {
                throw APIError.notFound("no dataset '\(id)'")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: dataset.reportFile)[.size] as? NSNumber)?.intValue ?? 0
            guard size > self.configuration.streamedReportBytes else {
                return try self.delivery.respond(request) { try self.report(dataset) }
            }
            // A large report (one finding per cell of a big file) streams from disk and is not cached; it changes only
            // when the dataset reloads, so the fingerprint makes its ETag.
            var hash = FNV1a()
            hash.add(dataset.fingerprint)
            let etag = "\"report-\(String(hash.value, radix: 16))-\(size)\""
            return try await self.delivery.respondStreamed(request, etag: etag, contentType: "application/json; charset=utf-8") {
                try await FileIO().loadFile(path: dataset.reportFile, context: context)
            }
        }
    }

    /// Who reads dataset `id` (a status table's hidden records are staff's).
    func audience(_ request: Request, _ id: String) throws -> Audience {
        guard let collection = catalogue[id], !collection.isMerged else { return .everyone }
        return try Audience.of(request, reading: collection.datasets, authenticator: authenticator)
    }

    func download(_ request: Request, file: String, audience: Audience = .everyone) throws -> Payload {
        let url = URL(fileURLWithPath: file)
        let id = url.deletingPathExtension().lastPathComponent
        guard let collection = catalogue[id], !collection.isMerged, let dataset = collection.datasets.first else {
            throw APIError.notFound("no dataset '\(id)'")
        }
        var moment: Date?
        if let value = request.uri.queryParameters["datetime"] {
            moment = try VersionsController.instant(value.percentDecoded)
        }
        // The records now, or (`datetime`) as they were then: 報告用, the state at the moment a report is made of.
        let features: [StoredFeature]
        if let moment {
            let versions = VersionsController(store: store, catalogue: catalogue, configuration: configuration)
            features = try versions.state(of: [dataset.id], at: moment, audience: audience).0.map(\.1)
        } else {
            features = try store.features(in: .dataset(dataset), hidden: audience.hiddenRecords(.dataset(dataset)), limit: Int.max, offset: 0)
                .features
        }
        let page = FeaturePage(features: features, numberMatched: features.count)
        let suffix = moment.map { "-" + DownloadsController.fileTime($0) } ?? ""
        switch url.pathExtension {
        case "csv":
            let (encoding, bom) = try DownloadsController.csvOptions(request)
            let output = ByteWriter()
            let writer = try CSVWriter(output: output, encoding: encoding, byteOrderMark: bom)
            try writer.writeHeader(DownloadsController.columns(dataset))
            do {
                for feature in page.features { try writer.writeRow(DownloadsController.row(feature, dataset), line: feature.line) }
            } catch let error as CSVWriteError {
                throw APIError(.unprocessableContent, code: "NotRepresentable", error.message)
            }
            return Payload(
                bytes: output.bytes,
                contentType: encoding == .cp932 ? "text/csv; charset=Shift_JIS" : "text/csv; charset=utf-8",
                headers: [.contentDisposition: "attachment; filename=\"\(dataset.id)\(suffix).csv\""]
            )
        case "geojson":
            let renderer = catalogue.renderer(collection)
            var out: [UInt8] = []
            JSONBytes.appendASCII(#"{"type":"FeatureCollection","features":["#, to: &out)
            var first = true
            for feature in page.features where feature.longitude != nil || feature.geometry != nil {
                if !first { out.append(0x2C) }
                first = false
                out.append(0x0A)
                renderer.append(feature, to: &out)
            }
            JSONBytes.appendASCII("\n]}\n", to: &out)
            return Payload(bytes: out, contentType: "application/geo+json")
        case "xlsx":
            guard request.uri.queryParameters.allSatisfy({ $0.key == "datetime" }) else {
                throw APIError.badParameter("\(id).xlsx takes no parameters but datetime")
            }
            let writer = try DownloadsController.workbookWriter(dataset)
            for feature in page.features { try writer.writeRow(DownloadsController.row(feature, dataset)) }
            return Payload(
                bytes: try writer.finishBytes(),
                contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                headers: [.contentDisposition: "attachment; filename=\"\(dataset.id)\(suffix).xlsx\""]
            )
        case "jsonld":
            let dcat = DCATController(catalogue: catalogue, configuration: configuration, delivery: delivery, changes: store)
            var object = dcat.dataset(dataset, base: dcat.base(request))
            object["@context"] = DCATController.context
            return try jsonPayload(object, contentType: "application/ld+json")
        default:
            throw APIError.notFound("no download '\(file)'; use \(id).csv, \(id).geojson, \(id).xlsx or \(id).jsonld")
        }
    }

    /// A large dataset's CSV or GeoJSON, streamed; nil when the download is small (or another format) and goes
    /// through the cache.
    func streamedDownload(_ request: Request, file: String, context: CivicRequestContext) async throws -> Response? {
        let url = URL(fileURLWithPath: file)
        let id = url.deletingPathExtension().lastPathComponent
        guard ["csv", "geojson", "xlsx"].contains(url.pathExtension), let collection = catalogue[id], !collection.isMerged,
            let dataset = collection.datasets.first, dataset.recordCount > configuration.streamedDownloadRecords
        else { return nil }
        if url.pathExtension == "xlsx" { return try await workbookDownload(request, dataset: dataset, context: context) }
        let csv = url.pathExtension == "csv"
        let (encoding, bom) = csv ? try DownloadsController.csvOptions(request) : (.utf8, false)
        var hash = FNV1a()
        hash.add(dataset.fingerprint + dataset.revision + request.uri.description)
        let etag = "\"data-\(String(hash.value, radix: 16))\""
        let store = self.store
        let renderer = catalogue.renderer(collection)
        let columns = DownloadsController.columns(dataset)
        let selector = CollectionSelector.dataset(dataset)
        let contentType = csv ? (encoding == .cp932 ? "text/csv; charset=Shift_JIS" : "text/csv; charset=utf-8") : "application/geo+json"
        return try await delivery.respondStreamed(request, etag: etag, contentType: contentType) {
            ResponseBody { writer in
                let output = ByteWriter()
                let csvWriter = csv ? try CSVWriter(output: output, encoding: encoding, byteOrderMark: bom) : nil
                try csvWriter?.writeHeader(columns)
                var out: [UInt8] = []
                if !csv { JSONBytes.appendASCII(#"{"type":"FeatureCollection","features":["#, to: &out) }
                var first = true
                var offset = 0
                while true {
                    let page = try store.features(in: selector, limit: 2000, offset: offset)
                    for feature in page.features {
                        if let csvWriter {
                            try csvWriter.writeRow(DownloadsController.row(feature, dataset), line: feature.line)
                        } else if feature.longitude != nil || feature.geometry != nil {
                            if !first { out.append(0x2C) }
                            first = false
                            out.append(0x0A)
                            renderer.append(feature, to: &out)
                        }
                    }
                    offset += page.features.count
                    if page.features.isEmpty { break }
                    try await writer.write(ByteBuffer(bytes: csv ? output.takeBytes() : out))
                    out.removeAll(keepingCapacity: true)
                }
                if !csv { JSONBytes.appendASCII("\n]}\n", to: &out) }
                try await writer.write(ByteBuffer(bytes: csv ? output.takeBytes() : out))
                try await writer.finish(nil)
            }
        }
    }

    /// A large dataset's workbook: written once per revision of the data (a page of records at a time) into the
    /// store's folder, then streamed from disk.
    func workbookDownload(_ request: Request, dataset: StoredDataset, context: CivicRequestContext) async throws -> Response {
        guard request.uri.queryParameters.isEmpty else { throw APIError.badParameter("\(dataset.id).xlsx takes no parameters") }
        // Per revision: records edited in place make a new workbook too.
        let version = "v\(dataset.version)-\(FNV1a.hex(dataset.revision))"
        let name = dataset.id.replacingOccurrences(of: "/", with: "_")
        let path = store.reportsDirectory.appendingPathComponent("\(name).\(version).xlsx").path
        if !FileManager.default.fileExists(atPath: path) {
            let writer = try DownloadsController.workbookWriter(dataset)
            var offset = 0
            while true {
                let page = try store.features(in: .dataset(dataset), limit: 2000, offset: offset)
                if page.features.isEmpty { break }
                for feature in page.features { try writer.writeRow(DownloadsController.row(feature, dataset)) }
                offset += page.features.count
            }
            let partial = path + ".\(UUID().uuidString).partial"
            try writer.finish(to: URL(fileURLWithPath: partial))
            // Older versions of this dataset's workbook go; the new one takes its name (a concurrent writer's copy is
            // the same bytes).
            let folder = store.reportsDirectory.path
            for old in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where old.hasPrefix(name + ".") && old.hasSuffix(".xlsx") && old != "\(name).\(version).xlsx" {
                try? FileManager.default.removeItem(atPath: folder + "/" + old)
            }
            if (try? FileManager.default.moveItem(atPath: partial, toPath: path)) == nil { try? FileManager.default.removeItem(atPath: partial) }
        }
        return try await delivery.respondStreamed(
            request,
            etag: "\"xlsx-\(FNV1a.hex(dataset.revision))\"",
            contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers: [.contentDisposition: "attachment; filename=\"\(dataset.id).xlsx\""]
        ) {
            try await FileIO().loadFile(path: path, context: context)
        }
    }

    /// A workbook for a dataset: one sheet named after its standard dataset, cells typed by the standard's fields.
    static func workbookWriter(_ dataset: StoredDataset) throws -> XLSXWriter {
        let schema: Schema? = dataset.schema
        return try XLSXWriter(
            columns: columns(dataset),
            types: XLSXWriter.types(columns: columns(dataset), schema: schema),
            sheetName: dataset.standardTitle
        )
    }

    /// A download's columns: the dataset's, and the geometry as WKT when it has lines or polygons.
    static func columns(_ dataset: StoredDataset) -> [String] {
        dataset.columns + (dataset.hasShapes ? [RecordGeometry.wktColumn] : [])
    }

    /// A record's download row: its values, and its geometry as WKT when the dataset has lines or polygons.
    static func row(_ feature: StoredFeature, _ dataset: StoredDataset) -> [String] {
        guard dataset.hasShapes else { return feature.values }
        if feature.geometry == nil, let x = feature.longitude, let y = feature.latitude {
            return feature.values + [RecordGeometry(x: x, y: y).wkt]
        }
        return feature.values + [FeatureRenderer.wkt(feature.geometry)]
    }

    /// A CSV download's options: `bom=true|false`, `encoding=utf-8|cp932`; anything else is a 400.
    static func csvOptions(_ request: Request) throws -> (CSVWriter.Encoding, Bool) {
        var encoding = CSVWriter.Encoding.utf8
        var bom = false
        for (name, value) in request.uri.queryParameters {
            switch (name, value) {
            case ("bom", "true"): bom = true
            case ("bom", "false"): bom = false
            case ("encoding", "cp932"), ("encoding", "shift_jis"): encoding = .cp932
            case ("encoding", "utf-8"): encoding = .utf8
            case ("datetime", _): continue
            default: throw APIError.badParameter("unknown parameter '\(name)=\(value)'; use bom=true or encoding=cp932")
            }
        }
        return (encoding, bom)
    }

    /// The columns a history download adds before the dataset's: the change's number, time, kind, who, release.
    static let historyColumns = ["変更番号", "変更日時", "変更種別", "更新者", "リリース"]

    /// `/datasets/{id}/history.csv|xlsx`: every change of the dataset readers saw, oldest first — what the record
    /// was after it (before it, for a deletion) with when, what, who and the release (`historyColumns`): who opened
    /// which shelter when, and how full it was.
    func history(_ request: Request, id: String, format: String, audience: Audience) throws -> Payload {
        guard let collection = catalogue[id], !collection.isMerged, let dataset = collection.datasets.first else {
            throw APIError.notFound("no dataset '\(id)'")
        }
        let (encoding, bom) = format == "csv" ? try DownloadsController.csvOptions(request) : (.utf8, false)
        if format == "xlsx", !request.uri.queryParameters.isEmpty { throw APIError.badParameter("history.xlsx takes no parameters") }
        let kinds: [Change.Kind: String] = [.create: "作成", .update: "更新", .delete: "削除"]
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        let columns = DownloadsController.historyColumns + DownloadsController.columns(dataset)
        let output = ByteWriter()
        let csvWriter = format == "csv" ? try CSVWriter(output: output, encoding: encoding, byteOrderMark: bom) : nil
        let workbook =
            format == "xlsx"
            ? try XLSXWriter(
                columns: columns,
                types: Array(repeating: .text, count: DownloadsController.historyColumns.count)
                    + XLSXWriter.types(columns: DownloadsController.columns(dataset), schema: dataset.schema),
                sheetName: "変更履歴"
            ) : nil
        try csvWriter?.writeHeader(columns)
        var since: Int64 = 0
        while true {
            let page = try store.changes(of: [dataset.id], since: since, limit: 5000)
            for change in page.changes {
                guard let seen = audience.view(change) else { continue }
                let feature = EditsController.feature(of: seen, columns: dataset.columns)
                let row =
                    [String(seen.seq), formatter.string(from: seen.at), kinds[seen.kind] ?? seen.kind.rawValue, seen.actor, String(seen.release)]
                    + DownloadsController.row(feature, dataset)
                do {
                    try csvWriter?.writeRow(row, line: 0)
                } catch let error as CSVWriteError {
                    throw APIError(.unprocessableContent, code: "NotRepresentable", error.message)
                }
                try workbook?.writeRow(row)
            }
            since = page.next
            if !page.more { break }
        }
        if let workbook {
            return Payload(
                bytes: try workbook.finishBytes(),
                contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                headers: [.contentDisposition: "attachment; filename=\"\(dataset.id)-history.xlsx\""]
            )
        }
        return Payload(
            bytes: output.bytes,
            contentType: encoding == .cp932 ? "text/csv; charset=Shift_JIS" : "text/csv; charset=utf-8",
            headers: [.contentDisposition: "attachment; filename=\"\(dataset.id)-history.csv\""]
        )
    }

    /// An instant in a file name: Japan time, to the second (20261206-093000).
    static func fileTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }

    func report(_ dataset: StoredDataset) throws -> Payload {
        do {
            return Payload(
                bytes: Array(try Data(contentsOf: URL(fileURLWithPath: dataset.reportFile))),
                contentType: "application/json; charset=utf-8"
            )
        } catch {
            throw APIError.notFound("the report of \(dataset.id) is no longer there (a newer version was loaded); ask again")
        }
    }
}
