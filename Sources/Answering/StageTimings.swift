/// Seconds spent in each stage of one ask; `--json` prints them and the ask log stores them.
public struct StageTimings: Sendable, Equatable, Codable {
    /// Looking up (or, on a cache miss, computing) the query case's embedding.
    public var embed = 0.0
    public var search = 0.0
    public var rerank = 0.0
    /// Building the evidence (the encoder's heads included).
    public var evidence = 0.0
    public var prompt = 0.0
    /// Request sent → first token received (streaming), or → whole reply (non-streaming).
    public var llmFirstToken: Double?
    public var llm = 0.0
    public var parse = 0.0

    public init() {}

    /// Everything before the request goes to the LLM.
    public var beforeLLM: Double { embed + search + rerank + evidence + prompt }
    public var total: Double { beforeLLM + llm + parse }

    enum CodingKeys: String, CodingKey {
        case embed, search, rerank, evidence, prompt, llmFirstToken = "llm_first_token", llm, parse
        case beforeLLM = "before_llm", total
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(embed, forKey: .embed)
        try c.encode(search, forKey: .search)
        try c.encode(rerank, forKey: .rerank)
        try c.encode(evidence, forKey: .evidence)
        try c.encode(prompt, forKey: .prompt)
        try c.encodeIfPresent(llmFirstToken, forKey: .llmFirstToken)
        try c.encode(llm, forKey: .llm)
        try c.encode(parse, forKey: .parse)
        try c.encode(beforeLLM, forKey: .beforeLLM)
        try c.encode(total, forKey: .total)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        embed = try c.decode(Double.self, forKey: .embed)
        search = try c.decode(Double.self, forKey: .search)
        rerank = try c.decode(Double.self, forKey: .rerank)
        evidence = try c.decodeIfPresent(Double.self, forKey: .evidence) ?? 0
        prompt = try c.decode(Double.self, forKey: .prompt)
        llmFirstToken = try c.decodeIfPresent(Double.self, forKey: .llmFirstToken)
        llm = try c.decode(Double.self, forKey: .llm)
        parse = try c.decode(Double.self, forKey: .parse)
    }
}
