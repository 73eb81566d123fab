import Store
import TextModels

extension RerankStateCache {
    /// The state cache for a late-interaction `crossEncoder` (keyed by its interaction key; an ordinary
    /// cross-encoder gets a key that no state is stored under, and never stores any).
    public init(store: CaseStore, crossEncoder: CrossEncoder) {
        self.init(store: store, key: crossEncoder.interactionKey ?? "none", width: crossEncoder.model.config.hiddenSize)
    }
}
