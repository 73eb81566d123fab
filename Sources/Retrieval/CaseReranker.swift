import TextModels

/// Reorders retrieved cases by a cross-encoder's relevance of (query text, case caption), MEMOIR's top-50 → top-5 step.
///
/// Candidates are ordered by the cross-encoder's relevance plus `retrievalWeight` × their retrieval score
/// (the weight a trained reranker's manifest records; 0 for any other cross-encoder): the first-stage
/// similarity stays evidence instead of being thrown away.
///
/// A late-interaction cross-encoder reads each caption's states from `stateStore` when it has them, and
/// computes and stores the others, so a library case's caption is encoded once, not per question.
public struct CaseReranker: Sendable {
    public let crossEncoder: CrossEncoder
    public let stateStore: (any SegmentStateStore)?
    public let retrievalWeight: Float

    public init(crossEncoder: CrossEncoder, stateStore: (any SegmentStateStore)? = nil, retrievalWeight: Float? = nil) {
        self.crossEncoder = crossEncoder
        self.stateStore = stateStore
        self.retrievalWeight = retrievalWeight ?? Float(crossEncoder.overlayManifest?.retrievalWeight ?? 0)
    }

    public struct Candidate: Sendable {
        public let subjectID: String
        public let caption: String
        public let retrievalScore: Float
        public init(subjectID: String, caption: String, retrievalScore: Float) {
            self.subjectID = subjectID
            self.caption = caption
            self.retrievalScore = retrievalScore
        }
    }

    public struct Ranked: Sendable, Codable, Equatable {
        public let subjectID: String
        public let retrievalScore: Float
        /// The cross-encoder's relevance alone.
        public let crossEncoderScore: Float
        /// What candidates are ordered by: crossEncoderScore + retrievalWeight × retrievalScore.
        public let rerankScore: Float
    }

    /// All candidates with their cross-encoder scores, best first (ties keep retrieval order).
    public func rerank(query: String, candidates: [Candidate]) throws -> [Ranked] {
        guard !candidates.isEmpty else { return [] }
        let logits: [[Float]]
        if crossEncoder.isLateInteraction {
            let queryStates = try crossEncoder.segmentStates([query])[0]
            logits = try crossEncoder.logits(query: queryStates, passages: try captionStates(candidates))
        } else {
            logits = try crossEncoder.logits(query: query, passages: candidates.map(\.caption))
        }
        let ranked = zip(candidates, logits.map(CrossEncoder.relevance(of:))).map { candidate, relevance in
            Ranked(subjectID: candidate.subjectID, retrievalScore: candidate.retrievalScore, crossEncoderScore: relevance,
                   rerankScore: relevance + retrievalWeight * candidate.retrievalScore)
        }
        return ranked.enumerated()
            .sorted { $0.element.rerankScore != $1.element.rerankScore ? $0.element.rerankScore > $1.element.rerankScore : $0.offset < $1.offset }
            .map(\.element)
    }

    /// Each candidate caption's segment states: stored ones, then the rest computed (and stored).
    /// Computed states are rounded as stored ones are, so a score does not depend on which it was.
    public func captionStates(_ candidates: [Candidate]) throws -> [SegmentStates] {
        var found = try stateStore?.states(for: candidates.map(\.subjectID)) ?? [:]
        var seen = Set<String>()
        let missing = candidates.filter { found[$0.subjectID] == nil && seen.insert($0.subjectID).inserted }
        if !missing.isEmpty {
            let computed = try crossEncoder.segmentStates(missing.map(\.caption)).map { $0.roundedToHalfPrecision() }
            let fresh = Dictionary(uniqueKeysWithValues: zip(missing.map(\.subjectID), computed))
            try stateStore?.store(fresh)
            found.merge(fresh) { old, _ in old }
        }
        return candidates.map { found[$0.subjectID]! }
    }
}
