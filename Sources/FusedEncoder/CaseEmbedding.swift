import Cohort

/// Where a case's fused embedding comes from: the encoder itself, or a cache in front of it. A seam, so
/// the answering pipeline and retrieval can be tested without the ResNets.
public protocol CaseEmbedding: Sendable {
    /// The weights hash of the encoder the vectors come from (indexes are checked against it).
    var encoderHash: String { get }
    /// z for `record` using `modalities`; `computed` is false when it came from a cache.
    func embedding(of record: CaseRecord, modalities: ModalitySet) throws -> (vector: [Float], computed: Bool)
}

extension FusedEncoder: CaseEmbedding {
    public var encoderHash: String { weightsHash }

    public func embedding(of record: CaseRecord, modalities: ModalitySet) throws -> (vector: [Float], computed: Bool) {
        (try encode(record, modalities: modalities).z, true)
    }
}
