import Foundation
public import Hummingbird

/// An error answered as JSON `{"code": …, "description": …}` (OGC API's exception shape) with its HTTP status;
/// the message says what was wrong, never a stack trace.
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// `InvalidParameterValue`, `NotFound`, `NotAcceptable`, `ServerError` …
    public var code: String
    public var message: String
    /// Headers the answer carries (`WWW-Authenticate` on a 401).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func badParameter(_ message: String) -> APIError { APIError(.badRequest, code: "InvalidParameterValue", message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "NotFound", message) }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try response(from: request, context: context, headers: headers)
    }

    func response(from request: Request, context: some RequestContext, headers: HTTPFields) throws -> Response {
        if HTMLPages.wanted(request) {
            // Browsers get a page in the same words.
            let pages = HTMLPages(configuration: ServerConfiguration(), request: request)
            let html = pages.page(
                title: "\(status.code) \(status.reasonPhrase)",
                path: request.uri.path,
                body:
                    "<h1>\(status.code) \(HTMLPages.escape(status.reasonPhrase))</h1>\n<p>\(HTMLPages.escape(message))</p>\n<p><a href=\"/?f=html\">\(pages.t("カタログへ戻る", "Back to the catalogue"))</a></p>"
            )
            var headers = headers
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }
        let body = try JSONSerialization.data(
            withJSONObject: ["code": code, "description": message],
            options: [.withoutEscapingSlashes]
        )
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
