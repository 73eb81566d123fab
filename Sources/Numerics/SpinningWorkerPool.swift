import Foundation
import Synchronization

/// Persistent helper threads for parallel sections that come in quick succession: a one-sentence MiniLM
/// forward pass opens 24 of them, each a fraction of a millisecond of work. `DispatchQueue.concurrentPerform`
/// wakes sleeping threads for every section, and on a 2-core AMD EPYC that cost a quarter of the batch-1 time
/// (Benchmarks/results/text-embedding.md: 1 thread at par with onnxruntime, 2 threads 0.79×). Helpers here
/// that took part in a section spin for a short while after it, so the next one starts without a wake-up, then
/// sleep on a condition of their own so an idle process costs nothing; a section wakes only the helpers it needs.
///
/// One section at a time: a caller that finds the pool busy (a section nested in a helper's work, or
/// another task's section) gets `false` from `run` and falls back to `concurrentPerform`.
final class SpinningWorkerPool: @unchecked Sendable {
    /// The process's pool: one helper per core beyond the caller's, started on first use.
    static let shared = SpinningWorkerPool(helpers: max(0, ProcessInfo.processInfo.activeProcessorCount - 1))

    /// How long an idle helper spins for the next section before it sleeps.
    static let spinNanoseconds: UInt64 = 200_000

    let helpers: Int
    private let inUse = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    /// One per helper (index 0 unused), so a section wakes only the helpers it needs.
    private let sleepers: [Sleeper]
    /// The section's body: written by the caller before it publishes a generation, read by the helpers taking
    /// part after they see it, cleared once they have all reported (the generation is the fence).
    private nonisolated(unsafe) var body: ((Int) -> Void)?
    /// A generation carries its section's worker count in its low bits, so a helper that takes no part never
    /// reads shared state that the next section may already be writing.
    private static let workerBits = 8

    private final class Sleeper: Sendable {
        let asleep = Atomic<Bool>(false)
        let wake = NSCondition()
    }

    init(helpers: Int) {
        self.helpers = helpers
        sleepers = (0...helpers).map { _ in Sleeper() }
        for index in stride(from: 1, through: helpers, by: 1) {
            // The helpers hold the pool: it lives as long as the process (the shared one does anyway).
            let thread = Thread { self.serve(as: index) }
            thread.name = "memoir-worker-\(index)"
            thread.start()
        }
    }

    /// Runs `body(w)` for w in 0..<workers, worker 0 on the caller's thread, and returns true; or returns
    /// false without running anything when the pool is busy or has too few helpers.
    func run(_ workers: Int, _ body: (Int) -> Void) -> Bool {
        guard workers >= 2, workers - 1 <= helpers, workers < 1 << Self.workerBits,
              inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { inUse.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            self.body = body
            pending.store(workers - 1, ordering: .sequentiallyConsistent)
            let next = ((generation.load(ordering: .relaxed) >> Self.workerBits) &+ 1) << Self.workerBits | workers
            generation.store(next, ordering: .sequentiallyConsistent)
            // Publishing the generation, then looking for a sleeper (both sequentially consistent, as the helper's
            // "asleep" and its last look at the generation are): either the helper sees this generation, or we see
            // it asleep and signal it.
            for helper in 1..<workers where sleepers[helper].asleep.load(ordering: .sequentiallyConsistent) {
                let sleeper = sleepers[helper]
                sleeper.wake.lock(); sleeper.wake.signal(); sleeper.wake.unlock()
            }
            body(0)
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins & 0x3F == 0 { sched_yield() }   // a helper descheduled on a busy machine: give it the core
            }
            self.body = nil
        }
        return true
    }

    /// A helper's life: wait for a new generation, run its share, report. Only a helper that took part in the last
    /// section spins for the next one; one left out (a narrower section, a lower thread limit) sleeps at once.
    private func serve(as index: Int) {
        // Generations start at 0; the first section may be published before this thread first runs.
        var seen = 0, tookPart = false
        while true {
            seen = awaitGeneration(after: seen, spinning: tookPart, sleeper: sleepers[index])
            tookPart = index < seen & (1 << Self.workerBits - 1)
            guard tookPart else { continue }
            runShare(index)
            pending.subtract(1, ordering: .releasing)
        }
    }

    /// Kept out of line so the helper's reference to the body is released before it reports.
    @inline(never) private func runShare(_ index: Int) {
        body?(index)
    }

    private func awaitGeneration(after seen: Int, spinning: Bool, sleeper: Sleeper) -> Int {
        if spinning {
            let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
            var spins = 0
            while true {
                let current = generation.load(ordering: .acquiring)
                if current != seen { return current }
                spins += 1
                // Yield now and then: with more runnable threads than cores (other processes, other pools), a
                // spinning helper would otherwise hold a core that the thread with the work is waiting for. On an
                // idle core the yield returns at once.
                if spins & 0x3F == 0 {
                    sched_yield()
                    if DispatchTime.now().uptimeNanoseconds > deadline { break }
                }
            }
        }
        sleeper.wake.lock()
        defer { sleeper.wake.unlock() }
        sleeper.asleep.store(true, ordering: .sequentiallyConsistent)
        defer { sleeper.asleep.store(false, ordering: .sequentiallyConsistent) }
        while true {
            let current = generation.load(ordering: .sequentiallyConsistent)
            if current != seen { return current }
            sleeper.wake.wait()
        }
    }
}
