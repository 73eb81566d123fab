import Cohort
import Foundation

/// One question answered by one backbone under one modality subset: what `memoir eval vqa`
/// records per question, and what `EvaluationReport` aggregates.
public struct QuestionResult: Sendable, Equatable, Codable {
    public var qaID: String
    public var caseID: String
    /// The LLM that answered (e.g. "Mistral 7B" or the model name sent to the server).
    public var backbone: String
    /// The modalities the query case was encoded with (a `ModalitySet.key`, e.g. "t1+fa+clinical").
    public var modalities: String
    public var category: QAItem.Category
    /// The diagnosis read from the answer; nil when none could be read or the LLM failed.
    public var predictedDiagnosis: Diagnosis?
    /// Set for diagnosis questions (the QA item's `expected_diagnosis`).
    public var expectedDiagnosis: Diagnosis?
    public var answer: String
    public var reference: String
    /// nil when the LLM failed or gave an empty answer.
    public var bertScore: BERTScore?
    public var sbertCosine: Double?
    public var latencySeconds: Double
    /// Why the question has no usable answer (LLM error, empty answer); nil on success.
    public var error: String?

    public init(qaID: String, caseID: String, backbone: String, modalities: String, category: QAItem.Category,
                predictedDiagnosis: Diagnosis?, expectedDiagnosis: Diagnosis?, answer: String, reference: String,
                bertScore: BERTScore?, sbertCosine: Double?, latencySeconds: Double, error: String? = nil) {
        (self.qaID, self.caseID, self.backbone, self.modalities, self.category) = (qaID, caseID, backbone, modalities, category)
        (self.predictedDiagnosis, self.expectedDiagnosis, self.answer, self.reference) = (predictedDiagnosis, expectedDiagnosis, answer, reference)
        (self.bertScore, self.sbertCosine, self.latencySeconds, self.error) = (bertScore, sbertCosine, latencySeconds, error)
    }

    enum CodingKeys: String, CodingKey {
        case qaID = "qa_id", caseID = "case_id", backbone, modalities, category
        case predictedDiagnosis = "predicted_diagnosis", expectedDiagnosis = "expected_diagnosis"
        case answer, reference, bertScore = "bertscore", sbertCosine = "sbert_cosine", latencySeconds = "latency_seconds", error
    }
}
