import Foundation

/// Why a call to the chat endpoint failed. Every description names the URL and what the
/// endpoint did, so a log line alone tells the reader where to look.
public enum LLMError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// Nothing listens at the URL's port.
    case connectionRefused(url: String, attempts: Int, detail: String)
    /// No connection, no data, or no end within the configured limits.
    case timedOut(url: String, seconds: Double, attempts: Int, detail: String)
    /// Any other transport failure (reset, empty reply, DNS, ...), with curl's message.
    case transport(url: String, attempts: Int, detail: String)
    /// The server answered with a non-2xx status.
    case http(url: String, status: Int, body: String, attempts: Int)
    /// A 2xx answer that is not the JSON the OpenAI API promises.
    case malformedResponse(url: String, reason: String, excerpt: String)
    /// A streamed answer that ended before `[DONE]` or a finish reason.
    case streamCut(url: String, chunks: Int, detail: String)
    /// The server reported an error inside a 200 response (e.g. mid-stream).
    case serverError(url: String, message: String)
    /// The request could not be built (bad base URL, schema that is not JSON, ...).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case let .connectionRefused(url, attempts, detail):
            return "\(url): connection refused\(Self.tries(attempts)); is the LLM server running? "
                + "(bash Scripts/llm.sh start smollm2) [\(detail)]"
        case let .timedOut(url, seconds, attempts, detail):
            return "\(url): timed out after \(Self.seconds(seconds)) s\(Self.tries(attempts)) [\(detail)]"
        case let .transport(url, attempts, detail):
            return "\(url): transfer failed\(Self.tries(attempts)): \(detail)"
        case let .http(url, status, body, attempts):
            return "\(url): HTTP \(status)\(Self.tries(attempts)); body: \(body.isEmpty ? "(empty)" : body)"
        case let .malformedResponse(url, reason, excerpt):
            return "\(url): malformed response (\(reason)); body began: \(excerpt.isEmpty ? "(empty)" : excerpt)"
        case let .streamCut(url, chunks, detail):
            return "\(url): stream cut after \(chunks) chunk\(chunks == 1 ? "" : "s") without [DONE] or a finish reason"
                + (detail.isEmpty ? "" : " (\(detail))")
        case let .serverError(url, message):
            return "\(url): server reported an error: \(message)"
        case let .invalidRequest(reason):
            return "invalid LLM request: \(reason)"
        }
    }

    public var errorDescription: String? { description }

    /// Whether trying again may help: connection and server-side trouble, never a 4xx.
    var isRetryable: Bool {
        switch self {
        case .connectionRefused, .timedOut, .transport: return true
        case let .http(_, status, _, _): return (500...599).contains(status)
        default: return false
        }
    }

    /// The same error, stamped with the number of attempts finally made.
    func with(attempts: Int) -> LLMError {
        switch self {
        case let .connectionRefused(url, _, detail): return .connectionRefused(url: url, attempts: attempts, detail: detail)
        case let .timedOut(url, seconds, _, detail): return .timedOut(url: url, seconds: seconds, attempts: attempts, detail: detail)
        case let .transport(url, _, detail): return .transport(url: url, attempts: attempts, detail: detail)
        case let .http(url, status, body, _): return .http(url: url, status: status, body: body, attempts: attempts)
        default: return self
        }
    }

    /// At most `limit` characters of a body, on one line, for error messages.
    static func excerpt(_ data: Data, limit: Int = 300) -> String {
        let text = String(decoding: data.prefix(limit * 4), as: UTF8.self)
        let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return oneLine.count > limit ? String(oneLine.prefix(limit)) + "…" : oneLine
    }

    private static func tries(_ attempts: Int) -> String { attempts > 1 ? " after \(attempts) attempts" : "" }
    private static func seconds(_ value: Double) -> String { String(format: "%.1f", value) }
}
