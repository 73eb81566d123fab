import Answering
import Dispatch
import Foundation
import Numerics

/// Asks on their way to the LLM: at most `concurrency` at the LLM at once, at most `waitingLimit` more
/// waiting their turn; beyond that an ask is refused at once (`ApplicationError.busy`) rather than left to
/// pile up behind a small local model. Each ask runs on its own thread, since the pipeline blocks on the
/// LLM for seconds and must not hold up the threads that serve slices and retrieval.
public final class AskQueue: Sendable {
    public let service: AskService
    public let concurrency: Int
    public let waitingLimit: Int
    private let slots: DispatchSemaphore
    private let state = Locked(State())

    private struct State {
        var admitted = 0
        /// Mean seconds per ask so far, for Retry-After.
        var meanSeconds = 10.0
        var finished = 0
    }

    public init(service: AskService, concurrency: Int = 1, waitingLimit: Int = 8) {
        self.service = service
        self.concurrency = max(1, concurrency)
        self.waitingLimit = max(0, waitingLimit)
        slots = DispatchSemaphore(value: max(1, concurrency))
    }

    /// Asks in the queue now, at the LLM or waiting.
    public var depth: Int { state.withLock { $0.admitted } }

    /// A place in the queue, taken before any work starts so that a full queue is refused with a status
    /// rather than midway through a streamed reply. Pass it to `ask` exactly once.
    public struct Ticket: Sendable {
        fileprivate init() {}
    }

    /// Takes a place, or refuses when `concurrency + waitingLimit` asks are admitted already.
    public func admit() throws -> Ticket {
        let refusal: ApplicationError? = state.withLock { s in
            guard s.admitted < concurrency + waitingLimit else {
                let wait = Int((s.meanSeconds * Double(s.admitted) / Double(concurrency)).rounded(.up))
                return .busy("\(s.admitted) questions are already queued for the LLM; try again shortly",
                             retryAfter: min(120, max(1, wait)))
            }
            s.admitted += 1
            return nil
        }
        if let refusal { throw refusal }
        return Ticket()
    }

    /// The pipeline's `ask` (which logs it), once a slot at the LLM is free.
    public func ask(_ request: AskRequest, ticket: Ticket, client: any ChatCompleting, generation: GenerationOptions, stream: Bool,
                    onDelta: @escaping @Sendable (String) -> Void = { _ in }) async throws -> AskResult {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { [self] in
                slots.wait()
                let start = Date()
                let result = Result { try service.ask(request, client: client, generation: generation, stream: stream, onDelta: onDelta) }
                slots.signal()
                let seconds = Date().timeIntervalSince(start)
                state.withLock { s in
                    s.admitted -= 1
                    s.finished += 1
                    s.meanSeconds += (seconds - s.meanSeconds) / Double(min(s.finished, 20))
                }
                continuation.resume(with: result)
            }
        }
    }

    /// Gives back a place that will not be used.
    public func cancel(_ ticket: Ticket) { state.withLock { $0.admitted -= 1 } }

    /// `admit` and `ask` in one.
    public func ask(_ request: AskRequest, client: any ChatCompleting, generation: GenerationOptions, stream: Bool,
                    onDelta: @escaping @Sendable (String) -> Void = { _ in }) async throws -> AskResult {
        try await ask(request, ticket: try admit(), client: client, generation: generation, stream: stream, onDelta: onDelta)
    }
}
