import Foundation
import GRDB

/// A row of `asks`: one question put to the answering pipeline, answered or failed, with what was
/// retrieved, the prompt version, the model and the time per stage. Structured values are JSON text,
/// written by `Answering.AskLog`.
public struct AskRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "asks"

    public var id: Int64?
    public var createdAt: String
    public var caseID: String
    public var question: String
    public var modalities: String
    public var modalitiesUsed: String
    public var reranked: Bool
    public var promptVersion: String
    public var llmURL: String
    public var model: String?
    public var servedModel: String?
    public var generation: String
    public var encoderHash: String
    public var indexCreatedAt: String
    public var retrieved: String
    public var rerankedOrder: String?
    public var contextIDs: String
    /// "answered" (verified grounded), "unverified" (an answer the verifier did not pass) or "failed" (none);
    /// CHECKs keep an answered row grounded, with an answer and no error.
    public var status: String
    public var diagnosis: String?
    public var answer: String?
    public var citedIDs: String?
    public var rawResponse: String?
    public var error: String?
    public var timings: String
    /// From schema 6 on: the question's kind, the evidence (JSON), the verdict and its issues (JSON), the
    /// first reply's verdict when a repair round was used, the findings (JSON) and the token counts.
    public var questionKind: String?
    public var evidence: String?
    public var verdict: String?
    public var verdictIssues: String?
    public var firstVerdict: String?
    public var repairRounds: Int
    public var findings: String?
    public var promptTokens: Int?
    public var completionTokens: Int?

    enum CodingKeys: String, CodingKey {
        case id, question, modalities, reranked, model, generation, retrieved, status, diagnosis, answer, error, timings
        case createdAt = "created_at", caseID = "case_id", modalitiesUsed = "modalities_used", promptVersion = "prompt_version"
        case llmURL = "llm_url", servedModel = "served_model", encoderHash = "encoder_hash", indexCreatedAt = "index_created_at"
        case rerankedOrder = "reranked_order", contextIDs = "context_ids", citedIDs = "cited_ids", rawResponse = "raw_response"
        case questionKind = "question_kind", evidence, verdict, verdictIssues = "verdict_issues", firstVerdict = "first_verdict"
        case repairRounds = "repair_rounds", findings, promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
    }

    public init(createdAt: String, caseID: String, question: String, modalities: String, modalitiesUsed: String, reranked: Bool,
                promptVersion: String, llmURL: String, model: String?, servedModel: String?, generation: String, encoderHash: String,
                indexCreatedAt: String, retrieved: String, rerankedOrder: String?, contextIDs: String, status: String,
                diagnosis: String?, answer: String?, citedIDs: String?, rawResponse: String?, error: String?, timings: String,
                questionKind: String? = nil, evidence: String? = nil, verdict: String? = nil, verdictIssues: String? = nil,
                firstVerdict: String? = nil, repairRounds: Int = 0, findings: String? = nil, promptTokens: Int? = nil,
                completionTokens: Int? = nil) {
        self.createdAt = createdAt
        self.caseID = caseID
        self.question = question
        self.modalities = modalities
        self.modalitiesUsed = modalitiesUsed
        self.reranked = reranked
        self.promptVersion = promptVersion
        self.llmURL = llmURL
        self.model = model
        self.servedModel = servedModel
        self.generation = generation
        self.encoderHash = encoderHash
        self.indexCreatedAt = indexCreatedAt
        self.retrieved = retrieved
        self.rerankedOrder = rerankedOrder
        self.contextIDs = contextIDs
        self.status = status
        self.diagnosis = diagnosis
        self.answer = answer
        self.citedIDs = citedIDs
        self.rawResponse = rawResponse
        self.error = error
        self.timings = timings
        self.questionKind = questionKind
        self.evidence = evidence
        self.verdict = verdict
        self.verdictIssues = verdictIssues
        self.firstVerdict = firstVerdict
        self.repairRounds = repairRounds
        self.findings = findings
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension CaseStore {
    /// Appends an ask to the log; returns its id.
    @discardableResult
    public func recordAsk(_ record: AskRecord) throws -> Int64 {
        try write { db in
            var row = record
            try row.insert(db)
            return row.id ?? db.lastInsertedRowID
        }
    }

    /// Logged asks, oldest first; only `caseID`'s and/or those with `status` when given.
    public func asks(caseID: String? = nil, status: String? = nil) throws -> [AskRecord] {
        try read { db in
            var request = AskRecord.all()
            if let caseID { request = request.filter(Column("case_id") == caseID) }
            if let status { request = request.filter(Column("status") == status) }
            return try request.order(Column("id")).fetchAll(db)
        }
    }

    public func askCount(status: String? = nil) throws -> Int {
        try read { db in try (status.map { AskRecord.filter(Column("status") == $0) } ?? AskRecord.all()).fetchCount(db) }
    }
}
