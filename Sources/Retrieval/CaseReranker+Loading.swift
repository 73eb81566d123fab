import TextModels

extension CaseReranker {
    /// Loads the reranker found by `RerankerLocator` (flag → $MEMOIR_RERANKER_DIR → $MEMOIR_HOME default).
    /// A weight overlay is merged over its base, found from `baseDirectory` or as `WeightOverlay` describes.
    public init(directory: String? = nil, baseDirectory: String? = nil, maxLength: Int = 512) throws {
        let resolved = try RerankerLocator.directory(explicit: directory)
        self.init(crossEncoder: try CrossEncoder(directory: resolved, baseDirectory: baseDirectory, maxLength: maxLength))
    }
}
