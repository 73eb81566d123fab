import Answering
import Application
import Cohort
import Foundation
import Numerics
import HTTPTypes
import Hummingbird
import Store

/// Questions to the LLM and the ask log. A question is checked and given its place in the bounded queue
/// before any reply starts, so bad input and a full queue get a status (4xx, 503 with Retry-After), never a
/// broken stream. With `"stream": true` (or `Accept: text/event-stream`) the reply is server-sent events:
/// `token` events as the model writes, then one `result` (the answer JSON) or `error` event. The pipeline
/// logs every ask exactly once, whether the client stays to the end or not.
struct AskRoutes {
    let workspace: Workspace
    let metrics: ServerMetrics
    let maxBodyBytes: Int

    struct Body: Decodable {
        let caseID: String
        let question: String
        let modalities: String?
        let stream: Bool?
        let context: Int?
        let candidates: Int?

        enum CodingKeys: String, CodingKey { case caseID = "case_id", question, modalities, stream, context, candidates }
    }

    struct Token: Encodable { let text: String }

    func register(on router: Router<ServerRequestContext>) {
        router.post("/api/ask") { request, _ in
            let body = try await JSONBody.decode(Body.self, from: request, limit: maxBodyBytes)
            let ask = AskRequest(caseID: body.caseID, question: body.question, modalities: try QueryReader.modalities(body.modalities),
                                 candidates: body.candidates ?? 50, contextSize: body.context ?? 5)
            let ticket = try await Blocking.run { try workspace.admit(ask) }
            let stream = body.stream ?? (request.headers[.accept]?.contains("text/event-stream") ?? false)
            guard stream else {
                let result = try await workspace.ask(ask, ticket: ticket, stream: false)
                metrics.ask(timings: result.timings, verdict: result.verdict.status.rawValue)
                return try JSONBody.response(AskReport(result))
            }
            return streamed(ask, ticket: ticket)
        }
        router.get("/api/asks") { request, _ in
            let query = QueryReader(request)
            let caseID = query.string("case_id")
            let limit = try query.int("limit", default: 50, in: 1...1_000) ?? 50
            let records = try await Blocking.run { try workspace.store.asks(caseID: caseID) }
            return try JSONBody.response(AskLogView(total: records.count, asks: records.suffix(limit).reversed().map(AskLogView.Entry.init)))
        }
    }

    private func streamed(_ ask: AskRequest, ticket: AskQueue.Ticket) -> Response {
        let (events, continuation) = AsyncStream<ServerSentEvent>.makeStream()
        // The ask runs to the end (and is logged) even when the client leaves; its events are then dropped.
        Task {
            do {
                // Tokens carry the answer's text as it arrives, not the raw JSON the model writes.
                let reader = Locked(AnswerTextStream())
                let result = try await workspace.ask(ask, ticket: ticket, stream: true) { delta in
                    let text = reader.withLock { $0.feed(delta) }
                    if !text.isEmpty { continuation.yield(.json("token", Token(text: text))) }
                }
                metrics.ask(timings: result.timings, verdict: result.verdict.status.rawValue)
                continuation.yield(.json("result", AskReport(result)))
            } catch {
                let apiError = APIError(from: error)
                if apiError.isLLMFailure { metrics.llmError(kind: "\(apiError.status.code)") }
                continuation.yield(.json("error", APIError.ErrorBody(error: apiError.message, status: apiError.status.code)))
            }
            continuation.finish()
        }
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            for await event in events { try await writer.write(ByteBuffer(string: event.text)) }
            try await writer.finish(nil)
        })
    }
}
