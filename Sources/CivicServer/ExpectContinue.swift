import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` with `100 Continue` as soon as the request's head arrives, so that a client holding
/// back a large upload (curl does above 1 MiB) sends it at once instead of waiting a second to give up on the answer
/// (RFC 9110 §10.1.1). A body declared larger than the upload limit gets no `100`: the request goes on to the route,
/// which answers 413 without the client having sent it.
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    let maximumBodyBytes: Int

    init(maximumBodyBytes: Int) { self.maximumBodyBytes = maximumBodyBytes }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = Self.unwrapInboundIn(data)
        guard case .head(var head) = part, let expect = head.headerFields[.expect] else {
            context.fireChannelRead(data)
            return
        }
        if expect.lowercased() == "100-continue" {
            head.headerFields[.expect] = nil
            let declared = head.headerFields[.contentLength].flatMap(Int.init) ?? 0
            if declared <= maximumBodyBytes {
                context.writeAndFlush(Self.wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
        }
        context.fireChannelRead(Self.wrapInboundOut(.head(head)))
    }
}
