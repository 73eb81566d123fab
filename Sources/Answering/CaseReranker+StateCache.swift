import Cohort
import Retrieval

extension CaseReranker {
    /// This reranker keeping caption states in `store` when it is late-interaction (else unchanged).
    public func cachingStates(in store: CaseStore) throws -> CaseReranker {
        guard crossEncoder.isLateInteraction, stateStore == nil else { return self }
        return CaseReranker(crossEncoder: crossEncoder, stateStore: try RerankStateCache(store: store, crossEncoder: crossEncoder),
                            retrievalWeight: retrievalWeight)
    }

    /// Computes and stores the caption states of `cases` that the cache lacks, `batch` at a time (each batch
    /// written in one transaction), reporting (done, total). Returns how many were computed.
    @discardableResult
    public func warmStates(for cases: [StoredCase], batch: Int = 64, progress: (Int, Int) -> Void = { _, _ in }) throws -> Int {
        guard crossEncoder.isLateInteraction, let cache = stateStore as? RerankStateCache else { return 0 }
        let cached = try cache.cachedSubjects()
        let missing = cases.filter { !cached.contains($0.id) }
        var done = 0
        progress(0, missing.count)
        for start in stride(from: 0, to: missing.count, by: batch) {
            let chunk = missing[start..<min(start + batch, missing.count)]
            _ = try captionStates(chunk.map { Candidate(subjectID: $0.id, caption: $0.caption, retrievalScore: 0) })
            done += chunk.count
            progress(done, missing.count)
        }
        return missing.count
    }
}
