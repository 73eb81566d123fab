import Cohort

/// A retrieved historical subject with its scores: cosine from the index; when reranked, the cross-encoder's
/// relevance and the score the reranker orders by (relevance + the reranker's retrieval weight × cosine).
public struct Neighbour: Sendable, Equatable, Codable {
    public var subjectID: String
    public var diagnosis: Diagnosis
    public var similarity: Float
    public var rerankScore: Float?
    public var crossEncoderScore: Float?

    public init(subjectID: String, diagnosis: Diagnosis, similarity: Float, rerankScore: Float? = nil) {
        self.subjectID = subjectID
        self.diagnosis = diagnosis
        self.similarity = similarity
        self.rerankScore = rerankScore
    }

    enum CodingKeys: String, CodingKey {
        case subjectID = "subject_id", diagnosis, similarity, rerankScore = "rerank_score", crossEncoderScore = "cross_encoder_score"
    }
}
