import Cohort

/// The encoder's five heads on a case, as the evidence shows them: a seam beside `CaseEmbedding`.
public protocol CasePredicting: Sendable {
    func predict(_ record: CaseRecord, modalities: ModalitySet) throws -> CasePrediction
    /// The CDR-SB head's test-split mean absolute error for `modalities`, when known.
    func cdrsbTestError(modalities: ModalitySet) -> Double?
}

extension FusedEncoder: CasePredicting {
    public func cdrsbTestError(modalities: ModalitySet) -> Double? { testMetrics?.cdrsbMAE[modalities.key] }
}
