import Foundation
import GRDB
import TextModels

/// Library cases' caption states for a late-interaction reranker, kept in the case store beside the
/// fused embeddings and keyed by subject and `CrossEncoder.interactionKey`. Stored as half floats
/// (rows × hidden), about 90 KB per case for MiniLM; a changed caption drops its row.
public struct RerankStateCache: SegmentStateStore {
    public let store: CaseStore
    public let key: String
    public let width: Int

    public init(store: CaseStore, key: String, width: Int) {
        self.store = store
        self.key = key
        self.width = width
    }

    public func states(for subjectIDs: [String]) throws -> [String: SegmentStates] {
        guard !subjectIDs.isEmpty else { return [:] }
        let records = try store.read { db in
            try RerankStateRecord.filter(Column("reranker_key") == key && subjectIDs.contains(Column("subject_id"))).fetchAll(db)
        }
        var out: [String: SegmentStates] = [:]
        for r in records {
            guard r.rows > 0, r.rows <= 4096, let states = SegmentStates(halfPrecisionData: r.states, rows: r.rows, width: width) else {
                throw StoreError.corruptRow(path: store.path, reason: "rerank_states of subject \(r.subjectID) hold \(r.states.count) bytes, "
                    + "not \(r.rows) rows of \(width) half floats")
            }
            out[r.subjectID] = states
        }
        return out
    }

    public func store(_ states: [String: SegmentStates]) throws {
        guard !states.isEmpty else { return }
        try store.write { db in
            for (id, s) in states.sorted(by: { $0.key < $1.key }) {
                try RerankStateRecord(subjectID: id, rerankerKey: key, rows: s.rows, states: s.halfPrecisionData()).save(db)
            }
        }
    }

    public func storedSubjects() throws -> Set<String> {
        try store.read { db in
            try String.fetchSet(db, RerankStateRecord.filter(Column("reranker_key") == key).select(Column("subject_id")))
        }
    }

    /// Deletes states made by other rerankers; returns how many rows.
    @discardableResult
    public func removeOtherRerankers() throws -> Int {
        try store.write { db in try RerankStateRecord.filter(Column("reranker_key") != key).deleteAll(db) }
    }
}

/// A row of `rerank_states`.
struct RerankStateRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "rerank_states"
    var subjectID: String
    var rerankerKey: String
    var rows: Int
    var states: Data

    enum CodingKeys: String, CodingKey {
        case subjectID = "subject_id", rerankerKey = "reranker_key", rows, states
    }
}
