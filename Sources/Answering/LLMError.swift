import Foundation

/// Why a call to the chat endpoint failed. Every description names the URL and what the
/// endpoint did, so a log line alone tells the reader where to look; it never holds a bearer token
/// (`LLMClient` also removes its own API key from every field, see `SecretRedaction`).
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
    /// The answer passed `LLMConfiguration.maxReplyBytes` and was cut off (never truncated into an answer).
    case replyTooLarge(url: String, limit: Int, received: Int)
    /// A 429 or 503 whose `Retry-After` asks for more than the retry budget has left.
    case throttled(url: String, status: Int, retryAfter: Double, budget: Double, attempts: Int)

    public var description: String { SecretRedaction.scrub(unredactedDescription, secret: nil) }

    private var unredactedDescription: String {
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
        case let .replyTooLarge(url, limit, received):
            return "\(url): reply larger than the \(limit)-byte limit; aborted after \(received) bytes "
                + "(raise \(LLMConfiguration.maxReplyBytesVariable) if the answers really are this long)"
        case let .throttled(url, status, retryAfter, budget, attempts):
            let asked = retryAfter >= 1e9 ? "an unbounded wait" : "\(Self.seconds(retryAfter)) s"
            return "\(url): HTTP \(status)\(Self.tries(attempts)); the server asked to retry after \(asked), "
                + "more than the \(Self.seconds(budget)) s left of the retry budget, so Memoir gave up"
        }
    }

    public var errorDescription: String? { description }

    /// Whether trying again may help: connection and server-side trouble, never a 4xx.
    var isRetryable: Bool {
        switch self {
        case .connectionRefused, .timedOut, .transport: return true
        case let .http(_, status, _, _): return status == 429 || (500...599).contains(status)
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
        case let .throttled(url, status, retryAfter, budget, _):
            return .throttled(url: url, status: status, retryAfter: retryAfter, budget: budget, attempts: attempts)
        default: return self
        }
    }

    /// The same error with `secret` (the API key) and bearer tokens removed from every field.
    func redacting(_ secret: String?) -> LLMError {
        let r = { (text: String) in SecretRedaction.scrub(text, secret: secret) }
        switch self {
        case let .connectionRefused(url, attempts, detail): return .connectionRefused(url: r(url), attempts: attempts, detail: r(detail))
        case let .timedOut(url, seconds, attempts, detail): return .timedOut(url: r(url), seconds: seconds, attempts: attempts, detail: r(detail))
        case let .transport(url, attempts, detail): return .transport(url: r(url), attempts: attempts, detail: r(detail))
        case let .http(url, status, body, attempts): return .http(url: r(url), status: status, body: r(body), attempts: attempts)
        case let .malformedResponse(url, reason, excerpt): return .malformedResponse(url: r(url), reason: r(reason), excerpt: r(excerpt))
        case let .streamCut(url, chunks, detail): return .streamCut(url: r(url), chunks: chunks, detail: r(detail))
        case let .serverError(url, message): return .serverError(url: r(url), message: r(message))
        case let .invalidRequest(reason): return .invalidRequest(r(reason))
        case let .replyTooLarge(url, limit, received): return .replyTooLarge(url: r(url), limit: limit, received: received)
        case let .throttled(url, status, retryAfter, budget, attempts):
            return .throttled(url: r(url), status: status, retryAfter: retryAfter, budget: budget, attempts: attempts)
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
