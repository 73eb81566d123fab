import Application
import Foundation
import HTTPTypes
import Hummingbird

/// Liveness, Prometheus metrics and the OpenAPI description of the API.
struct SystemRoutes {
    let workspace: Workspace
    let metrics: ServerMetrics
    let openAPI: Data

    struct Health: Encodable {
        let status: String
        let cases: Int
        /// Whether an LLM endpoint is configured (its URL and key stay on the server).
        let llmConfigured: Bool
        let askQueueDepth: Int

        enum CodingKeys: String, CodingKey { case status, cases, llmConfigured = "llm_configured", askQueueDepth = "ask_queue_depth" }
    }

    func register(on router: Router<ServerRequestContext>) {
        router.get("/health") { _, _ in
            let cases = try await Blocking.run { try workspace.store.count() }
            return try JSONBody.response(Health(status: "ok", cases: cases, llmConfigured: workspace.llmEndpoint != nil,
                                                askQueueDepth: workspace.asks.depth))
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition(askQueueDepth: workspace.asks.depth))))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: openAPI)))
        }
    }
}
