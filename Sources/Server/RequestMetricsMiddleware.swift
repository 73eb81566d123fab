import HTTPTypes
import Hummingbird

/// Outermost: counts every request and times it, by the route pattern the router matched.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let metrics: ServerMetrics

    static let methods: Set<String> = ["GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let method = Self.methods.contains(request.method.rawValue) ? request.method.rawValue : "other"
        do {
            let response = try await next(request, context)
            metrics.request(route: context.endpointPath ?? "unmatched", method: method, status: response.status.code,
                            duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = APIError(from: error).status.code
            metrics.request(route: context.endpointPath ?? "unmatched", method: method, status: status, duration: ContinuousClock.now - start)
            throw error
        }
    }
}
