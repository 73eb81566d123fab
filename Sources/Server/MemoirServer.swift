import Application
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `memoir serve`: the JSON API and the web workspace over one `Workspace`. Routes parse the request, call
/// one service and respond; access rules, errors and metrics are middleware around them.
public struct MemoirServer: Sendable {
    public let workspace: Workspace
    public let configuration: ServerConfiguration
    let metrics = ServerMetrics()
    let webFiles: [String: (type: String, data: Data)]
    let openAPI: Data

    public init(workspace: Workspace, configuration: ServerConfiguration) throws {
        self.workspace = workspace
        self.configuration = try configuration.validated()
        webFiles = try WebRoutes.load()
        openAPI = try WebRoutes.openAPIDocument()
    }

    /// Every route behind the middleware: metrics outermost, then JSON errors, then access rules.
    func router() -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: JSONErrorMiddleware(metrics: metrics))
        router.add(middleware: AccessMiddleware(configuration: configuration,
                                                limiter: RateLimiter(rate: configuration.rateLimit, burst: configuration.rateBurst)))
        SystemRoutes(workspace: workspace, metrics: metrics, openAPI: openAPI).register(on: router)
        WebRoutes(files: webFiles).register(on: router)
        CaseRoutes(workspace: workspace).register(on: router)
        SliceRoutes(workspace: workspace).register(on: router)
        RetrievalRoutes(workspace: workspace, maxBodyBytes: configuration.maxBodyBytes).register(on: router)
        AskRoutes(workspace: workspace, metrics: metrics, maxBodyBytes: configuration.maxBodyBytes).register(on: router)
        EvaluationRoutes(workspace: workspace).register(on: router)
        return router
    }

    /// The Hummingbird application; `onListening` receives the bound port (useful with port 0).
    func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "memoir.serve")
        logger.logLevel = .warning
        return Application(router: router(),
                           configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                                   serverName: "memoir"),
                           onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
                           logger: logger)
    }

    /// Serves until SIGINT or SIGTERM.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onListening: onListening).runService()
    }

    /// The workspace's address; the token, when one is set, rides in the fragment, which browsers never send
    /// to a server or a log.
    public func url(port: Int) -> String {
        let host = configuration.host.contains(":") && !configuration.host.hasPrefix("[") ? "[\(configuration.host)]" : configuration.host
        return "http://\(host):\(port)/" + (configuration.token.map { "#token=" + $0 } ?? "")
    }
}
