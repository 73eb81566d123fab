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

    public init(text: String, finishReason: String?, model: String?, usage: Usage?, timeToFirstToken: Double?,
                latency: Double, attempts: Int, chunks: Int) {
        self.text = text
        self.finishReason = finishReason
        self.model = model
        self.usage = usage
        self.timeToFirstToken = timeToFirstToken
        self.latency = latency
        self.attempts = attempts
        self.chunks = chunks
    }
}
