import Foundation
@testable import Numerics
import Testing

/// The persistent helpers behind `Parallel.forEachWorker`: every worker index runs once per section, sections in
/// quick succession and after the helpers have gone to sleep all complete, and a busy pool says so instead of
/// waiting. A lost wake-up would hang, so each test has a time limit (generous: on a loaded machine a section can
/// wait a scheduler time slice for a descheduled helper).
@Suite(.timeLimit(.minutes(5))) struct SpinningWorkerPoolTests {
    /// Counts per worker index, and the threads they ran on.
    private final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var counts: [Int]
        private(set) var threads: [Int: Set<UnsafeMutableRawPointer>] = [:]
        init(_ workers: Int) { counts = Array(repeating: 0, count: workers) }
        func record(_ w: Int) {
            lock.lock(); defer { lock.unlock() }
            counts[w] += 1
            threads[w, default: []].insert(UnsafeMutableRawPointer(bitPattern: UInt(pthread_self()))!)
        }
    }

    @Test func everyWorkerRunsOncePerSectionAndTheCallerIsWorkerZero() {
        let pool = SpinningWorkerPool(helpers: 3)
        let tally = Tally(4)
        let caller = UnsafeMutableRawPointer(bitPattern: UInt(pthread_self()))!
        for _ in 0..<500 { #expect(pool.run(4) { tally.record($0) }) }
        #expect(tally.counts == [500, 500, 500, 500])
        #expect(tally.threads[0] == [caller])
        #expect(Set(tally.threads.values.flatMap { $0 }).count == 4, "three helpers besides the caller")
    }

    /// Fewer workers than helpers: the idle helpers take no part, and later, wider sections still see every index.
    @Test func sectionsOfChangingWidthKeepTheirCounts() {
        let pool = SpinningWorkerPool(helpers: 3)
        let tally = Tally(4)
        for i in 0..<900 { #expect(pool.run(2 + i % 3) { tally.record($0) }) }
        #expect(tally.counts == [900, 900, 600, 300])
    }

    /// Past the spin window the helpers sleep; the next section must wake them.
    @Test func sectionsAfterTheHelpersSleepComplete() {
        let pool = SpinningWorkerPool(helpers: 2)
        let tally = Tally(3)
        for _ in 0..<20 {
            Thread.sleep(forTimeInterval: Double(SpinningWorkerPool.spinNanoseconds) * 3e-9)
            #expect(pool.run(3) { tally.record($0) })
        }
        #expect(tally.counts == [20, 20, 20])
    }

    /// A section started inside a section (or by another thread meanwhile) is refused, not queued behind it.
    @Test func aBusyPoolRefusesAndTooFewHelpersRefuse() {
        let pool = SpinningWorkerPool(helpers: 1)
        let refused = Locked([Bool]())
        #expect(pool.run(2) { _ in
            let ran = pool.run(2) { _ in }
            refused.withLock { $0.append(!ran) }
        })
        #expect(refused.current == [true, true])
        #expect(!pool.run(3) { _ in }, "two helpers needed, one exists")
        #expect(!pool.run(1) { _ in }, "one worker is the caller alone")
    }

    /// `Parallel.forEachWorker` from many tasks at once: each call runs all its workers, on the pool or on Dispatch.
    @Test func concurrentCallersAllComplete() async {
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<300).allSatisfy { _ in
                        let tally = Tally(2)
                        Parallel.forEachWorker(2) { tally.record($0) }
                        return tally.counts == [1, 1]
                    }
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
