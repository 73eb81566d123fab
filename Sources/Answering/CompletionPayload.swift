import Foundation

/// The parts of an OpenAI chat-completion body (whole or one stream chunk) that Memoir reads.
struct CompletionPayload: Decodable {
    struct Choice: Decodable {
        struct Content: Decodable {
            var content: String?
        }

        var message: Content?
        var delta: Content?
        var finishReason: String?
    }

    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?
    }

    /// llama.cpp's per-reply timings (absent from other servers).
    struct Timings: Decodable {
        var cacheN: Int?
        var promptN: Int?
        var promptMs: Double?
        var predictedN: Int?
        var predictedMs: Double?
    }

    struct ServerError: Decodable {
        var message: String?
        var code: Int?
    }

    var choices: [Choice]?
    var usage: Usage?
    var timings: Timings?
    var model: String?
    var error: ServerError?

    static func decode(_ data: Data) throws -> CompletionPayload {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(CompletionPayload.self, from: data)
    }

    var chatUsage: ChatResponse.Usage? {
        guard let usage else { return nil }
        return ChatResponse.Usage(promptTokens: usage.promptTokens ?? 0, completionTokens: usage.completionTokens ?? 0)
    }

    /// The server's timings when it sent complete, finite, non-negative ones (anything else is ignored: they are
    /// a report, never an input to a decision).
    var serverTimings: ChatResponse.ServerTimings? {
        guard let t = timings, let pn = t.promptN, let pm = t.promptMs, let gn = t.predictedN, let gm = t.predictedMs,
              pn >= 0, gn >= 0, pm.isFinite, gm.isFinite, pm >= 0, gm >= 0 else { return nil }
        return ChatResponse.ServerTimings(cachedTokens: t.cacheN.flatMap { $0 >= 0 ? $0 : nil }, promptTokens: pn, promptMilliseconds: pm,
                                          generatedTokens: gn, generatedMilliseconds: gm)
    }

    /// A short reason for a JSON decoding failure (the type and the path to the bad field).
    static func reason(for error: Error) -> String {
        switch error {
        case let DecodingError.dataCorrupted(context): return "not JSON: \(context.debugDescription)"
        case let DecodingError.typeMismatch(type, context): return "\(path(context)) is not \(type)"
        case let DecodingError.valueNotFound(_, context): return "\(path(context)) is null"
        case let DecodingError.keyNotFound(key, _): return "no '\(key.stringValue)' field"
        default: return String(describing: error)
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
