import Cohort

/// What one forward pass gives: the fused embedding, the per-modality embeddings it fused, and the
/// decoded task heads.
public struct EncoderOutput: Sendable, Equatable {
    /// The L2-normalised fused embedding [embed_dim].
    public var z: [Float]
    /// Unit-length token of each present modality, before fusion.
    public var modalityEmbeddings: [Modality: [Float]]
    public var heads: HeadPredictions
    /// The modalities that went into z.
    public var modalities: ModalitySet

    public init(z: [Float], modalityEmbeddings: [Modality: [Float]], heads: HeadPredictions, modalities: ModalitySet) {
        self.z = z
        self.modalityEmbeddings = modalityEmbeddings
        self.heads = heads
        self.modalities = modalities
    }
}
