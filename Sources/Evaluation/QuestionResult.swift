import Answering
import Cohort
import Foundation

/// One question answered by one backbone (or the evidence-only answer) under one modality subset: what
/// `memoir eval vqa` records per question, and what `EvaluationReport` aggregates.
public struct QuestionResult: Sendable, Equatable, Codable {
    public var qaID: String
    public var caseID: String
    /// The LLM that answered (e.g. "Mistral 7B" or the model name sent to the server), or an evidence-only row.
    public var backbone: String
    /// The modalities the query case was encoded with (a `ModalitySet.key`, e.g. "t1+fa+clinical").
    public var modalities: String
    public var category: QAItem.Category
    /// The diagnosis the answer's text names (`AnswerParser.diagnosis(inProse:)`); nil when it names none or
    /// several, or the LLM failed. This is what accuracy scores: the text is what a reader sees.
    public var textDiagnosis: Diagnosis?
    /// The schema's diagnosis field (v2 asks for it on diagnosis questions only); reported for agreement.
    public var fieldDiagnosis: Diagnosis?
    /// Set for diagnosis questions (the QA item's `expected_diagnosis`).
    public var expectedDiagnosis: Diagnosis?
    /// The course the answer's text states (`CourseReader`), and for prognosis questions the recorded one.
    public var textCourse: SubjectCourse.Outcome?
    public var expectedCourse: SubjectCourse.Outcome?
    public var answer: String
    public var reference: String
    /// nil when the LLM failed or gave an empty answer.
    public var bertScore: BERTScore?
    public var sbertCosine: Double?
    /// Seconds for the whole answer (retrieval excluded; both exchanges when repaired).
    public var latencySeconds: Double
    /// Seconds to the first streamed token of the first exchange; nil when not streamed or failed.
    public var ttftSeconds: Double?
    public var promptTokens: Int?
    /// The verifier's verdict on the kept reply; nil when none was received (HTTP failure, retrieval failure).
    public var verdict: Verdict.Status?
    public var issues: Int?
    public var unsupportedClaims: Int?
    /// Whether a repair round was used.
    public var repaired: Bool?
    /// Why the question has no usable answer (LLM error, unreadable or empty answer); nil on success.
    public var error: String?

    public init(qaID: String, caseID: String, backbone: String, modalities: String, category: QAItem.Category,
                textDiagnosis: Diagnosis?, fieldDiagnosis: Diagnosis? = nil, expectedDiagnosis: Diagnosis?, answer: String, reference: String,
                bertScore: BERTScore? = nil, sbertCosine: Double? = nil, latencySeconds: Double, ttftSeconds: Double? = nil,
                promptTokens: Int? = nil, verdict: Verdict? = nil, repaired: Bool? = nil, error: String? = nil) {
        (self.qaID, self.caseID, self.backbone, self.modalities, self.category) = (qaID, caseID, backbone, modalities, category)
        (self.textDiagnosis, self.fieldDiagnosis, self.expectedDiagnosis) = (textDiagnosis, fieldDiagnosis, expectedDiagnosis)
        (self.answer, self.reference, self.bertScore, self.sbertCosine) = (answer, reference, bertScore, sbertCosine)
        (self.latencySeconds, self.ttftSeconds, self.promptTokens) = (latencySeconds, ttftSeconds, promptTokens)
        (self.verdict, self.issues, self.unsupportedClaims) = (verdict?.status, verdict?.issues.count, verdict?.unsupportedClaims)
        (self.repaired, self.error) = (repaired, error)
    }

    /// The diagnosis an answer's text names, or nil when it names none or more than one.
    public static func diagnosis(inText text: String) -> Diagnosis? {
        try? AnswerParser.diagnosis(inProse: text, excerpt: "")
    }

    enum CodingKeys: String, CodingKey {
        case qaID = "qa_id", caseID = "case_id", backbone, modalities, category
        case textDiagnosis = "text_diagnosis", fieldDiagnosis = "field_diagnosis", expectedDiagnosis = "expected_diagnosis"
        case textCourse = "text_course", expectedCourse = "expected_course"
        case answer, reference, bertScore = "bertscore", sbertCosine = "sbert_cosine", latencySeconds = "latency_seconds"
        case ttftSeconds = "ttft_seconds", promptTokens = "prompt_tokens", verdict, issues, unsupportedClaims = "unsupported_claims"
        case repaired, error
    }
}
