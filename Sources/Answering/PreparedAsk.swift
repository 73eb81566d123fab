import Cohort
import FusedEncoder

/// Everything decided before the LLM is called: the neighbours, the context and the prompt.
public struct PreparedAsk: Sendable {
    public var request: AskRequest
    /// The query case's facts without its diagnosis or CDR-SB, restricted to the modalities used.
    public var caseDescription: String
    /// The modalities the embedding actually drew on (requested ∩ present).
    public var modalitiesUsed: ModalitySet
    /// "cache" or "computed".
    public var embeddingSource: String
    /// The index's top `candidates`, by cosine.
    public var retrieved: [Neighbour]
    /// The candidates in cross-encoder order (nil without reranking).
    public var reranked: [Neighbour]?
    /// The `contextSize` subjects given to the LLM (v1: their captions; v2: their facts in the evidence).
    public var context: [RetrievedCase]
    /// What the question asks for, as Memoir recognised it.
    public var questionKind: QuestionKind
    /// What Memoir computed about the case; the LLM reads it (v2 prompts) and the verifier checks against it.
    public var evidence: Evidence
    public var messages: [ChatMessage]
    public var responseFormat: ResponseFormat
    public var promptVersion: String
    public var timings: StageTimings
}
