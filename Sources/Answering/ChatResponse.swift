/// What a chat completion produced, with the timings a caller reports.
public struct ChatResponse: Sendable, Equatable {
    public struct Usage: Sendable, Equatable {
        public var promptTokens: Int
        public var completionTokens: Int

        public init(promptTokens: Int, completionTokens: Int) {
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
        }
    }

    /// What the server says it spent on this reply (llama.cpp's `timings`; other servers send none): the
    /// prompt tokens it evaluated (those served from its prefix cache are not evaluated again) and the tokens
    /// it generated, with the milliseconds each took. The server's own rates are the limit the LLM stage is
    /// compared with.
    public struct ServerTimings: Sendable, Equatable, Codable {
        public var cachedTokens: Int?
        public var promptTokens: Int
        public var promptMilliseconds: Double
        public var generatedTokens: Int
        public var generatedMilliseconds: Double

        public init(cachedTokens: Int?, promptTokens: Int, promptMilliseconds: Double, generatedTokens: Int, generatedMilliseconds: Double) {
            (self.cachedTokens, self.promptTokens, self.promptMilliseconds) = (cachedTokens, promptTokens, promptMilliseconds)
            (self.generatedTokens, self.generatedMilliseconds) = (generatedTokens, generatedMilliseconds)
        }

        enum CodingKeys: String, CodingKey {
            case cachedTokens = "cached_tokens", promptTokens = "prompt_tokens", promptMilliseconds = "prompt_ms"
            case generatedTokens = "generated_tokens", generatedMilliseconds = "generated_ms"
        }
    }

    /// The assistant's text (for a streamed answer, all deltas joined).
    public var text: String
    /// "stop", "length", ...; nil when the server sent none.
    public var finishReason: String?
    public var model: String?
    public var usage: Usage?
    /// Seconds from the call's start to the first non-empty content delta; nil unless streamed
    /// (a non-streamed answer arrives all at once).
    public var timeToFirstToken: Double?
    /// Seconds from the call's start to the end of the answer, retries and back-off included.
    public var latency: Double
    /// HTTP attempts made (1 when the first succeeded).
    public var attempts: Int
    /// Server-sent events received; 0 when not streamed.
    public var chunks: Int
    public var serverTimings: ServerTimings?

    public init(text: String, finishReason: String?, model: String?, usage: Usage?, timeToFirstToken: Double?,
                latency: Double, attempts: Int, chunks: Int, serverTimings: ServerTimings? = nil) {
        self.text = text
        self.finishReason = finishReason
        self.model = model
        self.usage = usage
        self.timeToFirstToken = timeToFirstToken
        self.latency = latency
        self.attempts = attempts
        self.chunks = chunks
        self.serverTimings = serverTimings
    }
}
