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

    /// A stored run as listed: when it began and ended, what decided its answers, and how many rows it holds.
    public struct RunInfo: Sendable, Equatable {
        public let id: String
        public let createdAt: String
        /// nil while the run is unfinished (interrupted, or still asking).
        public let finishedAt: String?
        public let settingsJSON: String
        public let answers: Int
        public let failed: Int
    }

    /// Every run, newest first.
    public func runs() throws -> [RunInfo] {
        try store.read { db in
            try VQARunInfoRow.fetchAll(db, sql: """
                SELECT r.id, r.created_at, r.finished_at, r.settings,
                       COUNT(a.run_id) AS answers, COALESCE(SUM(a.failed), 0) AS failed
                FROM vqa_runs r LEFT JOIN vqa_answers a ON a.run_id = r.id
                GROUP BY r.id ORDER BY r.created_at DESC, r.id
                """).map(\.info)
        }
    }

    /// One run, or nil when the store holds none with this id.
    public func run(id: String) throws -> RunInfo? {
        try store.read { db in
            try VQARunInfoRow.fetchOne(db, sql: """
                SELECT r.id, r.created_at, r.finished_at, r.settings,
                       COUNT(a.run_id) AS answers, COALESCE(SUM(a.failed), 0) AS failed
                FROM vqa_runs r LEFT JOIN vqa_answers a ON a.run_id = r.id
                WHERE r.id = ? GROUP BY r.id
                """, arguments: [id])?.info
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

/// A listed run as read (decoded, so a wrong-typed value edited in by another tool is a corrupt-row error).
struct VQARunInfoRow: Decodable, FetchableRecord {
    var id: String
    var createdAt: String
    var finishedAt: String?
    var settings: String
    var answers: Int
    var failed: Int

    enum CodingKeys: String, CodingKey { case id, createdAt = "created_at", finishedAt = "finished_at", settings, answers, failed }

    var info: VQARunStore.RunInfo {
        .init(id: id, createdAt: createdAt, finishedAt: finishedAt, settingsJSON: settings, answers: answers, failed: failed)
    }
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
