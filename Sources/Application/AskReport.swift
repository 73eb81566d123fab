import Answering
import Foundation

/// An answered question as every front door reports it (`memoir ask --json`, the HTTP API): the evidence
/// Memoir computed, the answer with its findings and the verifier's verdict, what retrieval gave, the model,
/// tokens and seconds per stage, so no front door shows an unverified answer as plain.
public struct AskReport: Encodable, Sendable {
    let askID: Int64?
    let caseID: String
    let question: String
    let modalities: String
    let modalitiesUsed: String
    let questionKind: String
    let diagnosis: String?
    let answer: String
    let findings: [ParsedAnswer.Finding]
    let citedSubjectIDs: [String]
    let discardedCitations: [String]
    let context: [ContextCase]
    let retrieved: [Neighbour]
    let reranked: [Neighbour]?
    let promptVersion: String
    let model: String?
    let embeddingSource: String
    let timings: StageTimings
    let timeToFirstToken: Double?
    let promptTokens: Int?
    let completionTokens: Int?
    /// What the LLM server reports it spent (llama.cpp: prompt tokens evaluated, cache hits, generation), for
    /// comparing the LLM stage with the server's own rates.
    let serverTimings: ChatResponse.ServerTimings?
    let evidence: Evidence
    let verdict: Verdict
    let firstVerdict: Verdict?
    let repairRounds: Int
    /// Memoir's own reading of the evidence (no LLM), shown beside an answer that is not grounded.
    let evidenceAnswer: String?

    public struct ContextCase: Encodable, Sendable {
        let subjectID: String
        let diagnosis: String
        let similarity: Float?
        let rerankScore: Float?

        enum CodingKeys: String, CodingKey { case subjectID = "subject_id", diagnosis, similarity, rerankScore = "rerank_score" }
    }

    public init(_ r: AskResult) {
        askID = r.askID
        caseID = r.prepared.request.caseID
        question = r.prepared.request.question
        modalities = r.prepared.request.modalities.key
        modalitiesUsed = r.prepared.modalitiesUsed.key
        questionKind = r.prepared.questionKind.rawValue
        diagnosis = r.answer.diagnosis?.rawValue
        answer = r.answer.answer
        findings = r.answer.findings
        citedSubjectIDs = r.answer.citedSubjectIDs
        discardedCitations = r.discardedCitations
        context = Self.context(r.prepared)
        retrieved = r.prepared.retrieved
        reranked = r.prepared.reranked
        promptVersion = r.prepared.promptVersion
        model = r.response.model ?? r.generation.model
        embeddingSource = r.prepared.embeddingSource
        timings = r.timings
        timeToFirstToken = r.response.timeToFirstToken
        promptTokens = r.response.usage?.promptTokens
        completionTokens = r.response.usage?.completionTokens
        serverTimings = r.response.serverTimings
        evidence = r.prepared.evidence
        verdict = r.verdict
        firstVerdict = r.firstVerdict
        repairRounds = r.repairRounds
        evidenceAnswer = r.verdict.isGrounded ? nil : EvidenceAnswer.answer(r.prepared.evidence, kind: r.prepared.questionKind).answer
    }

    /// The subjects given to the model, with their scores from the ranking that chose them.
    public static func context(_ prepared: PreparedAsk) -> [ContextCase] {
        let ranked = Dictionary((prepared.reranked ?? prepared.retrieved).map { ($0.subjectID, $0) }) { first, _ in first }
        return prepared.context.map { c in
            ContextCase(subjectID: c.subjectID, diagnosis: c.diagnosis, similarity: ranked[c.subjectID]?.similarity,
                        rerankScore: ranked[c.subjectID]?.rerankScore)
        }
    }

    enum CodingKeys: String, CodingKey {
        case askID = "ask_id", caseID = "case_id", question, modalities, modalitiesUsed = "modalities_used", diagnosis, answer
        case citedSubjectIDs = "cited_subject_ids", discardedCitations = "discarded_citations", context, retrieved, reranked
        case promptVersion = "prompt_version", model, embeddingSource = "embedding_source", timings, evidence, verdict
        case questionKind = "question_kind", findings, firstVerdict = "first_verdict", repairRounds = "repair_rounds"
        case evidenceAnswer = "evidence_answer", timeToFirstToken = "time_to_first_token", promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens", serverTimings = "server_timings"
    }
}
