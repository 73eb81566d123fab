import Cohort
import FusedEncoder
import Store

/// `memoir predict` for any front door: the fused encoder's heads on a stored case. Predictions are
/// cached per case and modality subset, since the encoder is the slowest thing a viewer asks for.
public struct CasePredictor: Sendable {
    public let store: CaseStore
    public let encoder: FusedEncoder
    private let cache: LRUCache<String, CasePrediction>

    public init(store: CaseStore, encoder: FusedEncoder, cacheSize: Int = 256) {
        self.store = store
        self.encoder = encoder
        cache = LRUCache(capacity: cacheSize)
    }

    public func predict(caseID: String, modalities: ModalitySet = .all) throws -> CasePrediction {
        let record = try store.storedCase(caseID).record
        return try cache.value(for: caseID + "|" + modalities.key) { try encoder.predict(record, modalities: modalities) }
    }
}
