import Foundation
import GRDB

/// VQA evaluation runs in the case store. A run is identified by the hash of everything that decides its
/// answers, so re-running the same command resumes it: each answer is written as soon as it arrives, and
/// finished rows are skipped. Results are stored as the caller's JSON (`Evaluation.QuestionResult`).
public struct VQARunStore: Sendable {
    public let store: CaseStore

    public init(store: CaseStore) { self.store = store }

    /// Creates the run unless it exists; returns whether it did.
    @discardableResult
    public func open(runID: String, settingsJSON: String) throws -> Bool {
        try store.write { db in
            guard try VQARunRecord.fetchOne(db, key: runID) == nil else { return false }
            try VQARunRecord(id: runID, createdAt: ISO8601DateFormatter().string(from: Date()), finishedAt: nil, settings: settingsJSON).insert(db)
            return true
        }
    }

    /// Rows already answered (failed rows are retried on resume, so they are not returned).
    public func finishedKeys(runID: String) throws -> Set<String> {
        try store.read { db in
            Set(try VQAAnswerRecord.filter(Column("run_id") == runID && Column("failed") == false).fetchAll(db)
                .map { Self.key($0.qaID, $0.backbone, $0.modalities) })
        }
    }

    public func record(runID: String, qaID: String, backbone: String, modalities: String, resultJSON: String, failed: Bool,
                       askID: Int64?) throws {
        try store.write { db in
            try VQAAnswerRecord(runID: runID, qaID: qaID, backbone: backbone, modalities: modalities, result: resultJSON,
                                failed: failed, askID: askID).save(db)
        }
    }

    /// The run's result JSON, in the order first written.
    public func resultsJSON(runID: String) throws -> [String] {
        try store.read { db in
            try String.fetchAll(db, sql: "SELECT result FROM vqa_answers WHERE run_id = ? ORDER BY rowid", arguments: [runID])
        }
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

struct VQARunRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "vqa_runs"
    var id: String
    var createdAt: String
    var finishedAt: String?
    var settings: String

    enum CodingKeys: String, CodingKey { case id, createdAt = "created_at", finishedAt = "finished_at", settings }
}

struct VQAAnswerRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "vqa_answers"
    var runID: String
    var qaID: String
    var backbone: String
    var modalities: String
    var result: String
    var failed: Bool
    var askID: Int64?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", qaID = "qa_id", backbone, modalities, result, failed, askID = "ask_id"
    }
}
