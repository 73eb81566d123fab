import Foundation

/// Bounded retries with exponential back-off, for refused connections, timeouts, 5xx and 429. A server's
/// `Retry-After` (on 429 and 503) replaces the back-off when it fits the total budget; all waits together never
/// exceed `maxTotalDelay`, so a server cannot park a question for longer than that.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts, the first included (1 = no retry).
    public var maxAttempts: Int
    /// Wait before the second attempt, in seconds; doubles for each further one.
    public var initialDelay: Double
    /// Cap on any single back-off wait, in seconds (a `Retry-After` is bounded by `maxTotalDelay` instead).
    public var maxDelay: Double
    /// Cap on all waits of one call together, in seconds.
    public var maxTotalDelay: Double

    public init(maxAttempts: Int = 3, initialDelay: Double = 0.5, maxDelay: Double = 8, maxTotalDelay: Double = 30) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = max(0, initialDelay)
        self.maxDelay = max(0, maxDelay)
        self.maxTotalDelay = max(0, maxTotalDelay.isFinite ? maxTotalDelay : 0)
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// Seconds to wait after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int) -> Double {
        min(maxDelay, initialDelay * Double(1 << min(max(attempt - 1, 0), 30)))
    }

    /// Seconds a `Retry-After` value asks for: delta-seconds ("120") or an HTTP-date
    /// ("Wed, 21 Oct 2015 07:28:00 GMT", relative to `now`; a past date is 0). Nil when it is neither.
    public static func retryAfterSeconds(_ value: String, now: Date = Date()) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return text.count > 9 ? Double.greatestFiniteMagnitude : Double(text) // over 30 years: "never"
        }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return max(0, date.timeIntervalSince(now)) }
        }
        return nil
    }
}
