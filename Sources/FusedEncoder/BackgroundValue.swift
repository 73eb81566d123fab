import Dispatch
import Numerics

/// A value computed on a background thread while the caller does other work; `value()` waits for it.
final class BackgroundValue<T: Sendable>: Sendable {
    private let group = DispatchGroup()
    private let result = Locked<Result<T, Error>?>(nil)

    init(_ work: @escaping @Sendable () throws -> T) {
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async { [result, group] in
            let outcome = Result(catching: work)
            result.withLock { $0 = outcome }
            group.leave()
        }
    }

    func value() throws -> T {
        group.wait()
        // Set before `leave()`, so present once `wait()` returns.
        guard let outcome = result.current else { preconditionFailure("BackgroundValue finished without a result") }
        return try outcome.get()
    }
}
