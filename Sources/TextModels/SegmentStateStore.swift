/// Where a late-interaction reranker keeps library cases' segment states between questions
/// (the case store's `RerankStateCache`, or memory in tests).
public protocol SegmentStateStore: Sendable {
    /// The stored states of those subjects that have them.
    func states(for subjectIDs: [String]) throws -> [String: SegmentStates]
    /// Writes (or replaces) states, all or nothing.
    func store(_ states: [String: SegmentStates]) throws
    /// Subjects that have stored states.
    func storedSubjects() throws -> Set<String>
}
