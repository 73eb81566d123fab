import TextModels

/// Where a late-interaction reranker keeps library cases' segment states between questions
/// (the case store, in `Answering.RerankStateCache`).
public protocol SegmentStateStore: Sendable {
    /// The stored states of those subjects that have them.
    func states(for subjectIDs: [String]) throws -> [String: SegmentStates]
    /// Writes (or replaces) states, all or nothing.
    func store(_ states: [String: SegmentStates]) throws
}
