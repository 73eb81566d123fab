/// Bounded retries with exponential back-off, for refused connections, timeouts and 5xx.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts, the first included (1 = no retry).
    public var maxAttempts: Int
    /// Wait before the second attempt, in seconds; doubles for each further one.
    public var initialDelay: Double
    /// Cap on any single wait, in seconds.
    public var maxDelay: Double

    public init(maxAttempts: Int = 3, initialDelay: Double = 0.5, maxDelay: Double = 8) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = max(0, initialDelay)
        self.maxDelay = max(0, maxDelay)
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// Seconds to wait after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int) -> Double {
        min(maxDelay, initialDelay * Double(1 << min(max(attempt - 1, 0), 30)))
    }
}
