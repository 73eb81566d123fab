import Answering
import Application
import FusedEncoder
import Foundation
import HTTPTypes
import Hummingbird
import Imaging
import Retrieval
import Store
import TextModels

/// A failed request as the client sees it: a status and a message, sent as `{"error": ..., "status": ...}`.
/// Every error a route can throw is mapped here, so bad input is a 4xx and never a 500.
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    /// Seconds for a Retry-After header (503, 429).
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }

    /// Whether the LLM (not the request) failed: counted in the metrics.
    var isLLMFailure = false

    /// The status and message for any error thrown while serving.
    init(from error: any Error) {
        switch error {
        case let e as APIError: self = e
        case let e as HTTPError:
            self.init(e.status, e.body ?? (e.status == .notFound ? "no such route" : e.status.reasonPhrase))
            if e.status == .contentTooLarge { message = "the request body exceeds the server's size limit" }
        case let e as StoreError:
            switch e {
            case .unknownCase: self.init(.notFound, e.description)
            default: self.init(.internalServerError, e.description)
            }
        case let e as ApplicationError:
            switch e {
            case .invalid: self.init(.badRequest, e.description)
            case .notFound: self.init(.notFound, e.description)
            case let .busy(reason, retryAfter): self.init(.serviceUnavailable, reason, retryAfter: retryAfter)
            case .encodingFailed, .incomplete: self.init(.internalServerError, e.description)
            }
        case let e as AskError:
            switch e {
            case .emptyQuestion, .questionTooLong, .invalidOption: self.init(.badRequest, e.description)
            case .unreadableAnswer:
                self.init(.badGateway, e.description)
                isLLMFailure = true
            case .emptyIndex, .indexedCaseMissing, .reranker: self.init(.internalServerError, e.description)
            }
        case let e as LLMError:
            switch e {
            case .timedOut: self.init(.gatewayTimeout, e.description)
            case .invalidRequest: self.init(.serviceUnavailable, e.description)
            default: self.init(.badGateway, e.description)
            }
            isLLMFailure = true
        case let e as EncoderError:
            switch e {
            case .noModality, .invalidInput: self.init(.unprocessableContent, e.description)
            default: self.init(.internalServerError, e.description)
            }
        case let e as SliceError: self.init(.badRequest, e.description)
        case let e as NIfTIError: self.init(.unprocessableContent, "the case's image cannot be shown: \(e.description)")
        case let e as TextModelError: self.init(.serviceUnavailable, "text retrieval is unavailable: \(e)")
        case let e as TextProjectionError: self.init(.serviceUnavailable, "text retrieval is unavailable: \(e)")
        case let e as DecodingError: self.init(.badRequest, "malformed JSON body: \(Self.describe(e))")
        case let e as CaseIndexError: self.init(.internalServerError, e.description)
        default: self.init(.internalServerError, "internal error: \(error)")
        }
    }

    /// A decoding error in a sentence: which key, and what was wrong.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).joined(separator: ".")
            return keys.isEmpty ? "" : " at '\(keys)'"
        }
        switch error {
        case let .keyNotFound(key, context): return "missing '\(key.stringValue)'\(path(context))"
        case let .typeMismatch(_, context), let .valueNotFound(_, context): return "\(context.debugDescription)\(path(context))"
        case let .dataCorrupted(context): return "\(context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription)\(path(context))"
        @unknown default: return "\(error)"
        }
    }

    /// The JSON error response.
    func response() -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        let body = (try? JSONEncoder().encode(ErrorBody(error: message, status: status.code))) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    struct ErrorBody: Codable, Sendable {
        var error: String
        var status: Int
    }
}
