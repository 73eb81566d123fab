import Foundation
import Numerics
import Testing

@Suite struct LockedTests {
    /// A read, a pause that invites another thread in, then a write: any overlap loses increments.
    @Test func withLockExcludesOtherThreads() {
        let counter = Locked(0)
        Parallel.withThreadLimit(4) {
            Parallel.forEachWorker(4) { _ in
                for _ in 0..<500 {
                    counter.withLock { value in
                        let seen = value
                        sched_yield()
                        value = seen + 1
                    }
                }
            }
        }
        #expect(counter.current == 2000)
    }

    @Test func errorsLeaveThroughWithLockAndReleaseIt() {
        struct Refused: Error {}
        let box = Locked([1])
        #expect(throws: Refused.self) {
            try box.withLock { (v: inout [Int]) throws(Refused) in v.append(2); throw Refused() }
        }
        // Still unlocked (this would deadlock otherwise), and the change made before the throw kept.
        #expect(box.withLock { $0.count } == 2)
    }
}
