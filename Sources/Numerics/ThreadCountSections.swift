/// A library thread count that exists once per process (OpenBLAS 0.3.21 has no per-thread setting),
/// with sections that hold it at one thread. All changes happen under one lock, so nested and
/// concurrent sections share one save/restore and a `set` during a section takes effect when the
/// last one ends instead of being lost or undone.
///
/// The sections exist because code that runs its own worker threads, each calling BLAS, would
/// otherwise have every call fan out to OpenBLAS's spinning threads and oversubscribe the cores.
/// The price of a process-wide setting: code running outside a section meanwhile (another test,
/// another request) also gets one BLAS thread. That changes speed, and on some kernels the
/// rounding of a product, never its meaning.
final class ThreadCountSections: Sendable {
    private struct State {
        var depth = 0
        /// The count to restore when the last section ends.
        var outside = 1
    }

    private let state = Locked(State())
    private let read: @Sendable () -> Int
    private let write: @Sendable (Int) -> Void

    /// `read` and `write` reach the library's setting; they are only called under the lock.
    init(read: @escaping @Sendable () -> Int, write: @escaping @Sendable (Int) -> Void) {
        self.read = read
        self.write = write
    }

    /// The library's count now (1 inside any section).
    var current: Int { state.withLock { _ in read() } }

    /// The count outside sections: what `set` last chose, whether or not a section is open.
    var configured: Int { state.withLock { $0.depth > 0 ? $0.outside : read() } }

    /// Sections open now, across all threads.
    var openSections: Int { state.withLock { $0.depth } }

    func set(_ count: Int) {
        let count = max(1, count)
        state.withLock { s in if s.depth > 0 { s.outside = count } else { write(count) } }
    }

    func withSingleThreaded<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        state.withLock { s in
            if s.depth == 0 { s.outside = read(); write(1) }
            s.depth += 1
        }
        defer {
            state.withLock { s in
                s.depth -= 1
                if s.depth == 0 { write(s.outside) }
            }
        }
        return try body()
    }
}
