import CCurl
import Foundation

/// A synchronous client for an OpenAI-compatible chat endpoint (llama.cpp's server in
/// Memoir), over libcurl. A value type holding only configuration: every call uses its own
/// curl handle, so one client may be used from many threads at once.
public struct LLMClient: Sendable {
    public let configuration: LLMConfiguration

    public init(configuration: LLMConfiguration) {
        self.configuration = configuration
    }

    public init(baseURL: String, apiKey: String? = ProcessInfo.processInfo.environment[LLMConfiguration.apiKeyVariable]) {
        self.init(configuration: LLMConfiguration(baseURL: baseURL, apiKey: apiKey))
    }

    /// A client for $MEMOIR_LLM_URL (or `baseURL`), see `LLMConfiguration.fromEnvironment`.
    public static func fromEnvironment(baseURL: String? = nil) throws -> LLMClient {
        LLMClient(configuration: try LLMConfiguration.fromEnvironment(baseURL: baseURL))
    }

    /// POST /v1/chat/completions and wait for the whole answer.
    public func complete(_ request: ChatRequest) throws -> ChatResponse {
        try redactingErrors { try completeUnredacted(request) }
    }

    private func completeUnredacted(_ request: ChatRequest) throws -> ChatResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        let url = configuration.baseURL + "/v1/chat/completions"
        let (result, attempts) = try send("POST", url, body: try request.body(stream: false), retry: configuration.retry)
        let payload: CompletionPayload
        do {
            payload = try CompletionPayload.decode(result.body)
        } catch {
            throw LLMError.malformedResponse(url: url, reason: CompletionPayload.reason(for: error),
                                             excerpt: LLMError.excerpt(result.body))
        }
        if let error = payload.error {
            throw LLMError.serverError(url: url, message: error.message ?? LLMError.excerpt(result.body))
        }
        guard let choice = payload.choices?.first else {
            throw LLMError.malformedResponse(url: url, reason: "no choices", excerpt: LLMError.excerpt(result.body))
        }
        return ChatResponse(text: choice.message?.content ?? "", finishReason: choice.finishReason, model: payload.model,
                            usage: payload.chatUsage, timeToFirstToken: nil, latency: Self.seconds(since: started),
                            attempts: attempts, chunks: 0, serverTimings: payload.serverTimings)
    }

    /// POST /v1/chat/completions with `stream: true`, handing each text delta to `onDelta` as
    /// it arrives. A stream that ends before `[DONE]` or a finish reason throws `streamCut`:
    /// a partial answer is never returned. Retries only while no text has been delivered.
    public func stream(_ request: ChatRequest, onDelta: @escaping (String) -> Void = { _ in }) throws -> ChatResponse {
        try redactingErrors {
            let started = DispatchTime.now().uptimeNanoseconds
            let url = configuration.baseURL + "/v1/chat/completions"
            let body = try request.body(stream: true)
            var attempt = 0, waited = 0.0
            while true {
                attempt += 1
                let assembler = StreamAssembler(url: url, started: started, onDelta: onDelta)
                let result = CurlTransport.perform(exchange("POST", url, body: body), stream: assembler.feed)
                do {
                    try finishStream(result, assembler, url: url)
                    return ChatResponse(text: assembler.text, finishReason: assembler.finishReason, model: assembler.model,
                                        usage: assembler.usage, timeToFirstToken: assembler.timeToFirstToken,
                                        latency: Self.seconds(since: started), attempts: attempt, chunks: assembler.chunks,
                                        serverTimings: assembler.serverTimings)
                } catch let error as LLMError {
                    // Text already shown to the caller makes a retry unsafe: it would be repeated.
                    guard !assembler.hasDelivered else { throw error.with(attempts: attempt) }
                    waited += try pause(after: error, result, attempt: attempt, waited: waited, retry: configuration.retry)
                }
            }
        }
    }

    /// GET /v1/models: the ids of the models the server offers.
    public func listModels() throws -> [String] {
        try redactingErrors { try listModelsUnredacted() }
    }

    private func listModelsUnredacted() throws -> [String] {
        let url = configuration.baseURL + "/v1/models"
        let (result, _) = try send("GET", url, body: nil, retry: configuration.retry)
        struct Models: Decodable {
            struct Model: Decodable { var id: String }
            var data: [Model]
        }
        do {
            return try JSONDecoder().decode(Models.self, from: result.body).data.map(\.id)
        } catch {
            throw LLMError.malformedResponse(url: url, reason: CompletionPayload.reason(for: error),
                                             excerpt: LLMError.excerpt(result.body))
        }
    }

    /// GET /health once, without retries: true when the model is loaded and serving, false
    /// while llama.cpp is still loading it (503). Throws when nothing answers.
    public func health() throws -> Bool {
        try redactingErrors { try healthUnredacted() }
    }

    private func healthUnredacted() throws -> Bool {
        let url = configuration.baseURL + "/health"
        do {
            let (result, _) = try send("GET", url, body: nil, retry: .none)
            struct Health: Decodable { var status: String }
            guard let health = try? JSONDecoder().decode(Health.self, from: result.body) else {
                throw LLMError.malformedResponse(url: url, reason: "no 'status' field", excerpt: LLMError.excerpt(result.body))
            }
            return health.status == "ok"
        } catch LLMError.http(_, let status, _, _) where status == 503 {
            return false
        }
    }

    // MARK: - Exchanges

    private func exchange(_ method: String, _ url: String, body: Data?) -> CurlTransport.Request {
        var headers = ["Accept: application/json, text/event-stream", "Expect:"]
        if body != nil { headers.append("Content-Type: application/json") }
        if let key = configuration.apiKey { headers.append("Authorization: Bearer \(key)") }
        return CurlTransport.Request(method: method, url: url, headers: headers, body: body,
                                     connectTimeout: configuration.connectTimeout, readTimeout: configuration.readTimeout,
                                     totalTimeout: configuration.totalTimeout, maxReplyBytes: configuration.maxReplyBytes)
    }

    /// One request with bounded retries; returns the 2xx result and the attempts it took.
    private func send(_ method: String, _ url: String, body: Data?, retry: RetryPolicy) throws -> (CurlTransport.Result, Int) {
        var attempt = 0, waited = 0.0
        while true {
            attempt += 1
            let result = CurlTransport.perform(exchange(method, url, body: body))
            guard let error = failure(of: result, url: url) else { return (result, attempt) }
            waited += try pause(after: error, result, attempt: attempt, waited: waited, retry: retry)
        }
    }

    /// Sleeps before the next attempt and returns the seconds slept, or throws `error` when it is final: not
    /// retryable, attempts used up, or a wait (back-off or the server's `Retry-After`) past the total budget.
    private func pause(after error: LLMError, _ result: CurlTransport.Result, attempt: Int, waited: Double,
                       retry: RetryPolicy) throws -> Double {
        guard error.isRetryable, attempt < retry.maxAttempts else { throw error.with(attempts: attempt) }
        let left = max(0, retry.maxTotalDelay - waited)
        var wait = retry.delay(afterAttempt: attempt)
        if case let .http(url, status, _, _) = error, status == 429 || status == 503,
           let header = result.retryAfter, let asked = RetryPolicy.retryAfterSeconds(header) {
            guard asked <= left else {
                throw LLMError.throttled(url: url, status: status, retryAfter: asked, budget: left, attempts: attempt)
            }
            wait = asked
        }
        guard wait <= left else { throw error.with(attempts: attempt) }
        Thread.sleep(forTimeInterval: wait)
        return wait
    }

    /// Runs `body`, removing the API key and bearer tokens from any `LLMError` it throws: a server may echo
    /// them in an error body, and the error ends up on stderr and in `asks.error`.
    private func redactingErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as LLMError { throw error.redacting(configuration.apiKey) }
    }

    /// The error a finished streamed attempt amounts to, if any.
    private func finishStream(_ result: CurlTransport.Result, _ assembler: StreamAssembler, url: String) throws {
        if result.overflowed {
            throw LLMError.replyTooLarge(url: url, limit: configuration.maxReplyBytes, received: result.received)
        }
        if let failure = assembler.failure { throw failure }
        if result.code != CURLE_OK, assembler.chunks > 0 {
            // The connection broke (or stalled) after events arrived: the answer is partial.
            throw LLMError.streamCut(url: url, chunks: assembler.chunks, detail: result.message)
        }
        if let error = failure(of: result, url: url) { throw error }
        guard assembler.isComplete else {
            let detail = assembler.chunks == 0 ? "body began: \(assembler.excerpt.isEmpty ? "(empty)" : assembler.excerpt)"
                : "connection closed after \(Self.format(result.elapsed)) s"
            throw LLMError.streamCut(url: url, chunks: assembler.chunks, detail: detail)
        }
    }

    /// Maps curl's outcome and the HTTP status to an error; nil for a 2xx answer.
    func failure(of result: CurlTransport.Result, url: String) -> LLMError? {
        if result.overflowed { return .replyTooLarge(url: url, limit: configuration.maxReplyBytes, received: result.received) }
        switch result.code {
        case CURLE_OK:
            if (200..<300).contains(result.status) { return nil }
            return .http(url: url, status: result.status, body: LLMError.excerpt(result.body), attempts: 1)
        case CURLE_COULDNT_CONNECT:
            return .connectionRefused(url: url, attempts: 1, detail: result.message)
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(url: url, seconds: result.elapsed, attempts: 1, detail: result.message)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidRequest("\(url): \(result.message)") // retrying cannot help
        default:
            return .transport(url: url, attempts: 1, detail: "\(result.message) (curl error \(result.code.rawValue))")
        }
    }

    private static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    private static func format(_ seconds: Double) -> String { String(format: "%.1f", seconds) }
}
