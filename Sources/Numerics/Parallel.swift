import Dispatch
import Foundation

/// Splits index ranges across the machine's cores.
public enum Parallel {
    public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Runs `body` on contiguous chunks of `0..<count`, at least `minimumChunk` items each.
    public static func forEachChunk(count: Int, minimumChunk: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = max(1, min(coreCount, count / max(1, minimumChunk)))
        if chunks == 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = count * c / chunks, hi = count * (c + 1) / chunks
            if lo < hi { body(lo..<hi) }
        }
    }
}
