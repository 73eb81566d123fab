import Foundation

/// A POST /v1/chat/completions request. Unset options are left to the server's defaults.
public struct ChatRequest: Sendable, Equatable {
    public var messages: [ChatMessage]
    /// The model id; llama.cpp serves one model and ignores it, hosted endpoints need it.
    public var model: String?
    public var temperature: Double?
    public var maxTokens: Int?
    public var seed: Int?
    public var frequencyPenalty: Double?
    public var responseFormat: ResponseFormat?

    public init(messages: [ChatMessage], model: String? = nil, temperature: Double? = nil, maxTokens: Int? = nil,
                seed: Int? = nil, frequencyPenalty: Double? = nil, responseFormat: ResponseFormat? = nil) {
        self.messages = messages
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.seed = seed
        self.frequencyPenalty = frequencyPenalty
        self.responseFormat = responseFormat
    }

    /// The JSON body; `stream` also asks for the final usage chunk.
    func body(stream: Bool) throws -> Data {
        var object: [String: Any] = [
            "messages": messages.map { ["role": $0.role.rawValue, "content": $0.content] },
            "stream": stream,
        ]
        if stream { object["stream_options"] = ["include_usage": true] }
        if let model { object["model"] = model }
        if let temperature { object["temperature"] = temperature }
        if let maxTokens { object["max_tokens"] = maxTokens }
        if let seed { object["seed"] = seed }
        if let frequencyPenalty { object["frequency_penalty"] = frequencyPenalty }
        var body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        if let responseFormat {
            // Appended as raw JSON so the schema keeps its key order (see ResponseFormat).
            body.removeLast() // the closing brace of a non-empty object
            body.append(Data(#","response_format":"#.utf8))
            body.append(try responseFormat.requestJSON())
            body.append(Data("}".utf8))
        }
        return body
    }
}
