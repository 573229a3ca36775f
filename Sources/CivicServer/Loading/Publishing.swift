import CivicData
import CivicIngest
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore

/// What every face of publishing (the release endpoints, OGC API Features Part 4, the CKAN actions) does the same
/// way: take an upload into a file of the store's (a raw body or a multipart part, within `maximumUploadBytes`), run
/// the pipeline over it into a draft, make a new empty dataset, and check one record as a row of its dataset.
struct Publishing: Sendable {
    let store: Store
    let configuration: ServerConfiguration

    // MARK: Uploads

    /// A new file in the store's uploads folder, with `ext` as its extension.
    private func uploadFile(_ ext: String) throws -> (URL, FileHandle) {
        let folder = store.reportsDirectory.appendingPathComponent("uploads", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("\(UUID().uuidString).\(ext)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw APIError(.internalServerError, code: "ServerError", "the upload could not be stored")
        }
        return (url, try FileHandle(forWritingTo: url))
    }

    private var tooLarge: APIError {
        APIError(.contentTooLarge, code: "ContentTooLarge", "an upload may have at most \(configuration.maximumUploadBytes) bytes")
    }

    /// The request's body in a file (413 beyond `maximumUploadBytes`, 400 when empty), named for its type.
    func receive(_ request: Request) async throws -> URL {
        let (url, handle) = try uploadFile(Publishing.fileExtension(name: request.uri.queryParameters["filename"].map(String.init), request))
        var received = 0
        do {
            for try await buffer in request.body {
                received += buffer.readableBytes
                guard received <= configuration.maximumUploadBytes else { throw tooLarge }
                try handle.write(contentsOf: Data(buffer.readableBytesView))
            }
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        guard received > 0 else {
            try? FileManager.default.removeItem(at: url)
            throw APIError.badParameter("the body is empty: send the file (CSV, TSV, .xlsx, .xls or GeoJSON) as the request body")
        }
        return url
    }

    /// A `multipart/form-data` body as ckanapi sends it: its text fields, and its file part (`upload`) streamed into a
    /// file (413 beyond `maximumUploadBytes`; text fields at most 64 KiB each).
    struct Form {
        var fields: [String: String] = [:]
        var file: URL?
        var filename: String?
    }

    func receiveForm(_ request: Request) async throws -> Form {
        guard let type = request.headers[.contentType], let boundary = Publishing.boundary(type) else {
            throw APIError.badParameter("a multipart/form-data body needs its boundary")
        }
        final class State {
            var form = Form()
            var name: String?
            var filename: String?
            var text: [UInt8] = []
            var handle: FileHandle?
            var url: URL?
            var size = 0
            var error: (any Error)?
        }
        let state = State()
        let parser = MultipartParser(boundary: boundary)
        let limit = configuration.maximumUploadBytes
        parser.onHeader = { field, value in
            guard field.lowercased() == "content-disposition" else { return }
            state.name = Publishing.dispositionParameter(value, "name")
            state.filename = Publishing.dispositionParameter(value, "filename")
        }
        parser.onBody = { buffer in
            guard state.error == nil else { return }
            state.size += buffer.readableBytes
            if state.size > limit {
                state.error = self.tooLarge
                return
            }
            if let filename = state.filename {
                do {
                    if state.handle == nil {
                        guard state.form.file == nil else { throw APIError.badParameter("send one file per request") }
                        let ext = Publishing.fileExtension(name: filename, request)
                        let (url, handle) = try self.uploadFile(ext)
                        state.url = url
                        state.handle = handle
                        state.form.file = url
                        state.form.filename = filename
                    }
                    try state.handle?.write(contentsOf: Data(buffer.readableBytesView))
                } catch {
                    state.error = error
                }
            } else {
                guard state.text.count + buffer.readableBytes <= 64 << 10 else {
                    state.error = APIError.badParameter("a form field may have at most 64 KiB")
                    return
                }
                state.text += buffer.readableBytesView
            }
        }
        parser.onPartComplete = {
            if state.filename == nil, let name = state.name { state.form.fields[name] = String(decoding: state.text, as: UTF8.self) }
            try? state.handle?.close()
            state.handle = nil
            state.name = nil
            state.filename = nil
            state.text = []
        }
        do {
            for try await buffer in request.body {
                try parser.execute(buffer)
                if let error = state.error { throw error }
            }
        } catch {
            try? state.handle?.close()
            if let file = state.form.file { try? FileManager.default.removeItem(at: file) }
            if let failure = error as? APIError { throw failure }
            throw APIError.badParameter("the multipart body is malformed: \(error)")
        }
        if state.form.file != nil, state.size == 0 {
            throw APIError.badParameter("the uploaded file is empty")
        }
        return state.form
    }

    /// `boundary=` of a multipart Content-Type.
    static func boundary(_ contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for part in contentType.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// One parameter (`name`, `filename`) of a Content-Disposition header.
    static func dispositionParameter(_ header: String, _ key: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == key {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// The file's extension, from its name or the Content-Type (the pipeline also looks at the bytes).
    static func fileExtension(name: String?, _ request: Request) -> String {
        if let name, let dot = name.lastIndex(of: ".") {
            let ext = name[name.index(after: dot)...].lowercased()
            if ["csv", "tsv", "txt", "xlsx", "xls", "geojson", "json"].contains(ext) { return ext }
        }
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return switch type {
        case "text/tab-separated-values": "tsv"
        case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"
        case "application/vnd.ms-excel": "xls"
        case "application/geo+json": "geojson"
        case "application/json": "json"
        default: "csv"
        }
    }

    // MARK: The pipeline

    /// Runs the pipeline over `file` into a new version of `dataset`, off the request threads (it is CPU work), kept
    /// as a draft release. A file that is not a table is 422 (and removed).
    func draft(_ file: URL, of dataset: StoredDataset, by actor: Actor, note: String?) async throws -> Release {
        let options = try configuration.ingestOptions(for: dataset)
        let metadata = VersionMetadata(
            datasetID: dataset.id,
            title: dataset.title,
            municipalityCode: dataset.municipalityCode,
            municipality: dataset.municipality,
            license: dataset.license,
            licenseNote: dataset.licenseNote,
            attribution: dataset.attribution,
            source: dataset.source,
            updated: String(Store.timestamp(Date()).prefix(10)),
            file: file.path,
            fingerprint: "upload:" + file.lastPathComponent,
            origin: dataset.origin,
            updateFrequency: dataset.updateFrequency?.rawValue
        )
        let store = self.store
        return try await Ingest.onThread(named: "civic-publish") {
            try store.writeVersion(metadata) { version in
                let report: Report
                do {
                    report = try Ingest.run(
                        .file(file),
                        options: options,
                        findings: JSONReportWriter(output: try ByteWriter(url: version.reportURL)),
                        into: [version]
                    )
                } catch {
                    try? FileManager.default.removeItem(at: file)
                    // The file could not be read: what was wrong, and where (the pipeline says).
                    throw APIError(.unprocessableContent, code: "UnreadableFile", "\(error)")
                }
                return try version.commitDraft(report, by: actor, note: note)
            }
        }
    }

    /// A new dataset of the standard dataset `standard` with no records yet, live at once (release 1, by `actor`): the
    /// pipeline reads the standard's header alone, so its columns and schema are the ones a file would give.
    func create(_ metadata: VersionMetadata, standard: String, by actor: Actor, note: String?) async throws {
        let catalog = try configuration.schemaCatalog()
        guard let schema = catalog[standard] else {
            throw APIError.badParameter("\(standard) is not a standard dataset; use one of \(catalog.schemas.map(\.id).joined(separator: ", "))")
        }
        let header = schema.fields.map(\.name).joined(separator: ",") + "\r\n"
        let store = self.store
        try await Ingest.onThread(named: "civic-publish") {
            try store.writeVersion(metadata) { version in
                let report = try Ingest.run(
                    .bytes(Array(header.utf8), name: "\(metadata.datasetID) (new)"),
                    options: IngestOptions(read: ReadOptions(dataset: standard, catalog: catalog)),
                    findings: JSONReportWriter(output: try ByteWriter(url: version.reportURL)),
                    into: [version]
                )
                try version.commit(report, by: actor, note: note)
            }
        }
    }

    /// One record as a row of its dataset (RecordCheck): 400 when it cannot be read.
    func check(_ values: [String], columns: [String], of dataset: StoredDataset, name: String) throws -> RecordCheck.Checked {
        guard values.contains(where: { !$0.isEmpty }) else { throw APIError.badParameter("the record is empty: send its properties") }
        do {
            return try RecordCheck.check(values, columns: columns, options: configuration.ingestOptions(for: dataset), name: name)
        } catch let error as IngestError {
            throw APIError.badParameter(error.message)
        }
    }
}
