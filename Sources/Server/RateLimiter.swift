import Foundation
import Numerics

/// A token bucket per client address: `rate` requests a second on average, `burst` at once. Idle buckets
/// are dropped, so a scan from many addresses cannot grow the table without bound.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: TimeInterval
    }

    let rate: Double
    let burst: Double
    private let buckets = Locked([String: Bucket]())

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
    }

    /// Takes a token for `client`; false when its bucket is empty. A rate of 0 lets everything through.
    func allow(_ client: String, now: TimeInterval = ProcessInfo.processInfo.systemUptime) -> Bool {
        guard rate > 0 else { return true }
        return buckets.withLock { table in
            if table.count > 10_000 { table = table.filter { now - $0.value.updated < 60 } }
            var bucket = table[client] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            table[client] = bucket
            return allowed
        }
    }
}
