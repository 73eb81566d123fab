import TextModels

/// Reorders retrieved cases by a cross-encoder's relevance of (query text, case caption), MEMOIR's top-50 → top-5 step.
public struct CaseReranker: Sendable {
    public let crossEncoder: CrossEncoder

    public init(crossEncoder: CrossEncoder) { self.crossEncoder = crossEncoder }

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
        public let rerankScore: Float
    }

    /// All candidates with their cross-encoder scores, best first (ties keep retrieval order).
    public func rerank(query: String, candidates: [Candidate]) throws -> [Ranked] {
        guard !candidates.isEmpty else { return [] }
        let scores = try crossEncoder.logits(query: query, passages: candidates.map(\.caption)).map { $0[0] }
        return zip(candidates, scores).enumerated()
            .sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }
            .map { Ranked(subjectID: $0.element.0.subjectID, retrievalScore: $0.element.0.retrievalScore, rerankScore: $0.element.1) }
    }
}
