import Numerics

/// A small thread-safe least-recently-used cache: the server's slices and volumes are read by many
/// requests at once, and a viewer scrolling through a volume asks for the same few slices again and again.
public final class LRUCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var values: [Key: Value] = [:]
        /// Keys, least recently used first.
        var order: [Key] = []
        var hits = 0
        var misses = 0
    }

    public let capacity: Int
    private let state = Locked(State())

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    public func value(for key: Key) -> Value? {
        state.withLock { s in
            guard let value = s.values[key] else {
                s.misses += 1
                return nil
            }
            s.hits += 1
            if let i = s.order.firstIndex(of: key) { s.order.remove(at: i) }
            s.order.append(key)
            return value
        }
    }

    public func insert(_ value: Value, for key: Key) {
        state.withLock { s in
            if s.values.updateValue(value, forKey: key) != nil, let i = s.order.firstIndex(of: key) { s.order.remove(at: i) }
            s.order.append(key)
            while s.order.count > capacity { s.values[s.order.removeFirst()] = nil }
        }
    }

    /// The cached value, else `make()`'s, cached. Two callers missing at once may both compute it; the work is
    /// pure, so the second result only replaces an equal first.
    public func value(for key: Key, orMake make: () throws -> Value) rethrows -> Value {
        if let cached = value(for: key) { return cached }
        let made = try make()
        insert(made, for: key)
        return made
    }

    public var statistics: (hits: Int, misses: Int, count: Int) { state.withLock { ($0.hits, $0.misses, $0.values.count) } }
}
