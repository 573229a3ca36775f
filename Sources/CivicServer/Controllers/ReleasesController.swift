import CivicData
import CivicIngest
import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Releases over HTTP (docs/publishing.md): the list and one release with its diff, an upload that becomes a draft,
/// publishing a draft and rolling back. Writes need a token of the dataset's municipality (editor to upload,
/// publisher to publish and roll back) or the portal's admin; drafts are seen by those accounts only.
struct ReleasesController: Sendable {
    let store: Store
    let authenticator: Authenticator
    let configuration: ServerConfiguration
    /// Rebuilds the site's routes after a publish or a rollback (the catalogue and caches change).
    let refresh: @Sendable () -> Void

    var publishing: Publishing { Publishing(store: store, configuration: configuration) }

    /// A release as the API shows it.
    struct ReleaseDocument: Codable {
        var number: Int
        var state: Release.State
        var recordCount: Int
        var valid: Bool
        var author: String
        var note: String?
        var created: Date
        var published: Date?
        var publishedBy: String?
        var override: String?
        var rollbackOf: Int?
        /// Against the live release (for a draft) or the one before (for the others), when both records are kept.
        var diff: ReleaseDiff?

        init(_ release: Release, diff: ReleaseDiff? = nil) {
            number = release.number
            state = release.state
            recordCount = release.recordCount
            valid = release.valid
            author = release.author
            note = release.note
            created = release.created
            published = release.published
            publishedBy = release.publishedBy
            override = release.override
            rollbackOf = release.rollbackOf
            self.diff = diff
        }
    }

    struct ReleaseList: Codable {
        var dataset: String
        var releases: [ReleaseDocument]
    }

    /// `{"override": "reason"}`, optional, when publishing.
    struct PublishRequest: Codable {
        var override: String?
    }

    func addRoutes(to router: Router<CivicRequestContext>) {
        router.get("/datasets/:dataset/releases") { request, context in
            let id = try context.parameters.require("dataset")
            let (dataset, principal) = try self.visible(id, request)
            let mayEdit = principal.map { $0.may(.editor, write: dataset) } ?? false
            let releases = try self.store.releases(of: dataset.id).filter { $0.state != .draft || mayEdit }
            if HTMLPages.wanted(request) { return self.html(self.listPage(dataset, releases, request)) }
            return try self.json(ReleaseList(dataset: dataset.id, releases: releases.map { ReleaseDocument($0) }))
        }
        router.get("/datasets/:dataset/releases/:number") { request, context in
            let id = try context.parameters.require("dataset")
            let number = try context.parameters.require("number", as: Int.self)
            let (dataset, principal) = try self.visible(id, request)
            let mayEdit = principal.map { $0.may(.editor, write: dataset) } ?? false
            guard let release = try self.store.release(of: dataset.id, number: number), release.state != .draft || mayEdit else {
                throw APIError.notFound("\(id) has no release \(number)")
            }
            let document = ReleaseDocument(release, diff: try self.diff(for: release, in: dataset.id))
            if HTMLPages.wanted(request) { return self.html(self.releasePage(dataset, document, request)) }
            return try self.json(document)
        }
        router.get("/datasets/:dataset/releases/:number/report.json") { request, context in
            let id = try context.parameters.require("dataset")
            let number = try context.parameters.require("number", as: Int.self)
            let (dataset, principal) = try self.visible(id, request)
            let mayEdit = principal.map { $0.may(.editor, write: dataset) } ?? false
            guard let release = try self.store.release(of: dataset.id, number: number), release.state != .draft || mayEdit,
                let file = try self.store.reportFile(of: dataset.id, number: number), FileManager.default.fileExists(atPath: file)
            else {
                throw APIError.notFound("no report for release \(number) of \(id)")
            }
            return self.uncached(try await FileIO().loadFile(path: file, context: context), "application/json; charset=utf-8")
        }
        router.post("/datasets/:dataset/releases") { request, context in
            let id = try context.parameters.require("dataset")
            let (dataset, principal) = try self.writable(id, request, role: .editor)
            // The upload is kept as the draft's file (removed when it cannot be read).
            let upload = try await self.publishing.receive(request)
            let note = request.uri.queryParameters["note"].map(String.init)
            let release = try await self.publishing.draft(
                upload,
                of: dataset,
                by: .token(principal, origin: Self.origin(request, context)),
                note: note
            )
            var response = try self.json(ReleaseDocument(release, diff: try self.diff(for: release, in: dataset.id)), status: .created)
            response.headers[.location] = "/datasets/\(dataset.id)/releases/\(release.number)"
            return response
        }
        router.post("/datasets/:dataset/releases/:number/publish") { request, context in
            let id = try context.parameters.require("dataset")
            let number = try context.parameters.require("number", as: Int.self)
            let (dataset, principal) = try self.writable(id, request, role: .publisher)
            let body = try await request.body.collect(upTo: 64 << 10)
            var override: String?
            if body.readableBytes > 0 {
                do {
                    override = try JSONDecoder().decode(PublishRequest.self, from: Data(body.readableBytesView)).override
                } catch {
                    throw APIError.badParameter("the body must be a JSON object like {\"override\": \"reason\"}: \(error)")
                }
            }
            let release = try Self.storeCall {
                try self.store.publish(dataset.id, number: number, by: .token(principal, origin: Self.origin(request, context)), override: override)
            }
            self.refresh()
            return try self.json(ReleaseDocument(release))
        }
        router.post("/datasets/:dataset/rollback") { request, context in
            let id = try context.parameters.require("dataset")
            let (dataset, principal) = try self.writable(id, request, role: .publisher)
            guard let text = request.uri.queryParameters["to"], let number = Int(String(text)) else {
                throw APIError.badParameter("rollback needs ?to=<release number>")
            }
            let note = request.uri.queryParameters["note"].map(String.init)
            let release = try Self.storeCall {
                try self.store.rollback(dataset.id, to: number, by: .token(principal, origin: Self.origin(request, context)), note: note)
            }
            self.refresh()
            return try self.json(ReleaseDocument(release), status: .created)
        }
    }

    // MARK: Rules

    /// A dataset readers may see; the account, when the request presents a valid token (401 for an invalid one).
    private func visible(_ id: String, _ request: Request) throws -> (StoredDataset, Principal?) {
        let principal = try authenticator.principal(request)
        guard let dataset = try store.dataset(id: id) else { throw APIError.notFound("no dataset \(id)") }
        return (dataset, principal)
    }

    /// A dataset the request's account may write with `role`: 401 without a valid token; 403 when the account may
    /// not — also when there is no such dataset, unless the account is the portal's admin, so that an answer never
    /// tells another municipality's account what exists.
    private func writable(_ id: String, _ request: Request, role: Role) throws -> (StoredDataset, Principal) {
        let principal = try authenticator.require(request)
        let dataset = try store.dataset(id: id)
        guard let dataset, principal.may(role, write: dataset) else {
            throw principal.refusal(toWrite: dataset) == .notFound
                ? APIError.notFound("no dataset \(id)")
                : APIError(.forbidden, code: "Forbidden", "this token may not \(role == .editor ? "upload to" : "publish") \(id)")
        }
        return (dataset, principal)
    }

    // MARK: Helpers

    /// The diff a release shows: a draft against the live release, another against the release before it.
    private func diff(for release: Release, in dataset: String) throws -> ReleaseDiff? {
        let releases = try store.releases(of: dataset)
        let base: Release?
        if release.state == .draft {
            base = releases.first { $0.state == .live }
        } else {
            base = releases.first { $0.number < release.number && $0.state != .draft && $0.state != .discarded }
        }
        guard let base else { return nil }
        return try? store.diff(dataset, from: base.number, to: release.number)
    }

    /// Store refusals as HTTP answers: 404, 409, 412, and `invalid` (422 for a release, 400 for a record).
    static func storeCall<T>(invalid: HTTPResponse.Status = .unprocessableContent, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError where error.code == .notFound {
            throw APIError.notFound(error.message)
        } catch let error as StoreError where error.code == .conflict {
            throw APIError(.conflict, code: "Conflict", error.message)
        } catch let error as StoreError where error.code == .preconditionFailed {
            throw APIError(.preconditionFailed, code: "PreconditionFailed", error.message)
        } catch let error as StoreError where error.code == .invalidRequest {
            throw APIError(invalid, code: invalid == .badRequest ? "InvalidRecord" : "Unprocessable", error.message)
        }
    }

    /// Where a write came from, for the log: the client's address (and the address a proxy says it forwards for).
    static func origin(_ request: Request, _ context: CivicRequestContext) -> String {
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        return request.headers[.init("X-Forwarded-For")!].map { "\(peer) (forwarded for \($0))" } ?? peer
    }

    // MARK: Pages

    private func html(_ page: String) -> Response {
        uncached(ResponseBody(byteBuffer: ByteBuffer(string: page)), "text/html; charset=utf-8")
    }

    private static func stateName(_ state: Release.State, _ pages: HTMLPages) -> String {
        switch state {
        case .draft: pages.t("下書き", "draft")
        case .live: pages.t("公開中", "live")
        case .superseded: pages.t("過去の版", "superseded")
        case .discarded: pages.t("破棄", "discarded")
        }
    }

    private static func day(_ date: Date?) -> String {
        date.map { String(Store.timestamp($0).prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? ""
    }

    /// `/datasets/{id}/releases` for people: every release, newest first.
    private func listPage(_ dataset: StoredDataset, _ releases: [Release], _ request: Request) -> String {
        let pages = HTMLPages(configuration: configuration, request: request)
        let e = HTMLPages.escape
        var rows = ""
        for release in releases {
            rows += """
                <tr><td><a href="/datasets/\(e(dataset.id))/releases/\(release.number)?f=html">\(release.number)</a></td>\
                <td>\(Self.stateName(release.state, pages))</td><td>\(release.recordCount)</td>\
                <td>\(release.valid ? pages.t("適合", "valid") : pages.t("不適合", "invalid"))</td><td>\(e(release.author))</td>\
                <td>\(e(Self.day(release.published ?? release.created)))</td><td>\(e(release.note ?? ""))</td></tr>

                """
        }
        let body = """
            <h1>\(e(dataset.title)) — \(pages.t("リリース", "Releases"))</h1>
            <table>
            <caption>\(pages.t("新しい順", "Newest first"))</caption>
            <thead><tr><th scope="col">\(pages.t("番号", "No."))</th><th scope="col">\(pages.t("状態", "State"))</th>\
            <th scope="col">\(pages.t("件数", "Records"))</th><th scope="col">\(pages.t("検証", "Validation"))</th>\
            <th scope="col">\(pages.t("作成者", "Author"))</th><th scope="col">\(pages.t("日時 (UTC)", "When (UTC)"))</th>\
            <th scope="col">\(pages.t("メモ", "Note"))</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            """
        return pages.page(title: "\(dataset.title) — \(pages.t("リリース", "Releases"))", path: request.uri.path, body: body)
    }

    /// `/datasets/{id}/releases/{n}` for people: the release, its diff and a link to its report.
    private func releasePage(_ dataset: StoredDataset, _ release: ReleaseDocument, _ request: Request) -> String {
        let pages = HTMLPages(configuration: configuration, request: request)
        let e = HTMLPages.escape
        var diff = "<p>\(pages.t("比較できる版がありません。", "No release to compare with."))</p>"
        if let d = release.diff {
            func list(_ ids: [String], _ count: Int) -> String {
                guard count > 0 else { return "" }
                let more = count > ids.count ? "<li>… \(pages.t("ほか", "and")) \(count - ids.count) \(pages.t("件", "more"))</li>" : ""
                return "<ul>" + ids.prefix(50).map { "<li>\(e($0))</li>" }.joined() + (ids.count > 50 ? "<li>…</li>" : "") + more + "</ul>"
            }
            let changed = d.changed.prefix(50).map { "<li>\(e($0.id)): \(e($0.fields.joined(separator: "、")))</li>" }.joined()
            diff = """
                <p>\(pages.t("第\(d.from)版との比較", "Compared with release \(d.from)"))</p>
                <h3>\(pages.t("追加", "Added")) (\(d.addedCount))</h3>\(list(d.added, d.addedCount))
                <h3>\(pages.t("削除", "Removed")) (\(d.removedCount))</h3>\(list(d.removed, d.removedCount))
                <h3>\(pages.t("変更", "Changed")) (\(d.changedCount))</h3>\(d.changedCount > 0 ? "<ul>\(changed)</ul>" : "")
                <p>\(pages.t("変更なし", "Unchanged")): \(d.unchanged)\
                \(d.columnsAdded.isEmpty ? "" : "; \(pages.t("追加された列", "columns added")): \(e(d.columnsAdded.joined(separator: "、")))")\
                \(d.columnsRemoved.isEmpty ? "" : "; \(pages.t("削除された列", "columns removed")): \(e(d.columnsRemoved.joined(separator: "、")))")</p>
                """
        }
        let body = """
            <h1>\(e(dataset.title)) — \(pages.t("第\(release.number)版", "Release \(release.number)"))</h1>
            <dl>
            <dt>\(pages.t("状態", "State"))</dt><dd>\(Self.stateName(release.state, pages))</dd>
            <dt>\(pages.t("件数", "Records"))</dt><dd>\(release.recordCount)</dd>
            <dt>\(pages.t("検証", "Validation"))</dt><dd>\(release.valid ? pages.t("適合", "valid") : pages.t("不適合（エラーあり）", "invalid (errors)"))\
             — <a href="/datasets/\(e(dataset.id))/releases/\(release.number)/report.json">\(pages.t("検証レポート", "validation report"))</a></dd>
            <dt>\(pages.t("作成者", "Author"))</dt><dd>\(e(release.author))</dd>
            <dt>\(pages.t("作成日時 (UTC)", "Created (UTC)"))</dt><dd>\(e(Self.day(release.created)))</dd>
            \(release.published.map { "<dt>\(pages.t("公開日時 (UTC)", "Published (UTC)"))</dt><dd>\(e(Self.day($0))) (\(e(release.publishedBy ?? "")))</dd>" } ?? "")
            \(release.override.map { "<dt>\(pages.t("エラーのまま公開した理由", "Published with errors because"))</dt><dd>\(e($0))</dd>" } ?? "")
            \(release.rollbackOf.map { "<dt>\(pages.t("ロールバック元", "Rollback of"))</dt><dd>\(pages.t("第\($0)版", "release \($0)"))</dd>" } ?? "")
            \(release.note.map { "<dt>\(pages.t("メモ", "Note"))</dt><dd>\(e($0))</dd>" } ?? "")
            </dl>
            <h2>\(pages.t("差分", "Changes"))</h2>
            \(diff)
            <p><a href="/datasets/\(e(dataset.id))/releases?f=html">\(pages.t("リリース一覧へ", "All releases"))</a></p>
            """
        return pages.page(
            title: "\(dataset.title) — \(pages.t("第\(release.number)版", "Release \(release.number)"))",
            path: request.uri.path,
            body: body
        )
    }

    private func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        uncached(ResponseBody(byteBuffer: ByteBuffer(bytes: try documentJSON(value))), "application/json; charset=utf-8", status: status)
    }

    /// An answer that depends on who asks: never cached.
    private func uncached(_ body: ResponseBody, _ contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: body)
    }
}
