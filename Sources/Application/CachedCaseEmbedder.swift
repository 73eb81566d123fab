import Cohort
import FusedEncoder
import Store

/// The store's embedding cache in front of the fused encoder: a cached z when there is one, else the
/// encoder's, stored for next time.
public struct CachedCaseEmbedder: CaseEmbedding {
    public let encoder: FusedEncoder
    public let cache: EmbeddingCache

    public init(encoder: FusedEncoder, store: CaseStore) {
        self.encoder = encoder
        cache = EmbeddingCache(store: store, encoderHash: encoder.weightsHash)
    }

    public var encoderHash: String { encoder.weightsHash }

    public func embedding(of record: CaseRecord, modalities: ModalitySet) throws -> (vector: [Float], computed: Bool) {
        if let cached = try cache.embedding(for: record.subjectID, modalities: modalities) { return (cached, false) }
        let z = try encoder.encode(record, modalities: modalities).z
        try cache.store(z, for: record.subjectID, modalities: modalities)
        return (z, true)
    }
}
