import Foundation
import Numerics
import Testing

/// Counts the items a body is working on at once.
private final class ConcurrencyProbe: Sendable {
    private let state = Locked((active: 0, peak: 0))

    var peak: Int { state.withLock { $0.peak } }

    func measure<T>(pause: TimeInterval = 0.002, _ body: () throws -> T) rethrows -> T {
        state.withLock { $0.active += 1; $0.peak = max($0.peak, $0.active) }
        defer { state.withLock { $0.active -= 1 } }
        Thread.sleep(forTimeInterval: pause)
        return try body()
    }
}

private struct Odd: Error, Equatable { let item: Int }

@Suite struct ParallelTests {
    @Test func mapKeepsInputOrder() {
        let items = Array(0..<200)
        // Uneven costs so workers finish out of order.
        let results = Parallel.map(items, workers: 4) { i in
            if i % 7 == 0 { Thread.sleep(forTimeInterval: 0.001) }
            return i * i
        }
        #expect(results.map { $0.get() } == items.map { $0 * $0 })
    }

    @Test func mapCapturesErrorsPerItemAndRunsTheRest() {
        let ran = Locked(Set<Int>())
        let results = Parallel.map(Array(0..<20), workers: 3) { (i: Int) throws(Odd) -> Int in
            ran.withLock { _ = $0.insert(i) }
            if i % 2 == 1 { throw Odd(item: i) }
            return i
        }
        #expect(ran.current == Set(0..<20))
        for (i, result) in results.enumerated() {
            switch result {
            case let .success(value): #expect(i % 2 == 0 && value == i)
            case let .failure(error): #expect(i % 2 == 1 && error == Odd(item: i))
            }
        }
    }

    @Test func workerCountIsTheSmallestOfThreadsItemsAndMemory() {
        #expect(Parallel.workerCount(items: 10, workers: 4) == 4)
        #expect(Parallel.workerCount(items: 3, workers: 4) == 3)
        #expect(Parallel.workerCount(items: 10, workers: 8, memoryPerItem: 100, memoryBudget: 250) == 2)
        #expect(Parallel.workerCount(items: 10, workers: 8, memoryPerItem: 100, memoryBudget: 50) == 1)
        #expect(Parallel.workerCount(items: 0, workers: 8) == 1)
        #expect(Parallel.withThreadLimit(2) { Parallel.workerCount(items: 10) } == 2)
    }

    @Test func memoryBudgetBoundsConcurrency() {
        let probe = ConcurrencyProbe()
        let results = Parallel.map(Array(0..<12), workers: 8, memoryPerItem: 1 << 30, memoryBudget: 1 << 30) { i in
            probe.measure { i }
        }
        #expect(results.count == 12)
        #expect(probe.peak == 1)
    }

    @Test func threadLimitBoundsConcurrency() {
        let probe = ConcurrencyProbe()
        _ = Parallel.withThreadLimit(1) { Parallel.map(Array(0..<12)) { i in probe.measure { i } } }
        #expect(probe.peak == 1)
    }

    /// The workers really overlap (a map that ran serially would pass the bounds above).
    /// Dispatch may run every worker on the caller's thread while its pool is busy with other
    /// suites, so one attempt can be serial by chance; a serial map fails all five.
    @Test(.enabled(if: Parallel.coreCount >= 2)) func workersRunSideBySide() {
        var peaks: [Int] = []
        for _ in 0..<5 {
            let probe = ConcurrencyProbe()
            _ = Parallel.map(Array(0..<40), workers: 2) { i in probe.measure(pause: 0.005) { i } }
            peaks.append(probe.peak)
            if probe.peak == 2 { break }
        }
        #expect(peaks.last == 2, "peak concurrency per attempt: \(peaks)")
        #expect(peaks.allSatisfy { $0 <= 2 })
    }

    @Test func progressCountsUpInOrder() {
        let seen = Locked([Int]())
        _ = Parallel.map(Array(0..<50), workers: 4, progress: { done, total in
            #expect(total == 50)
            seen.withLock { $0.append(done) }
        }) { $0 }
        #expect(seen.current == Array(1...50))
    }

    @Test func emptyInputRunsNothing() {
        let results = Parallel.map([Int]()) { (_: Int) -> Int in Issue.record("body ran"); return 0 }
        #expect(results.isEmpty)
    }

    @Test func threadLimitSetsTheChunkCount() {
        let chunks = Locked([Range<Int>]())
        Parallel.withThreadLimit(3) {
            Parallel.forEachChunk(count: 300) { range in chunks.withLock { $0.append(range) } }
        }
        #expect(chunks.current.count == 3)
        #expect(chunks.current.sorted { $0.lowerBound < $1.lowerBound }.flatMap { Array($0) } == Array(0..<300))
    }

    @Test func limitIsScopedAndSharedOutAmongWorkers() {
        #expect(Parallel.threadCount == Parallel.coreCount)
        let inside = Locked([Int]())
        Parallel.withThreadLimit(4) {
            #expect(Parallel.threadCount == 4)
            Parallel.forEachWorker(2) { _ in inside.withLock { $0.append(Parallel.threadCount) } }
        }
        #expect(inside.current == [2, 2])
        #expect(Parallel.threadCount == Parallel.coreCount)
        #expect(Parallel.withThreadLimit(0) { Parallel.threadCount } == 1)
        #expect(Parallel.withThreadLimit(nil) { Parallel.threadCount } == Parallel.coreCount)
    }

    /// Concurrent tasks with different limits each keep their own: nothing global is set.
    @Test func concurrentLimitsDoNotMix() async {
        await withTaskGroup(of: Bool.self) { group in
            for limit in 1...6 {
                group.addTask {
                    Parallel.withThreadLimit(limit) {
                        (0..<200).allSatisfy { _ in
                            let chunks = Locked(0)
                            Parallel.forEachChunk(count: 60) { _ in chunks.withLock { $0 += 1 } }
                            return Parallel.threadCount == limit && chunks.current == limit
                        }
                    }
                }
            }
            for await ok in group { #expect(ok) }
        }
    }

    @Test func typedErrorsLeaveWithThreadLimit() {
        #expect(throws: Odd(item: 3)) { try Parallel.withThreadLimit(2) { () throws(Odd) in throw Odd(item: 3) } }
    }
}
