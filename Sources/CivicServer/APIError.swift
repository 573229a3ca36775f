import Foundation
public import Hummingbird

/// An error answered as JSON `{"code": …, "description": …}` (OGC API's exception shape) with its HTTP status;
/// the message says what was wrong, never a stack trace.
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// `InvalidParameterValue`, `NotFound`, `NotAcceptable`, `ServerError` …
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func badParameter(_ message: String) -> APIError { APIError(.badRequest, code: "InvalidParameterValue", message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "NotFound", message) }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try response(from: request, context: context, headers: [:])
    }

    func response(from request: Request, context: some RequestContext, headers: HTTPFields) throws -> Response {
        let body = try JSONSerialization.data(
            withJSONObject: ["code": code, "description": message],
            options: [.withoutEscapingSlashes]
        )
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
