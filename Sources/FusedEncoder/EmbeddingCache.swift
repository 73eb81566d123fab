import Cohort
import Foundation
import GRDB

/// Fused embeddings cached in the case store, keyed by subject, encoder (`FusedEncoder.weightsHash`)
/// and requested modality subset, so retrieval never re-runs the ResNets for a library case.
///
/// A subset is stored under the key that was *requested* ("t1+fa+clinical"), even when the case lacks
/// one of them (then z fuses what it has), so a lookup by the query's subset finds every case.
public final class EmbeddingCache: Sendable {
    public let store: CaseStore
    public let encoderHash: String

    /// Opens the cache for one encoder, creating its table (and the invalidation trigger) if needed.
    public init(store: CaseStore, encoderHash: String) throws {
        self.store = store
        self.encoderHash = encoderHash
        try store.write { db in try db.execute(sql: Self.schema) }
    }

    public convenience init(store: CaseStore, encoder: FusedEncoder) throws {
        try self.init(store: store, encoderHash: encoder.weightsHash)
    }

    /// Created idempotently rather than through CaseStoreSchema's migrator, which belongs to Cohort.
    /// Rows go with their subject, and a re-ingest that changes a case's encoder inputs drops them.
    static let schema = """
        CREATE TABLE IF NOT EXISTS embeddings (
            subject_id TEXT NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
            encoder_hash TEXT NOT NULL,
            modalities TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (subject_id, encoder_hash, modalities)
        );
        CREATE TRIGGER IF NOT EXISTS embeddings_stale AFTER UPDATE ON subjects
        WHEN OLD.t1_path IS NOT NEW.t1_path OR OLD.fa_path IS NOT NEW.fa_path OR OLD.adas11 IS NOT NEW.adas11
            OR OLD.adas13 IS NOT NEW.adas13 OR OLD.mmse IS NOT NEW.mmse OR OLD.moca IS NOT NEW.moca OR OLD.apoe IS NOT NEW.apoe
        BEGIN
            DELETE FROM embeddings WHERE subject_id = NEW.id;
        END;
        """

    /// One cached vector.
    public struct Entry: Sendable, Equatable {
        public var subjectID: String
        public var modalities: ModalitySet
        public var vector: [Float]

        public init(subjectID: String, modalities: ModalitySet, vector: [Float]) {
            self.subjectID = subjectID
            self.modalities = modalities
            self.vector = vector
        }
    }

    /// The cached z, or nil.
    public func embedding(for subjectID: String, modalities: ModalitySet) throws -> [Float]? {
        let blob = try store.read { db in
            try Data.fetchOne(db, sql: "SELECT vector FROM embeddings WHERE subject_id = ? AND encoder_hash = ? AND modalities = ?",
                              arguments: [subjectID, encoderHash, modalities.key])
        }
        return try blob.map { try Self.decode($0, subject: subjectID) }
    }

    /// The cached z of `record` for `modalities`, else computed by `encoder` (this cache's) and stored.
    public func embedding(of record: CaseRecord, modalities: ModalitySet, encoder: FusedEncoder) throws -> (vector: [Float], computed: Bool) {
        if let cached = try embedding(for: record.subjectID, modalities: modalities) { return (cached, false) }
        guard encoder.weightsHash == encoderHash else {
            throw EncoderError.cache("encoder \(encoder.weightsHash.prefix(12)) does not match this cache's \(encoderHash.prefix(12))")
        }
        let z = try encoder.encode(record, modalities: modalities).z
        try store(z, for: record.subjectID, modalities: modalities)
        return (z, true)
    }

    /// Every cached z of this encoder for `modalities`, by subject.
    public func embeddings(modalities: ModalitySet) throws -> [String: [Float]] {
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT subject_id, vector FROM embeddings WHERE encoder_hash = ? AND modalities = ?",
                             arguments: [encoderHash, modalities.key])
        }
        var out: [String: [Float]] = [:]
        for row in rows {
            let id: String = row["subject_id"]
            out[id] = try Self.decode(row["vector"], subject: id)
        }
        return out
    }

    /// Subjects with a cached z for `modalities`.
    public func cachedSubjects(modalities: ModalitySet) throws -> Set<String> {
        Set(try store.read { db in
            try String.fetchAll(db, sql: "SELECT subject_id FROM embeddings WHERE encoder_hash = ? AND modalities = ?",
                                arguments: [encoderHash, modalities.key])
        })
    }

    public func store(_ vector: [Float], for subjectID: String, modalities: ModalitySet) throws {
        try store([Entry(subjectID: subjectID, modalities: modalities, vector: vector)])
    }

    /// Writes (or replaces) `entries` in one transaction.
    public func store(_ entries: [Entry]) throws {
        guard !entries.isEmpty else { return }
        try store.write { db in
            for e in entries {
                try db.execute(sql: "INSERT OR REPLACE INTO embeddings (subject_id, encoder_hash, modalities, vector) VALUES (?, ?, ?, ?)",
                               arguments: [e.subjectID, encoderHash, e.modalities.key, Self.encode(e.vector)])
            }
        }
    }

    /// Rows of this encoder (all subsets).
    public func count() throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM embeddings WHERE encoder_hash = ?", arguments: [encoderHash]) ?? 0 }
    }

    /// Deletes embeddings made by other encoders; returns how many.
    @discardableResult
    public func removeOtherEncoders() throws -> Int {
        try store.write { db in
            try db.execute(sql: "DELETE FROM embeddings WHERE encoder_hash != ?", arguments: [encoderHash])
            return db.changesCount
        }
    }

    // MARK: Vector blobs: little-endian Float32, as the vector is in memory on every supported host.

    static func encode(_ vector: [Float]) -> Data {
        vector.withUnsafeBytes { Data($0) }
    }

    static func decode(_ blob: Data, subject: String) throws -> [Float] {
        guard blob.count % 4 == 0 else { throw EncoderError.cache("subject \(subject): stored vector of \(blob.count) bytes is not Float32") }
        return blob.withUnsafeBytes { raw in (0..<(blob.count / 4)).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
    }
}
