/// What `LibraryEncoder.encodeAll` did.
public struct EncodeSummary: Sendable, Equatable {
    public struct Failure: Sendable, Equatable {
        public var subjectID: String
        public var message: String
    }

    /// (case, subset) embeddings computed and stored by this run.
    public var encoded = 0
    /// Already in the cache, left alone.
    public var alreadyCached = 0
    /// (case, subset) pairs with nothing to encode (e.g. "fa" for a case without an FA image).
    public var skipped = 0
    /// Cases that could not be encoded (unreadable image, wrong grid, …); the rest were still stored.
    public var failures: [Failure] = []

    public init() {}
}
