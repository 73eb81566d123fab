import Answering

/// `memoir ask --json`: the answer, what grounded it and the seconds per stage.
struct AskOutput: Encodable {
    let askID: Int64?
    let caseID: String
    let question: String
    let modalities: String
    let modalitiesUsed: String
    let questionKind: String
    let evidence: Evidence
    let verdict: Verdict
    let firstVerdict: Verdict?
    let repairRounds: Int
    let diagnosis: String?
    let answer: String
    let findings: [ParsedAnswer.Finding]
    let citedSubjectIDs: [String]
    let discardedCitations: [String]
    let context: [String]
    let retrieved: [Neighbour]
    let reranked: [Neighbour]?
    let promptVersion: String
    let model: String?
    let embeddingSource: String
    let timings: StageTimings
    let timeToFirstToken: Double?
    let promptTokens: Int?
    let completionTokens: Int?

    init(_ r: AskResult) {
        askID = r.askID
        caseID = r.prepared.request.caseID
        question = r.prepared.request.question
        modalities = r.prepared.request.modalities.key
        modalitiesUsed = r.prepared.modalitiesUsed.key
        questionKind = r.prepared.questionKind.rawValue
        evidence = r.prepared.evidence
        verdict = r.verdict
        firstVerdict = r.firstVerdict
        repairRounds = r.repairRounds
        diagnosis = r.answer.diagnosis?.rawValue
        answer = r.answer.answer
        findings = r.answer.findings
        citedSubjectIDs = r.answer.citedSubjectIDs
        discardedCitations = r.discardedCitations
        context = r.prepared.context.map(\.subjectID)
        retrieved = r.prepared.retrieved
        reranked = r.prepared.reranked
        promptVersion = r.prepared.promptVersion
        model = r.response.model ?? r.generation.model
        embeddingSource = r.prepared.embeddingSource
        timings = r.timings
        timeToFirstToken = r.response.timeToFirstToken
        promptTokens = r.response.usage?.promptTokens
        completionTokens = r.response.usage?.completionTokens
    }
}
