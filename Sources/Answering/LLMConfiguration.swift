import Foundation

/// Where the chat endpoint is and how patient to be with it.
public struct LLMConfiguration: Sendable, Equatable {
    /// e.g. http://127.0.0.1:8080 (a trailing "/" or "/v1" is dropped).
    public var baseURL: String
    /// Sent as `Authorization: Bearer ...` when set.
    public var apiKey: String?
    /// Seconds to establish the TCP connection.
    public var connectTimeout: Double
    /// Seconds without a single byte before giving up. llama.cpp sends nothing until a
    /// non-streamed answer is complete, so this bounds prompt processing plus generation.
    public var readTimeout: Double
    /// Seconds for a whole attempt, however steadily data arrives.
    public var totalTimeout: Double
    public var retry: RetryPolicy

    public init(baseURL: String, apiKey: String? = nil, connectTimeout: Double = 5, readTimeout: Double = 120,
                totalTimeout: Double = 600, retry: RetryPolicy = RetryPolicy()) {
        var url = baseURL.trimmingCharacters(in: .whitespacesAndNewlines)
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/v1") { url.removeLast(3) }
        self.baseURL = url
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.totalTimeout = totalTimeout
        self.retry = retry
    }

    /// The environment variables this configuration reads.
    public static let urlVariable = "MEMOIR_LLM_URL"
    public static let apiKeyVariable = "MEMOIR_LLM_API_KEY"
    public static let timeoutVariable = "MEMOIR_LLM_TIMEOUT"

    /// `baseURL` (or $MEMOIR_LLM_URL), key from $MEMOIR_LLM_API_KEY, read timeout from
    /// $MEMOIR_LLM_TIMEOUT seconds.
    public static func fromEnvironment(baseURL: String? = nil,
                                       _ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LLMConfiguration {
        guard let url = baseURL ?? environment[urlVariable], !url.isEmpty else {
            throw LLMError.invalidRequest("no LLM endpoint: pass --llm URL or set \(urlVariable) "
                + "(bash Scripts/llm.sh start smollm2 prints one)")
        }
        var configuration = LLMConfiguration(baseURL: url, apiKey: environment[apiKeyVariable])
        if let raw = environment[timeoutVariable] {
            guard let seconds = Double(raw), seconds > 0 else {
                throw LLMError.invalidRequest("\(timeoutVariable)=\(raw) is not a positive number of seconds")
            }
            configuration.readTimeout = seconds
        }
        return configuration
    }
}
