import TextModels

extension CaseReranker {
    /// This reranker keeping caption states in `store` when it is late-interaction (else unchanged).
    public func keepingStates(in store: any SegmentStateStore) -> CaseReranker {
        guard crossEncoder.isLateInteraction else { return self }
        return CaseReranker(crossEncoder: crossEncoder, stateStore: store, retrievalWeight: retrievalWeight)
    }

    /// Computes and stores the caption states of `cases` (subject id, caption) that the state store lacks,
    /// `batch` at a time (each batch written in one transaction), reporting (done, total). Returns how many
    /// were computed: 0 for an ordinary cross-encoder or without a state store.
    @discardableResult
    public func warmStates(for cases: [(subjectID: String, caption: String)], batch: Int = 64,
                           progress: (Int, Int) -> Void = { _, _ in }) throws -> Int {
        guard crossEncoder.isLateInteraction, let stateStore else { return 0 }
        let stored = try stateStore.storedSubjects()
        let missing = cases.filter { !stored.contains($0.subjectID) }
        var done = 0
        progress(0, missing.count)
        for start in stride(from: 0, to: missing.count, by: batch) {
            let chunk = missing[start..<min(start + batch, missing.count)]
            _ = try captionStates(chunk.map { Candidate(subjectID: $0.subjectID, caption: $0.caption, retrievalScore: 0) })
            done += chunk.count
            progress(done, missing.count)
        }
        return missing.count
    }
}
