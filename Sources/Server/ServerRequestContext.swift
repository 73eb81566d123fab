import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage plus the client's address, which the rate limit
/// counts by.
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer's IP address, or "local" where there is no socket (in-process tests).
    let clientAddress: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "local"
    }
}
