import Foundation

/// A value shared between threads, reachable only inside `withLock`: Memoir's one lock type.
///
/// Built on `NSLock` rather than `Synchronization.Mutex` because the package still supports
/// macOS 14, where `Mutex` is unavailable; the cost is one `@unchecked` below.
public final class Locked<Value> {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value. Do not call back into the same `Locked`
    /// from `body` (NSLock is not recursive).
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value as it is now.
    public var current: Value { withLock { $0 } }
}

// Every access to `value` goes through `lock`, so sharing is safe whenever the value itself may
// cross threads. The only `@unchecked Sendable` lock in Memoir.
extension Locked: @unchecked Sendable where Value: Sendable {}
