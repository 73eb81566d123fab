import Cohort
import Foundation
import GRDB

/// The `asks` table: every question put to the pipeline, answered or not, with what was retrieved, the
/// prompt version, the model and the time per stage. A failed ask is logged with its error and no answer,
/// so nothing appears as an answer that the LLM did not give.
public struct AskLog: Sendable {
    public let store: CaseStore

    /// Created idempotently, like the embedding cache, rather than through Cohort's migrator.
    public init(store: CaseStore) throws {
        self.store = store
        try store.write { db in try db.execute(sql: Self.schema) }
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS asks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at TEXT NOT NULL,
            case_id TEXT NOT NULL,
            question TEXT NOT NULL,
            modalities TEXT NOT NULL,
            modalities_used TEXT NOT NULL,
            reranked INTEGER NOT NULL,
            prompt_version TEXT NOT NULL,
            llm_url TEXT NOT NULL,
            model TEXT,
            served_model TEXT,
            generation TEXT NOT NULL,
            encoder_hash TEXT NOT NULL,
            index_created_at TEXT NOT NULL,
            retrieved TEXT NOT NULL,
            reranked_order TEXT,
            context_ids TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('answered', 'failed')),
            diagnosis TEXT,
            answer TEXT,
            cited_ids TEXT,
            raw_response TEXT,
            error TEXT,
            timings TEXT NOT NULL,
            CHECK ((status = 'answered') = (diagnosis IS NOT NULL AND answer IS NOT NULL AND error IS NULL))
        );
        CREATE INDEX IF NOT EXISTS asks_case ON asks(case_id);
        """

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
    }

    @discardableResult
    public func record(_ e: Entry) throws -> Int64 {
        let json = JSONEncoder()
        json.outputFormatting = .sortedKeys
        func text(_ value: some Encodable) throws -> String { String(decoding: try json.encode(value), as: UTF8.self) }
        let p = e.prepared
        let arguments: StatementArguments = [
            ISO8601DateFormatter().string(from: Date()), p.request.caseID, p.request.question, p.request.modalities.key,
            p.modalitiesUsed.key, p.reranked != nil, p.promptVersion, e.llmURL, e.generation.model, e.servedModel,
            try text(e.generation), e.encoderHash, e.indexCreatedAt, try text(p.retrieved), try p.reranked.map { try text($0) },
            try text(p.context.map(\.subjectID)), e.answer == nil ? "failed" : "answered", e.answer?.diagnosis.rawValue,
            e.answer?.answer, try e.answer.map { try text($0.citedSubjectIDs) }, e.rawResponse,
            e.answer == nil ? (e.error ?? "no answer received") : nil, try text(e.timings),
        ]
        return try store.write { db in
            try db.execute(sql: """
                INSERT INTO asks (created_at, case_id, question, modalities, modalities_used, reranked, prompt_version,
                    llm_url, model, served_model, generation, encoder_hash, index_created_at, retrieved, reranked_order,
                    context_ids, status, diagnosis, answer, cited_ids, raw_response, error, timings)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: arguments)
            return db.lastInsertedRowID
        }
    }

    public func count(status: String? = nil) throws -> Int {
        try store.read { db in
            if let status { return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM asks WHERE status = ?", arguments: [status]) ?? 0 }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM asks") ?? 0
        }
    }
}
