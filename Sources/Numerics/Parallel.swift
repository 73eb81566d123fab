import Dispatch
import Foundation

/// Splits index ranges across the machine's cores.
public enum Parallel {
    public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    private static let limitLock = NSLock()
    nonisolated(unsafe) private static var limit: Int?

    /// Worker threads the parallel loops use: the core count unless limited (e.g. a `--threads` flag).
    public static var threadCount: Int {
        get { limitLock.withLock { limit } ?? coreCount }
        set { limitLock.withLock { limit = max(1, newValue) } }
    }

    /// Runs `body` on contiguous chunks of `0..<count`, at least `minimumChunk` items each.
    public static func forEachChunk(count: Int, minimumChunk: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = max(1, min(threadCount, count / max(1, minimumChunk)))
        if chunks == 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = count * c / chunks, hi = count * (c + 1) / chunks
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Runs `body(worker)` for each of `workers` workers concurrently (the caller's thread is one).
    public static func forEachWorker(_ workers: Int, _ body: @Sendable (Int) -> Void) {
        if workers <= 1 { body(0); return }
        DispatchQueue.concurrentPerform(iterations: workers, execute: body)
    }
}
