import Cohort
import Foundation
import FusedEncoder
import Numerics
import Store

/// Fills the store's embedding cache: `memoir encode`, and the first step of `memoir index`.
public struct LibraryEncoder: Sendable {
    public let store: CaseStore
    public let encoder: FusedEncoder
    public let cache: EmbeddingCache

    public init(store: CaseStore, encoder: FusedEncoder) {
        self.store = store
        self.encoder = encoder
        cache = EmbeddingCache(store: store, encoderHash: encoder.weightsHash)
    }

    /// Encodes every case of `split` (all cases when nil) for each of `subsets`, computing only the
    /// embeddings missing from the cache. Cases run side by side (one single-threaded BLAS each) when
    /// there are cores and memory for it; results are written `batchSize` cases per transaction, so an
    /// interruption keeps what was done. A case that fails is reported in the summary, not fatal.
    @discardableResult
    public func encodeAll(split: Split? = nil, subsets: [ModalitySet] = [.all], batchSize: Int = 16,
                          progress: (@Sendable (EncodeProgress) -> Void)? = nil) throws -> EncodeSummary {
        var summary = EncodeSummary()
        let subsets = subsets.filter { !$0.isEmpty }
        var cached: [ModalitySet: Set<String>] = [:]
        for subset in subsets { cached[subset] = try cache.cachedSubjects(modalities: subset) }
        var jobs: [(record: CaseRecord, subsets: [ModalitySet])] = []
        for c in try store.allCases(split: split) {
            let missing = subsets.filter { !(cached[$0]?.contains(c.id) ?? false) }
            summary.alreadyCached += subsets.count - missing.count
            if !missing.isEmpty { jobs.append((c.record, missing)) }
        }
        let encoder = encoder
        let workers = Self.workerCount(jobs: jobs.count, config: encoder.config)
        let results = ResultCollector()
        var done = 0
        for start in stride(from: 0, to: jobs.count, by: max(1, batchSize)) {
            let batch = Array(jobs[start..<min(jobs.count, start + max(1, batchSize))])
            let next = ResultCollector.Counter()
            let run = { @Sendable (_: Int) in
                while let i = next.take(below: batch.count) {
                    let (record, wanted) = batch[i]
                    do {
                        let inputs = try encoder.preprocessor.inputs(for: record, modalities: wanted.reduce([]) { $0.union($1) })
                        let outputs = try encoder.encode(inputs, subsets: wanted)
                        results.add(entries: outputs.map { EmbeddingCache.Entry(subjectID: record.subjectID, modalities: $0.key, vector: $0.value.z) },
                                    skipped: wanted.count - outputs.count)
                    } catch EncoderError.noModality {
                        // The case has none of the wanted modalities (e.g. "fa" for a case without FA): nothing to encode.
                        results.add(entries: [], skipped: wanted.count)
                    } catch {
                        results.fail(record.subjectID, error)
                    }
                }
            }
            if workers > 1 {
                BLAS.withSingleThreadedCalls { Parallel.forEachWorker(workers, run) }
            } else {
                run(0)
            }
            let (entries, skipped, failures) = results.drain()
            try cache.store(entries)
            summary.encoded += entries.count
            summary.skipped += skipped
            summary.failures += failures
            done += batch.count
            progress?(EncodeProgress(done: done, total: jobs.count))
        }
        return summary
    }

    /// Cases encoded at once: one per core, as far as a quarter of physical memory holds their working sets.
    static func workerCount(jobs: Int, config: EncoderConfig) -> Int {
        let perCase = ResNet3D.workingSetBytes(config: config) + 64 << 20
        let budget = Int(ProcessInfo.processInfo.physicalMemory / 4)
        return max(1, min(Parallel.threadCount, jobs, budget / perCase))
    }
}

/// Collects worker results under a lock (workers finish in any order).
final class ResultCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [EmbeddingCache.Entry] = []
    private var skipped = 0
    private var failures: [EncodeSummary.Failure] = []

    func add(entries new: [EmbeddingCache.Entry], skipped s: Int) {
        lock.withLock { entries += new; skipped += s }
    }

    func fail(_ subject: String, _ error: Error) {
        lock.withLock { failures.append(EncodeSummary.Failure(subjectID: subject, message: "\(error)")) }
    }

    /// Everything collected so far, sorted by subject for deterministic writes; resets the collector.
    func drain() -> ([EmbeddingCache.Entry], Int, [EncodeSummary.Failure]) {
        lock.withLock {
            defer { entries = []; skipped = 0; failures = [] }
            return (entries.sorted { ($0.subjectID, $0.modalities.rawValue) < ($1.subjectID, $1.modalities.rawValue) }, skipped,
                    failures.sorted { $0.subjectID < $1.subjectID })
        }
    }

    /// Hands out job indices to workers.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0

        func take(below limit: Int) -> Int? {
            lock.withLock {
                guard next < limit else { return nil }
                defer { next += 1 }
                return next
            }
        }
    }
}
