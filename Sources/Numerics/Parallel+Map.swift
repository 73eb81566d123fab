import Foundation

extension Parallel {
    /// Memory that `map` lets its workers' working sets take together: a quarter of physical
    /// memory, leaving the rest to the inputs, the results and whatever else the machine runs.
    public static var defaultMemoryBudget: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory / 4) }

    /// Workers `map` runs for `items` items: one per thread (`workers`, default `threadCount`), no
    /// more than there are items, and only as many as `memoryBudget` holds at `memoryPerItem` bytes
    /// each; always at least one.
    public static func workerCount(items: Int, workers: Int? = nil, memoryPerItem: Int? = nil,
                                   memoryBudget: Int = defaultMemoryBudget) -> Int {
        var count = min(workers ?? threadCount, items)
        if let memoryPerItem, memoryPerItem > 0 { count = min(count, memoryBudget / memoryPerItem) }
        return max(1, count)
    }

    /// `body` applied to every item on `workerCount(...)` threads, which take the next unstarted
    /// item as they finish one (items may differ widely in cost). Results come back in input
    /// order, each a success or the error its item threw; one failure does not stop the others.
    ///
    /// - `singleThreadedBLAS`: hold OpenBLAS at one thread per call while more than one worker
    ///   runs, for bodies that call BLAS (see `BLAS.withSingleThreadedCalls`).
    /// - `progress(done, total)`: called once per finished item, in increasing `done` order.
    public static func map<Item: Sendable, Output: Sendable, Failure: Error>(
        _ items: [Item], workers: Int? = nil, memoryPerItem: Int? = nil, memoryBudget: Int = defaultMemoryBudget,
        singleThreadedBLAS: Bool = false, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil,
        _ body: @Sendable (Item) throws(Failure) -> Output
    ) -> [Result<Output, Failure>] {
        let total = items.count
        guard total > 0 else { return [] }
        let state = Locked(MapState<Output, Failure>(count: total))
        @Sendable func run(_: Int) {
            while let i = state.withLock({ $0.take() }) {
                let result = Result { () throws(Failure) in try body(items[i]) }
                // Reported under the lock so the callback sees done counts in order.
                state.withLock { s in
                    s.results[i] = result
                    s.done += 1
                    progress?(s.done, total)
                }
            }
        }
        let count = workerCount(items: total, workers: workers, memoryPerItem: memoryPerItem, memoryBudget: memoryBudget)
        if count == 1 {
            run(0)
        } else if singleThreadedBLAS {
            BLAS.withSingleThreadedCalls { forEachWorker(count, run) }
        } else {
            forEachWorker(count, run)
        }
        // Every index was handed out exactly once and every worker has returned, so no slot is empty.
        return state.withLock { $0.results.map { $0! } }
    }
}

/// The shared queue and result slots of one `Parallel.map`.
private struct MapState<Output: Sendable, Failure: Error>: Sendable {
    var next = 0
    var done = 0
    var results: [Result<Output, Failure>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    /// The next unstarted index, if any.
    mutating func take() -> Int? {
        guard next < results.count else { return nil }
        defer { next += 1 }
        return next
    }
}
