import Dispatch
import Foundation

/// Splits work across the machine's cores.
///
/// The number of worker threads is never a settable global: it is the core count unless a caller
/// binds a limit for a scope (`withThreadLimit`), which also covers the workers started inside it.
/// Each worker of a parallel section runs with its share of the limit (limit ÷ workers, at least 1),
/// so parallel loops nested inside a worker do not multiply the threads.
public enum Parallel {
    public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The scope's limit; a task-local so concurrent tasks (tests among them) each have their own.
    @TaskLocal private static var limit: Int?

    /// Worker threads the parallel loops use here: the core count unless limited by `withThreadLimit`.
    public static var threadCount: Int { limit ?? coreCount }

    /// Runs `body` with at most `threads` workers in the parallel loops it starts (nil: no change),
    /// e.g. for a `--threads` flag or a test that needs a known count.
    public static func withThreadLimit<T, Failure: Error>(_ threads: Int?, _ body: () throws(Failure) -> T) throws(Failure) -> T {
        guard let threads else { return try body() }
        // `TaskLocal.withValue` rethrows untyped errors; carry the typed one across it.
        let outcome: Result<T, Failure> = $limit.withValue(max(1, threads)) {
            do throws(Failure) { return .success(try body()) } catch { return .failure(error) }
        }
        return try outcome.get()
    }

    /// Runs `body` on contiguous chunks of `0..<count`, at least `minimumChunk` items each.
    public static func forEachChunk(count: Int, minimumChunk: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = max(1, min(threadCount, count / max(1, minimumChunk)))
        if chunks == 1 { body(0..<count); return }
        forEachWorker(chunks) { c in
            let lo = count * c / chunks, hi = count * (c + 1) / chunks
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Runs `body(worker)` for each of `workers` workers concurrently (the caller's thread is one): on the
    /// process's spinning helpers when they are free, else on Dispatch's pool.
    public static func forEachWorker(_ workers: Int, _ body: @Sendable (Int) -> Void) {
        if workers <= 1 { body(0); return }
        let share = max(1, threadCount / workers)
        let ran = SpinningWorkerPool.shared.run(workers) { w in $limit.withValue(share) { body(w) } }
        if ran { return }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            $limit.withValue(share) { body(w) }
        }
    }
}
