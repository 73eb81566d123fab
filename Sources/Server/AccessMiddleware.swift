import HTTPTypes
import Hummingbird

/// What may reach a route at all: requests addressed to this server (DNS rebinding), from its own origin
/// (no CORS: a cross-origin request is refused, never allowed by header), with the token when one is set,
/// a body within the limit, and within the client's rate.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let configuration: ServerConfiguration
    let limiter: RateLimiter

    /// Paths open without the token: the page itself, its files, the API description and liveness.
    static func isPublic(_ path: String) -> Bool {
        path == "/" || path == "/health" || path == "/openapi.json" || path.hasPrefix("/static/")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = request.headers[Self.hostHeader] ?? request.head.authority
        if configuration.bindsLoopback, let host, !ServerConfiguration.isLoopback(Self.hostname(host)) {
            throw APIError(.forbidden, "this server answers only requests addressed to a loopback name (Host: \(host.prefix(80)))")
        }
        if let origin = request.headers[.origin] {
            guard let host, origin == "http://" + host || origin == "https://" + host else {
                throw APIError(.forbidden, "cross-origin requests are not allowed (Origin: \(origin.prefix(80)))")
            }
        }
        if let expected = configuration.token, !Self.isPublic(request.uri.path) {
            guard let presented = TokenCheck.bearer(request.headers[.authorization]), TokenCheck.matches(presented, expected) else {
                throw APIError(.unauthorized, "this server needs its token: send 'Authorization: Bearer TOKEN'")
            }
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBodyBytes {
            throw APIError(.contentTooLarge, "the request body is \(length) bytes; the limit is \(configuration.maxBodyBytes)")
        }
        guard limiter.allow(context.clientAddress) else {
            throw APIError(.tooManyRequests, "too many requests from \(context.clientAddress); slow down", retryAfter: 1)
        }
        return try await next(request, context)
    }

    /// A literal Host field, where a request carries one instead of an authority (HTTPTypes moves it there
    /// for HTTP/1 requests).
    static let hostHeader = HTTPField.Name("Host") ?? .contentLocation

    /// "127.0.0.1:8765" → "127.0.0.1", "[::1]:8765" → "[::1]".
    static func hostname(_ host: String) -> String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") { return String(host[...close]) }
        return String(host.split(separator: ":", maxSplits: 1).first ?? "")
    }
}
