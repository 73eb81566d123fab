import Foundation

/// Turns the SSE bytes of a streamed chat completion into one answer, calling `onDelta` for
/// each piece of text as it arrives. Lives for one HTTP attempt, inside curl's write callback.
final class StreamAssembler {
    private var parser = ServerSentEventParser()
    private let url: String
    private let started: UInt64
    private let onDelta: (String) -> Void
    private var rawPrefix = Data()

    private(set) var text = ""
    private(set) var chunks = 0
    private(set) var finishReason: String?
    private(set) var usage: ChatResponse.Usage?
    private(set) var serverTimings: ChatResponse.ServerTimings?
    private(set) var model: String?
    private(set) var timeToFirstToken: Double?
    private(set) var sawDone = false
    /// Set when the stream itself reports a failure or sends an undecodable chunk; the transfer
    /// is aborted then.
    private(set) var failure: LLMError?

    init(url: String, started: UInt64, onDelta: @escaping (String) -> Void) {
        self.url = url
        self.started = started
        self.onDelta = onDelta
    }

    var isComplete: Bool { sawDone || finishReason != nil }
    /// Whether the caller has already seen text, which makes a retry unsafe.
    var hasDelivered: Bool { !text.isEmpty }

    /// The start of the raw stream, for error messages.
    var excerpt: String { LLMError.excerpt(rawPrefix) }

    /// Consumes bytes; false aborts the transfer.
    func feed(_ bytes: Data) -> Bool {
        if rawPrefix.count < 600 { rawPrefix.append(bytes.prefix(600 - rawPrefix.count)) }
        for event in parser.feed(bytes) {
            handle(event)
            if failure != nil { return false }
        }
        return true
    }

    private func handle(_ event: ServerSentEvent) {
        chunks += 1
        let data = event.data.trimmingCharacters(in: .whitespaces)
        if data == "[DONE]" {
            sawDone = true
            return
        }
        let payload: CompletionPayload
        do {
            payload = try CompletionPayload.decode(Data(data.utf8))
        } catch {
            failure = event.event == "error"
                ? .serverError(url: url, message: LLMError.excerpt(Data(data.utf8)))
                : .malformedResponse(url: url, reason: "stream chunk \(chunks): \(CompletionPayload.reason(for: error))",
                                     excerpt: LLMError.excerpt(Data(data.utf8)))
            return
        }
        if event.event == "error" || payload.error != nil {
            failure = .serverError(url: url, message: payload.error?.message ?? LLMError.excerpt(Data(data.utf8)))
            return
        }
        if let model = payload.model { self.model = model }
        if let usage = payload.chatUsage { self.usage = usage }
        if let timings = payload.serverTimings { serverTimings = timings }
        guard let choice = payload.choices?.first else { return }
        if let delta = choice.delta?.content, !delta.isEmpty {
            if timeToFirstToken == nil {
                timeToFirstToken = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            }
            text += delta
            onDelta(delta)
        }
        if let reason = choice.finishReason { finishReason = reason }
    }
}
