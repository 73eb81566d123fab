/// Why a case index cannot be built, loaded or searched.
public enum CaseIndexError: Error, CustomStringConvertible, Equatable {
    case missing(directory: String)
    case corrupt(path: String, reason: String)
    case mismatch(directory: String, reason: String)
    /// The store's embeddings for the indexed cases are no longer the ones indexed.
    case stale(directory: String, reason: String)
    case badVector(subjectID: String, reason: String)
    case empty

    public var description: String {
        switch self {
        case let .missing(d): "no case index at \(d); build it with `memoir index --db PATH`"
        case let .corrupt(p, r): "\(p): \(r)"
        case let .mismatch(d, r): "the case index at \(d) does not match the case store: \(r); rebuild it with `memoir index --db PATH`"
        case let .stale(d, r): "the case index at \(d) is stale: \(r); re-run `memoir index --db PATH` to rebuild it"
        case let .badVector(id, r): "embedding of \(id): \(r)"
        case .empty: "no training-split embeddings to index; ingest a cohort first"
        }
    }
}
