/// Progress of `LibraryEncoder.encodeAll`, reported after each stored batch.
public struct EncodeProgress: Sendable, Equatable {
    /// Cases finished (encoded, skipped or failed) out of `total` cases that needed work.
    public var done: Int
    public var total: Int

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }
}
