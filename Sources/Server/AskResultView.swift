import Answering
import Foundation

/// An answered question as the API returns it: the same fields as `memoir ask --json`, plus whatever
/// evidence and verdict the answering pipeline attaches to its result. Those are read by name from
/// `AskResult` and passed through as they encode, so when the pipeline adds or changes them the API and
/// the workspace show them without a change here.
struct AskResultView: Encodable, Sendable {
    let askID: Int64?
    let caseID: String
    let question: String
    let modalities: String
    let modalitiesUsed: String
    let diagnosis: String
    let answer: String
    let citedSubjectIDs: [String]
    let discardedCitations: [String]
    let context: [ContextCase]
    let retrieved: [Neighbour]
    let reranked: [Neighbour]?
    let promptVersion: String
    let model: String?
    let embeddingSource: String
    let timings: StageTimings
    let evidence: AnyEncodable?
    let verdict: AnyEncodable?

    struct ContextCase: Encodable, Sendable {
        let subjectID: String
        let diagnosis: String
        let similarity: Float?
        let rerankScore: Float?

        enum CodingKeys: String, CodingKey { case subjectID = "subject_id", diagnosis, similarity, rerankScore = "rerank_score" }
    }

    init(_ r: AskResult) {
        askID = r.askID
        caseID = r.prepared.request.caseID
        question = r.prepared.request.question
        modalities = r.prepared.request.modalities.key
        modalitiesUsed = r.prepared.modalitiesUsed.key
        diagnosis = r.answer.diagnosis.rawValue
        answer = r.answer.answer
        citedSubjectIDs = r.answer.citedSubjectIDs
        discardedCitations = r.discardedCitations
        context = Self.context(r.prepared)
        retrieved = r.prepared.retrieved
        reranked = r.prepared.reranked
        promptVersion = r.prepared.promptVersion
        model = r.response.model ?? r.generation.model
        embeddingSource = r.prepared.embeddingSource
        timings = r.timings
        evidence = Self.field("evidence", of: r)
        verdict = Self.field("verdict", of: r)
    }

    /// The subjects given to the model, with their scores from the ranking that chose them.
    static func context(_ prepared: PreparedAsk) -> [ContextCase] {
        let ranked = Dictionary((prepared.reranked ?? prepared.retrieved).map { ($0.subjectID, $0) }) { first, _ in first }
        return prepared.context.map { c in
            ContextCase(subjectID: c.subjectID, diagnosis: c.diagnosis, similarity: ranked[c.subjectID]?.similarity,
                        rerankScore: ranked[c.subjectID]?.rerankScore)
        }
    }

    /// A stored property of the result by name, when it is present (not nil) and encodable.
    static func field(_ name: String, of result: AskResult) -> AnyEncodable? {
        guard let child = Mirror(reflecting: result).children.first(where: { $0.label == name }) else { return nil }
        // An optional property reflects as an optional: nil has no child, a value has one.
        let mirror = Mirror(reflecting: child.value)
        let value: Any? = mirror.displayStyle == .optional ? mirror.children.first?.value : child.value
        guard let encodable = value as? any Encodable else { return nil }
        return AnyEncodable(value: encodable)
    }

    enum CodingKeys: String, CodingKey {
        case askID = "ask_id", caseID = "case_id", question, modalities, modalitiesUsed = "modalities_used", diagnosis, answer
        case citedSubjectIDs = "cited_subject_ids", discardedCitations = "discarded_citations", context, retrieved, reranked
        case promptVersion = "prompt_version", model, embeddingSource = "embedding_source", timings, evidence, verdict
    }
}
