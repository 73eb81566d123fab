/// Sampling settings sent with every chat request (recorded in the ask log).
public struct GenerationOptions: Sendable, Equatable, Codable {
    /// Model name for the server (llama.cpp serves one model and ignores it; Ollama and vLLM need it).
    public var model: String?
    public var temperature: Double
    public var maxTokens: Int
    public var seed: Int?
    /// Ask for the answer schema as `response_format`; servers without structured output get prose
    /// instructions only and the parser reads the diagnosis from the text.
    public var structuredOutput: Bool

    public init(model: String? = nil, temperature: Double = 0.2, maxTokens: Int = 400, seed: Int? = 2363,
                structuredOutput: Bool = true) {
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.seed = seed
        self.structuredOutput = structuredOutput
    }
}
