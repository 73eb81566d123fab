/// Sampling settings sent with every chat request (recorded in the ask log).
public struct GenerationOptions: Sendable, Equatable, Codable {
    /// Model name for the server (llama.cpp serves one model and ignores it; Ollama and vLLM need it).
    public var model: String?
    public var temperature: Double
    public var maxTokens: Int
    public var seed: Int?
    /// OpenAI's `frequency_penalty` (llama.cpp, vLLM and Ollama honour it): a mild one keeps small models from
    /// restating the evidence line after line until the budget runs out. Nil: the server's default (none).
    public var frequencyPenalty: Double?
    /// Ask for the answer schema as `response_format`; servers without structured output get prose
    /// instructions only and the parser reads the diagnosis from the text.
    public var structuredOutput: Bool

    /// Defaults measured on the 22 diagnosis questions Qwen2.5-0.5B ran out of budget on with prompt v2 at 400
    /// tokens (Benchmarks/results/vqa-v3/README.md): with v3's sentence-bounded schema, frequency penalty 0.3 and 600
    /// tokens, 20 of 22 replies finish (0 of 22 before).
    public init(model: String? = nil, temperature: Double = 0.2, maxTokens: Int = 600, seed: Int? = 2363,
                frequencyPenalty: Double? = 0.3, structuredOutput: Bool = true) {
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.seed = seed
        self.frequencyPenalty = frequencyPenalty
        self.structuredOutput = structuredOutput
    }
}
