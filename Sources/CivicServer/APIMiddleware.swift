import CivicStore
import Foundation
import Hummingbird
import Logging

/// What every request goes through: methods the API does not have answered 405 with `Allow`, unknown paths answered with the JSON error shape, and unexpected errors logged (with the
/// request id) and answered 500 with a message, never a stack trace.
struct APIMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let isCKAN = path.hasPrefix("/api/3/action/") || path.hasPrefix("/api/action/")
        let supported =
            switch request.method {
            case .get, .options, .head: true
            case .post: isCKAN || APIMiddleware.isReleaseWrite(path) || APIMiddleware.isItemsPath(path)
            case .put, .patch, .delete: APIMiddleware.isItemPath(path)
            default: false
            }
        guard supported else {
            return try APIError(.methodNotAllowed, code: "MethodNotAllowed", "\(request.method.rawValue) is not supported here; use GET")
                .response(from: request, context: context, headers: [.allow: APIMiddleware.allowed(path)])
        }
        // The change feed also answers as Server-Sent Events.
        let events = path.hasPrefix("/collections/") && path.hasSuffix("/changes") && EditsController.wantsEvents(request)
        // And a feature's time map in RFC 7089's link format.
        let timeMap =
            path.hasPrefix("/collections/") && path.hasSuffix("/versions") && request.headers[.accept]?.contains("application/link-format") == true
        if let accept = request.headers[.accept], !events, !timeMap, !APIMiddleware.acceptable(accept) {
            throw APIError(
                .notAcceptable,
                code: "NotAcceptable",
                "this server answers in JSON, GeoJSON, CSV, JSON-LD or HTML; the request accepts only \(accept)"
            )
        }
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as StoreError where error.code == .versionGone {
            // A dataset switched to a new version while this request read the old one.
            throw APIError.notFound(error.message)
        } catch let error as HTTPError where error.status == .notFound {
            throw APIError.notFound("no such path: \(request.uri.path) (see /api for the paths served)")
        } catch let error as HTTPError where error.status == .methodNotAllowed {
            return try APIError(.methodNotAllowed, code: "MethodNotAllowed", "\(request.method.rawValue) is not supported on \(request.uri.path)")
                .response(from: request, context: context, headers: [.allow: APIMiddleware.allowed(request.uri.path)])
        } catch let error as HTTPError {
            throw APIError(error.status, code: "HTTPError", error.body ?? "\(error.status.reasonPhrase)")
        } catch let error as any HTTPResponseError {
            // An error that makes its own response: the CORS middleware's, which carries a handler's APIError (a 412,
            // a 404 …) with its headers when the request came with an Origin (a browser's fetch). It was a 500.
            throw error
        } catch {
            context.logger.error("request failed", metadata: ["error": .string("\(error)")])
            throw APIError(.internalServerError, code: "ServerError", "the server could not answer this request; the error is in its log")
        }
    }

    /// `/datasets/{id}/releases`, `/datasets/{id}/releases/{n}/publish`, `/datasets/{id}/rollback`: the release writes.
    static func isReleaseWrite(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].isEmpty, parts[1] == "datasets" else { return false }
        return (parts.count == 4 && (parts[3] == "releases" || parts[3] == "rollback"))
            || (parts.count == 6 && parts[3] == "releases" && parts[5] == "publish")
    }

    /// `/collections/{id}/items`: where records are created.
    static func isItemsPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0].isEmpty && parts[1] == "collections" && parts[3] == "items"
    }

    /// `/collections/{id}/items/{featureId}`: a record, replaced, patched or deleted.
    static func isItemPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        // Not a feature's time map (…/items/{featureId}/versions), which is read only.
        return parts.count >= 5 && parts[0].isEmpty && parts[1] == "collections" && parts[3] == "items" && !parts[4].isEmpty
            && !VersionsController.isTimeMap(parts.dropFirst(4))
    }

    /// True when the Accept header admits something the server writes (or anything at all).
    static func acceptable(_ accept: String) -> Bool {
        let served = [
            "*/*", "application/*", "text/*", "application/json", "application/geo+json", "text/csv", "text/html", "application/ld+json",
            "application/schema+json", "application/vnd.oai.openapi+json", "application/xhtml+xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.mapbox-vector-tile", "application/vnd.mapbox.tile+json", "application/link-format",
        ]
        for part in accept.split(separator: ",") {
            let type = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let quality =
                part.split(separator: ";").dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("q=") }
                .flatMap { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(2)) } ?? 1
            if quality > 0 && (type.isEmpty || served.contains(type)) { return true }
        }
        return false
    }

    static func allowed(_ path: String) -> String {
        if path.hasPrefix("/api/3/action/") || path.hasPrefix("/api/action/") { return "GET, HEAD, POST" }
        if isReleaseWrite(path) { return "POST" }
        if isItemsPath(path) { return "GET, HEAD, OPTIONS, POST" }
        if isItemPath(path) { return "GET, HEAD, OPTIONS, PUT, PATCH, DELETE" }
        return "GET, HEAD"
    }
}

/// Answers HEAD as the GET of the same path, without the body (routes are declared for GET only).
struct HeadAsGet<Wrapped: HTTPResponder>: HTTPResponder {
    typealias Context = Wrapped.Context
    let wrapped: Wrapped

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head else { return try await wrapped.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await wrapped.respond(to: Request(head: head, body: request.body), context: context)
        let length = response.body.contentLength
        response.body = ResponseBody()
        if let length { response.headers[.contentLength] = String(length) }
        return response
    }
}
