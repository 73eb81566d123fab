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
    /// Holds the store's writer lock throughout, so a second encoder waits (`note` says so) and then finds this
    /// one's work cached instead of repeating it.
    @discardableResult
    public func encodeAll(split: Split? = nil, subsets: [ModalitySet] = [.all], batchSize: Int = 16,
                          progress: (@Sendable (EncodeProgress) -> Void)? = nil,
                          note: (String) -> Void = { _ in }) throws -> EncodeSummary {
        let lock = try StoreWriterLock.acquire(storePath: store.path, purpose: "memoir encode", waiting: note)
        defer { lock.release() }
        return try encodeAllHoldingLock(split: split, subsets: subsets, batchSize: batchSize, progress: progress)
    }

    /// `encodeAll` for a caller that already holds the writer lock (a second `flock` from this process would wait on itself).
    func encodeAllHoldingLock(split: Split?, subsets: [ModalitySet], batchSize: Int = 16,
                              progress: (@Sendable (EncodeProgress) -> Void)?) throws -> EncodeSummary {
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
        var done = 0
        for start in stride(from: 0, to: jobs.count, by: max(1, batchSize)) {
            let batch = Array(jobs[start..<min(jobs.count, start + max(1, batchSize))])
            // Cases side by side, one single-threaded BLAS each, as many as memory holds.
            let outcomes = Parallel.map(batch, memoryPerItem: encoder.memoryPerCase, singleThreadedBLAS: true) { job in
                try Self.encode(job.record, job.subsets, encoder: encoder)
            }
            var entries: [EmbeddingCache.Entry] = []
            for (job, outcome) in zip(batch, outcomes) {
                switch outcome {
                case let .success((encoded, skipped)):
                    entries += encoded
                    summary.skipped += skipped
                case let .failure(error):
                    summary.failures.append(EncodeSummary.Failure(subjectID: job.record.subjectID, message: "\(error)"))
                }
            }
            try cache.store(entries)
            summary.encoded += entries.count
            done += batch.count
            progress?(EncodeProgress(done: done, total: jobs.count))
        }
        return summary
    }

    /// One case's embeddings for `subsets`, and how many of those had nothing to encode (e.g. "fa" for a case
    /// without an FA image).
    static func encode(_ record: CaseRecord, _ subsets: [ModalitySet],
                       encoder: FusedEncoder) throws -> (entries: [EmbeddingCache.Entry], skipped: Int) {
        do {
            let inputs = try encoder.preprocessor.inputs(for: record, modalities: subsets.reduce([]) { $0.union($1) })
            let outputs = try encoder.encode(inputs, subsets: subsets)
            let entries = subsets.compactMap { subset in
                outputs[subset].map { EmbeddingCache.Entry(subjectID: record.subjectID, modalities: subset, vector: $0.z) }
            }
            return (entries, subsets.count - entries.count)
        } catch EncoderError.noModality {
            return ([], subsets.count)
        }
    }
}
