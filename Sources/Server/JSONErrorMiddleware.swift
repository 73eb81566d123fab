import HTTPTypes
import Hummingbird

/// Turns every thrown error into `{"error", "status"}` with its proper status, and puts the security headers
/// on every response: no sniffing, no framing, no referrer, scripts and images from this origin only.
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError = APIError(from: error)
            if apiError.isLLMFailure { metrics.llmError(kind: "\(apiError.status.code)") }
            if apiError.status == .serviceUnavailable, apiError.retryAfter != nil { metrics.askRefused() }
            if apiError.status.code >= 500 { context.logger.error("\(request.method) \(request.uri.path): \(apiError.message)") }
            response = apiError.response()
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        // A route with a stricter policy of its own (the evaluation report page) keeps it. Inline styles are allowed
        // for the report shown in the workspace's sandboxed frame (a srcdoc frame inherits this policy); scripts are not.
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
                + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        }
        return response
    }
}
