import Foundation
import Store

/// The ask log (the store's `asks` table): every question put to the pipeline, answered or not, with what
/// was retrieved, the evidence, the prompt version, the model, the verifier's verdict and the time per stage.
/// A failed ask is logged with its error and no answer, an answer that failed verification as "unverified",
/// so nothing appears as an answer that the LLM did not give or the evidence does not back.
public struct AskLog: Sendable {
    public let store: CaseStore

    public init(store: CaseStore) { self.store = store }

    /// What the pipeline knows about an ask when it logs it.
    public struct Entry: Sendable {
        public var prepared: PreparedAsk
        public var llmURL: String
        public var generation: GenerationOptions
        public var encoderHash: String
        public var indexCreatedAt: String
        public var servedModel: String?
        public var answer: ParsedAnswer?
        public var rawResponse: String?
        public var error: String?
        public var timings: StageTimings
        public var verdict: Verdict?
        public var firstVerdict: Verdict?
        public var repairRounds = 0
        public var usage: ChatResponse.Usage?

        public init(prepared: PreparedAsk, llmURL: String, generation: GenerationOptions, encoderHash: String, indexCreatedAt: String) {
            self.prepared = prepared
            self.llmURL = llmURL
            self.generation = generation
            self.encoderHash = encoderHash
            self.indexCreatedAt = indexCreatedAt
            timings = prepared.timings
        }
    }

    @discardableResult
    public func record(_ e: Entry) throws -> Int64 {
        let json = JSONEncoder()
        json.outputFormatting = .sortedKeys
        func text(_ value: some Encodable) throws -> String { String(decoding: try json.encode(value), as: UTF8.self) }
        let p = e.prepared
        return try store.recordAsk(AskRecord(
            createdAt: ISO8601DateFormatter().string(from: Date()), caseID: p.request.caseID, question: p.request.question,
            modalities: p.request.modalities.key, modalitiesUsed: p.modalitiesUsed.key, reranked: p.reranked != nil,
            promptVersion: p.promptVersion, llmURL: e.llmURL, model: e.generation.model, servedModel: e.servedModel,
            generation: try text(e.generation), encoderHash: e.encoderHash, indexCreatedAt: e.indexCreatedAt,
            retrieved: try text(p.retrieved), rerankedOrder: try p.reranked.map { try text($0) },
            contextIDs: try text(p.context.map(\.subjectID)), status: Self.status(e),
            diagnosis: e.answer?.diagnosis?.rawValue, answer: e.answer?.answer, citedIDs: try e.answer.map { try text($0.citedSubjectIDs) },
            rawResponse: e.rawResponse, error: e.answer == nil ? (e.error ?? "no answer received") : nil, timings: try text(e.timings),
            questionKind: p.questionKind.rawValue, evidence: try text(p.evidence), verdict: e.verdict?.status.rawValue,
            verdictIssues: try e.verdict.map { try text($0.issues) }, firstVerdict: e.firstVerdict?.status.rawValue,
            repairRounds: e.repairRounds, findings: try e.answer.map { try text($0.findings) },
            promptTokens: e.usage?.promptTokens, completionTokens: e.usage?.completionTokens))
    }

    public func count(status: String? = nil) throws -> Int { try store.askCount(status: status) }

    /// "answered" only for a grounded answer; an answer the verifier did not pass is "unverified", none is "failed".
    static func status(_ e: Entry) -> String {
        guard e.answer != nil else { return "failed" }
        return e.verdict?.isGrounded ?? false ? "answered" : "unverified"
    }
}
