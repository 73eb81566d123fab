import Cohort
import Foundation
import GRDB

/// Fused embeddings cached in the case store, keyed by subject, encoder (its weights hash) and requested
/// modality subset, so retrieval never re-runs the ResNets for a library case.
///
/// A subset is stored under the key that was *requested* ("t1+fa+clinical"), even when the case lacks
/// one of them (then z fuses what it has), so a lookup by the query's subset finds every case.
public struct EmbeddingCache: Sendable {
    public let store: CaseStore
    public let encoderHash: String

    public init(store: CaseStore, encoderHash: String) {
        self.store = store
        self.encoderHash = encoderHash
    }

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
        let record = try store.read { db in
            try EmbeddingRecord.fetchOne(db, key: ["subject_id": subjectID, "encoder_hash": encoderHash, "modalities": modalities.key])
        }
        return try record.map { try $0.floats(path: store.path) }
    }

    /// Every cached z of this encoder for `modalities`, by subject.
    public func embeddings(modalities: ModalitySet) throws -> [String: [Float]] {
        let records = try store.read { db in try request(modalities).fetchAll(db) }
        var out: [String: [Float]] = [:]
        for r in records { out[r.subjectID] = try r.floats(path: store.path) }
        return out
    }

    /// Visits every cached z of this encoder for `modalities` in subject-id order, one row in memory at a time
    /// (checking an index against 10⁵ embeddings no longer builds a dictionary of them all). `body` runs inside the
    /// store's read: it must not read the store itself. An error it throws ends the visit and is rethrown.
    public func forEach(modalities: ModalitySet, _ body: (String, [Float]) throws -> Void) throws {
        try store.read { db in
            let cursor = try request(modalities).order(Column("subject_id")).fetchCursor(db)
            while let record = try cursor.next() { try body(record.subjectID, try record.floats(path: store.path)) }
        }
    }

    /// Subjects with a cached z for `modalities`.
    public func cachedSubjects(modalities: ModalitySet) throws -> Set<String> {
        try store.read { db in try String.fetchSet(db, request(modalities).select(Column("subject_id"))) }
    }

    public func store(_ vector: [Float], for subjectID: String, modalities: ModalitySet) throws {
        try store([Entry(subjectID: subjectID, modalities: modalities, vector: vector)])
    }

    /// Writes (or replaces) `entries` in one transaction.
    public func store(_ entries: [Entry]) throws {
        guard !entries.isEmpty else { return }
        try store.write { db in
            for e in entries {
                try EmbeddingRecord(subjectID: e.subjectID, encoderHash: encoderHash, modalities: e.modalities.key,
                                    vector: e.vector.withUnsafeBytes { Data($0) }).save(db)
            }
        }
    }

    /// Rows of this encoder (all subsets).
    public func count() throws -> Int {
        try store.read { db in try EmbeddingRecord.filter(Column("encoder_hash") == encoderHash).fetchCount(db) }
    }

    /// Deletes embeddings made by other encoders; returns how many.
    @discardableResult
    public func removeOtherEncoders() throws -> Int {
        try store.write { db in try EmbeddingRecord.filter(Column("encoder_hash") != encoderHash).deleteAll(db) }
    }

    private func request(_ modalities: ModalitySet) -> QueryInterfaceRequest<EmbeddingRecord> {
        EmbeddingRecord.filter(Column("encoder_hash") == encoderHash && Column("modalities") == modalities.key)
    }
}

/// A row of `embeddings`: the vector as little-endian Float32, as it is in memory on every supported host.
struct EmbeddingRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "embeddings"
    var subjectID: String
    var encoderHash: String
    var modalities: String
    var vector: Data

    enum CodingKeys: String, CodingKey {
        case subjectID = "subject_id", encoderHash = "encoder_hash", modalities, vector
    }

    func floats(path: String) throws -> [Float] {
        guard vector.count % 4 == 0, !vector.isEmpty else {
            throw StoreError.corruptRow(path: path, reason: "embeddings row \(subjectID) (\(modalities)): \(vector.count) bytes is not a Float32 vector")
        }
        // One copy, not a per-element load: loading every embedding is on the path of each retrieve/ask (staleness check).
        return [Float](unsafeUninitializedCapacity: vector.count / 4) { buffer, initialized in
            initialized = vector.copyBytes(to: UnsafeMutableRawBufferPointer(buffer)) / 4
        }
    }
}
