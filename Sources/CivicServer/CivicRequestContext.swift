public import Hummingbird
public import NIOCore

/// The context of every request: Hummingbird's basic one, plus the client's address (the log of writes says where a
/// write came from).
public struct CivicRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
