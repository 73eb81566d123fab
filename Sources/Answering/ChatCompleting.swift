/// An OpenAI-compatible chat endpoint as the pipeline sees it: `LLMClient` over libcurl, or a stand-in
/// in tests, so the pipeline's logic is tested without a socket.
public protocol ChatCompleting: Sendable {
    /// Where requests go (recorded in the ask log).
    var endpoint: String { get }
    /// The whole answer at once.
    func complete(_ request: ChatRequest) throws -> ChatResponse
    /// The answer with each text delta handed to `onDelta` as it arrives.
    func stream(_ request: ChatRequest, onDelta: @escaping (String) -> Void) throws -> ChatResponse
    /// The models the server offers.
    func listModels() throws -> [String]
}

extension LLMClient: ChatCompleting {
    public var endpoint: String { configuration.baseURL }
}
