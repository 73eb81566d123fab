import Dispatch

/// Runs synchronous service calls (SQLite, file reads, the encoder, FAISS) off the server's event loops and
/// Swift's cooperative threads, so that slow requests never hold up the others.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(with: Result { try work() }) }
        }
    }
}
