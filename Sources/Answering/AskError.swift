/// Why a question was not asked, or not answered.
public enum AskError: Error, Equatable, CustomStringConvertible {
    case emptyQuestion
    case questionTooLong(bytes: Int, limit: Int)
    case invalidOption(String)
    /// The index holds none of the cases a query could be compared with.
    case emptyIndex(directory: String)
    /// An indexed case is missing from the store (the index belongs to another cohort).
    case indexedCaseMissing(subjectID: String, directory: String)
    /// The LLM's reply could not be read as an answer (the raw text is in the ask log); the verdict says
    /// whether it was cut at the token budget or degenerate, so an evaluation can count it.
    case unreadableAnswer(String, verdict: Verdict? = nil)
    /// The reranker or its state cache cannot be used.
    case reranker(String)

    public var description: String {
        switch self {
        case .emptyQuestion: "the question is empty"
        case let .questionTooLong(bytes, limit): "the question is \(bytes) bytes; the limit is \(limit)"
        case let .invalidOption(reason): reason
        case let .emptyIndex(directory): "the case index at \(directory) is empty; rebuild it with `memoir index`"
        case let .indexedCaseMissing(id, directory):
            "the case index at \(directory) holds subject \(id), which the case store does not; rebuild it with `memoir index`"
        case let .unreadableAnswer(reason, _): "the LLM's reply is not a usable answer: \(reason)"
        case let .reranker(reason): "reranker: \(reason)"
        }
    }
}
