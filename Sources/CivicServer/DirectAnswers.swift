import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Answers, on the connection's event loop and before routing, the GETs whose answers a route recorded as depending
/// on the URI alone (`Delivery.respond(direct:)`: vector tiles) while they are in the response cache — the same
/// status, headers and bytes the route gives (ETag and 304, gzip, `X-Cache: HIT`), without the per-request task,
/// router and middleware. A cached tile cost ~35 µs of CPU through the router, most of it Hummingbird's per-request
/// machinery; a map asks for hundreds (docs/tiles.md, bench/tiles).
///
/// Anything else goes on to the routes unchanged: other methods, requests with credentials (`Authorization`,
/// `X-CKAN-API-Key`, cookies: what they see may differ), an `Origin` (CORS headers), `Connection` other than
/// keep-alive, an `Accept` the
/// server would refuse, and any request while an earlier one on the connection is still being answered by the
/// routes (answers go out in order).
final class DirectAnswers: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let site: Site
    private let logger: Logger
    /// Requests handed on to the routes and not yet answered.
    private var routed = 0
    /// True from a request answered here to its end (its body, if any, is dropped).
    private var answered = false

    init(site: Site, logger: Logger) {
        self.site = site
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if answered {
            if case .end = part { answered = false }
            return
        }
        guard case .head(let request) = part else {
            context.fireChannelRead(data)
            return
        }
        if routed == 0, let (status, headers, body) = answer(request) {
            answered = true
            logger.info(
                "Request",
                metadata: ["hb.request.method": "GET", "hb.request.path": .string(request.path ?? ""), "civic.answered": "direct"]
            )
            var response = HTTPResponse(status: status, headerFields: headers)
            response.headerFields[.contentLength] = String(body?.readableBytes ?? 0)
            if status == .notModified { response.headerFields[.contentLength] = nil }
            response.headerFields[.date] = DirectAnswers.date()
            response.headerFields[.server] = "Civic"
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            if let body, body.readableBytes > 0 { context.write(wrapOutboundOut(.body(body)), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            let target = request.path ?? ""
            let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            site.usage.count(path: path[0], query: path.count > 1 ? path[1] : nil, status: Int(status.code))
            return
        }
        routed += 1
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { routed = max(0, routed - 1) }
        context.write(data, promise: promise)
    }

    /// The cached answer for `request`, or nil to route it.
    private func answer(_ request: HTTPRequest) -> (HTTPResponse.Status, HTTPFields, ByteBuffer?)? {
        let fields = request.headerFields
        guard request.method == .get, let path = request.path, path.hasPrefix("/collections/"),
            !DirectAnswers.carriesCredentials(fields), fields[.origin] == nil,
            // Browsers say keep-alive; a connection to close or upgrade is the routes'.
            fields[.connection].map({ $0.lowercased() == "keep-alive" }) ?? true
        else { return nil }
        if let accept = fields[.accept], !APIMiddleware<CivicRequestContext>.acceptable(accept) || accept.contains("text/html") { return nil }
        return try? site.delivery.directAnswer((request.authority ?? "") + path, request: fields)
    }

    /// True when the request names a reader (what it may see can differ from the public's).
    static func carriesCredentials(_ fields: HTTPFields) -> Bool {
        fields[.authorization] != nil || fields[.ckanAPIKey] != nil || fields[.cookie] != nil
    }

    /// The `Date` header (RFC 9110 §5.6.7), made once a second.
    private static let dates = Mutex<(second: Int, text: String)>((-1, ""))

    static func date() -> String {
        let now = Date()
        let second = Int(now.timeIntervalSince1970)
        return dates.withLock { cached in
            if cached.second == second { return cached.text }
            cached = (second, Delivery.httpDate(now))
            return cached.text
        }
    }
}
