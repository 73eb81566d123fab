import Cohort
import Foundation
import GRDB
import Retrieval
import TextModels

/// Library cases' caption states for a late-interaction reranker, kept in the case store beside the
/// fused embeddings and keyed by subject and `CrossEncoder.interactionKey`. Stored as half floats
/// (rows × hidden), about 90 KB per case for MiniLM; a changed caption drops its row.
public final class RerankStateCache: SegmentStateStore {
    public let store: CaseStore
    public let key: String
    public let width: Int

    public init(store: CaseStore, key: String, width: Int) throws {
        self.store = store
        self.key = key
        self.width = width
        try store.write { db in try db.execute(sql: Self.schema) }
    }

    /// The cache for `crossEncoder`, which must be late-interaction.
    public convenience init(store: CaseStore, crossEncoder: CrossEncoder) throws {
        guard let key = crossEncoder.interactionKey else {
            throw AskError.reranker("\(crossEncoder.directory) reads query and caption together (no memoir_join_layer): nothing to cache")
        }
        try self.init(store: store, key: key, width: crossEncoder.model.config.hiddenSize)
    }

    /// Created idempotently, like the embeddings table (the migrator belongs to Cohort).
    static let schema = """
        CREATE TABLE IF NOT EXISTS rerank_states (
            subject_id TEXT NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
            reranker_key TEXT NOT NULL,
            rows INTEGER NOT NULL,
            states BLOB NOT NULL,
            PRIMARY KEY (subject_id, reranker_key)
        );
        CREATE TRIGGER IF NOT EXISTS rerank_states_stale AFTER UPDATE ON subjects
        WHEN OLD.caption IS NOT NEW.caption
        BEGIN
            DELETE FROM rerank_states WHERE subject_id = NEW.id;
        END;
        """

    public func states(for subjectIDs: [String]) throws -> [String: SegmentStates] {
        guard !subjectIDs.isEmpty else { return [:] }
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT subject_id, rows, states FROM rerank_states
                WHERE reranker_key = ? AND subject_id IN (\(Array(repeating: "?", count: subjectIDs.count).joined(separator: ",")))
                """, arguments: StatementArguments([key] + subjectIDs))
        }
        var out: [String: SegmentStates] = [:]
        for row in rows {
            let id: String = row["subject_id"]
            let data: Data = row["states"]
            guard let states = SegmentStates(halfPrecisionData: data, rows: row["rows"], width: width) else {
                throw AskError.reranker("\(store.path): rerank_states of subject \(id) hold \(data.count) bytes, not \(row["rows"] as Int) rows of \(width) half floats")
            }
            out[id] = states
        }
        return out
    }

    public func store(_ states: [String: SegmentStates]) throws {
        guard !states.isEmpty else { return }
        try store.write { db in
            for (id, s) in states.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT OR REPLACE INTO rerank_states (subject_id, reranker_key, rows, states) VALUES (?, ?, ?, ?)",
                               arguments: [id, key, s.rows, s.halfPrecisionData()])
            }
        }
    }

    /// Subjects with stored states for this reranker.
    public func cachedSubjects() throws -> Set<String> {
        Set(try store.read { db in
            try String.fetchAll(db, sql: "SELECT subject_id FROM rerank_states WHERE reranker_key = ?", arguments: [key])
        })
    }

    /// Deletes states made by other rerankers; returns how many rows.
    @discardableResult
    public func removeOtherRerankers() throws -> Int {
        try store.write { db in
            try db.execute(sql: "DELETE FROM rerank_states WHERE reranker_key != ?", arguments: [key])
            return db.changesCount
        }
    }
}
