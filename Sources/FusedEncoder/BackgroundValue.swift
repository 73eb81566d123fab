import Dispatch

/// A value computed on a background thread while the caller does other work; `value()` waits for it.
final class BackgroundValue<T: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    // Written once on the worker before `leave()`, read only after `wait()`: the group orders the accesses.
    private var result: Result<T, Error>?

    init(_ work: @escaping @Sendable () throws -> T) {
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = Result(catching: work)
            self.group.leave()
        }
    }

    func value() throws -> T {
        group.wait()
        return try result!.get()
    }
}
