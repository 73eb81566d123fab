import Cohort
import Foundation
import GRDB

/// VQA evaluation runs in the case store. A run is identified by the hash of everything that decides its
/// answers (QA file, backbones, modality subsets, encoder, index, reranker, prompt, sampling), so re-running
/// the same command resumes it: each answer is written as soon as it arrives, and finished rows are skipped.
public struct VQARunStore: Sendable {
    public let store: CaseStore

    public init(store: CaseStore) throws {
        self.store = store
        try store.write { db in try db.execute(sql: Self.schema) }
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS vqa_runs (
            id TEXT PRIMARY KEY NOT NULL,
            created_at TEXT NOT NULL,
            finished_at TEXT,
            settings TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS vqa_answers (
            run_id TEXT NOT NULL REFERENCES vqa_runs(id) ON DELETE CASCADE,
            qa_id TEXT NOT NULL,
            backbone TEXT NOT NULL,
            modalities TEXT NOT NULL,
            result TEXT NOT NULL,
            failed INTEGER NOT NULL,
            ask_id INTEGER,
            PRIMARY KEY (run_id, qa_id, backbone, modalities)
        );
        """

    /// Creates the run unless it exists; returns whether it did.
    @discardableResult
    public func open(runID: String, settings: [EvaluationResults.Setting]) throws -> Bool {
        let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        return try store.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO vqa_runs (id, created_at, settings) VALUES (?, ?, ?)",
                           arguments: [runID, ISO8601DateFormatter().string(from: Date()), json])
            return db.changesCount == 1
        }
    }

    /// Rows already answered (failed rows are retried on resume, so they are not returned).
    public func finishedKeys(runID: String) throws -> Set<String> {
        try store.read { db in
            Set(try Row.fetchAll(db, sql: "SELECT qa_id, backbone, modalities FROM vqa_answers WHERE run_id = ? AND failed = 0",
                                 arguments: [runID]).map { Self.key($0["qa_id"], $0["backbone"], $0["modalities"]) })
        }
    }

    public func record(runID: String, result: QuestionResult, askID: Int64?) throws {
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        try store.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO vqa_answers (run_id, qa_id, backbone, modalities, result, failed, ask_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [runID, result.qaID, result.backbone, result.modalities, json, result.error != nil, askID])
        }
    }

    public func results(runID: String) throws -> [QuestionResult] {
        let rows = try store.read { db in
            try String.fetchAll(db, sql: "SELECT result FROM vqa_answers WHERE run_id = ? ORDER BY rowid", arguments: [runID])
        }
        return try rows.map { try JSONDecoder().decode(QuestionResult.self, from: Data($0.utf8)) }
    }

    public func finish(runID: String) throws {
        try store.write { db in
            try db.execute(sql: "UPDATE vqa_runs SET finished_at = ? WHERE id = ?",
                           arguments: [ISO8601DateFormatter().string(from: Date()), runID])
        }
    }

    public static func key(_ qaID: String, _ backbone: String, _ modalities: String) -> String {
        qaID + "\u{1F}" + backbone + "\u{1F}" + modalities
    }
}
