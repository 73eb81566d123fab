import Answering

/// `memoir ask --json`: the answer, what grounded it and the seconds per stage.
struct AskOutput: Encodable {
    let askID: Int64?
    let caseID: String
    let question: String
    let modalities: String
    let modalitiesUsed: String
    let diagnosis: String
    let answer: String
    let citedSubjectIDs: [String]
    let discardedCitations: [String]
    let context: [String]
    let retrieved: [Neighbour]
    let reranked: [Neighbour]?
    let promptVersion: String
    let model: String?
    let embeddingSource: String
    let timings: StageTimings

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
        context = r.prepared.context.map(\.subjectID)
        retrieved = r.prepared.retrieved
        reranked = r.prepared.reranked
        promptVersion = r.prepared.promptVersion
        model = r.response.model ?? r.generation.model
        embeddingSource = r.prepared.embeddingSource
        timings = r.timings
    }

    enum CodingKeys: String, CodingKey {
        case askID = "ask_id", caseID = "case_id", question, modalities, modalitiesUsed = "modalities_used", diagnosis, answer
        case citedSubjectIDs = "cited_subject_ids", discardedCitations = "discarded_citations", context, retrieved, reranked
        case promptVersion = "prompt_version", model, embeddingSource = "embedding_source", timings
    }
}
