import Foundation
import Numerics

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
    /// Bytes of one answer's body (as sent, never inflated) beyond which the transfer is aborted: a
    /// misbehaving server cannot fill memory. A chat answer of a few thousand tokens is tens of KiB.
    public var maxReplyBytes: Int

    public static let defaultMaxReplyBytes = 4 << 20

    public init(baseURL: String, apiKey: String? = nil, connectTimeout: Double = 5, readTimeout: Double = 120,
                totalTimeout: Double = 600, retry: RetryPolicy = RetryPolicy(), maxReplyBytes: Int = defaultMaxReplyBytes) {
        var url = baseURL.trimmingCharacters(in: .whitespacesAndNewlines)
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/v1") { url.removeLast(3) }
        self.baseURL = url
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.totalTimeout = totalTimeout
        self.retry = retry
        self.maxReplyBytes = max(1, maxReplyBytes)
    }

    /// The environment variables this configuration reads.
    public static let urlVariable = "MEMOIR_LLM_URL"
    public static let apiKeyVariable = "MEMOIR_LLM_API_KEY"
    public static let timeoutVariable = "MEMOIR_LLM_TIMEOUT"
    public static let maxReplyBytesVariable = "MEMOIR_LLM_MAX_REPLY_BYTES"

    /// Where the launcher (`Scripts/llm.sh start`) leaves its server's URL and generated key.
    public static func launcherFiles(_ environment: [String: String]) -> (url: String, key: String) {
        let state = ModelDirectory.memoirHome(environment) + "/llm/"
        return (state + "server.url", state + "server.key")
    }

    /// The endpoint in the order every command uses: `baseURL` (a --llm flag), then $MEMOIR_LLM_URL, then the
    /// server the launcher left running. The key comes from $MEMOIR_LLM_API_KEY, else, for the launcher's own
    /// server only, from the key file it wrote (so the launcher's key is never sent elsewhere). The read
    /// timeout comes from $MEMOIR_LLM_TIMEOUT seconds, the reply cap from $MEMOIR_LLM_MAX_REPLY_BYTES (1 KiB to 1 GiB).
    /// Only http and https URLs are accepted.
    public static func fromEnvironment(baseURL: String? = nil,
                                       _ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LLMConfiguration {
        var url = baseURL.flatMap { $0.isEmpty ? nil : $0 } ?? environment[urlVariable].flatMap { $0.isEmpty ? nil : $0 }
        var key = environment[apiKeyVariable].flatMap { $0.isEmpty ? nil : $0 }
        if url == nil {
            let files = launcherFiles(environment)
            url = Self.firstLine(of: files.url)
            if url != nil, key == nil { key = Self.firstLine(of: files.key) }
        }
        guard let url else {
            throw LLMError.invalidRequest("no LLM endpoint: pass --llm URL, set \(urlVariable), "
                + "or start the local server (bash Scripts/llm.sh start smollm2)")
        }
        let scheme = url.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        guard url.contains("://"), scheme == "http" || scheme == "https" else {
            throw LLMError.invalidRequest("LLM endpoint '\(String(url.prefix(80)))' is not an http:// or https:// URL")
        }
        var configuration = LLMConfiguration(baseURL: url, apiKey: key)
        if let raw = environment[timeoutVariable] {
            guard let seconds = Double(raw), seconds > 0, seconds.isFinite else {
                throw LLMError.invalidRequest("\(timeoutVariable)=\(String(raw.prefix(40))) is not a positive number of seconds")
            }
            configuration.readTimeout = seconds
        }
        if let raw = environment[maxReplyBytesVariable] {
            guard let bytes = Int(raw), (1 << 10)...(1 << 30) ~= bytes else {
                throw LLMError.invalidRequest("\(maxReplyBytesVariable)=\(String(raw.prefix(40))) is not a byte count from 1024 to 1073741824")
            }
            configuration.maxReplyBytes = bytes
        }
        return configuration
    }

    /// The first line of a small text file, or nil when there is none.
    private static func firstLine(of path: String) -> String? {
        // Regular files only (a FIFO there would block), read with the size checked on the open descriptor.
        guard let data = try? RegularFile.contents(path, maxBytes: 4096), let text = String(data: data, encoding: .utf8) else { return nil }
        let line = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }
        return line.flatMap { $0.isEmpty ? nil : $0 }
    }
}
