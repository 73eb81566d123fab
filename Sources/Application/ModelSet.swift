import FusedEncoder
import Retrieval
import TextModels

/// Which models a service loads: each directory from its flag when given, else its environment variable,
/// else its default under `$MEMOIR_HOME` (the locators decide).
public struct ModelSet: Sendable {
    public var encoder: String?
    public var reranker: String?
    /// nil: rerank when a reranker is installed (or named); false: never; true: a reranker must load.
    public var rerank: Bool?

    public init(encoder: String? = nil, reranker: String? = nil, rerank: Bool? = nil) {
        self.encoder = encoder
        self.reranker = reranker
        self.rerank = rerank
    }

    public func loadEncoder() throws -> FusedEncoder { try EncoderLocator.load(explicit: encoder) }

    /// The reranker, or nil when reranking is off or, by default, when none is installed (`note` says so
    /// and what follows: `consequence`). A named reranker that cannot load is an error.
    public func loadReranker(otherwise consequence: String, note: (String) -> Void) throws -> CaseReranker? {
        switch rerank {
        case false?: return nil
        case true?: return try CaseReranker(directory: reranker)
        case nil:
            do {
                return try CaseReranker(directory: reranker)
            } catch let TextModelError.modelNotFound(searched, _) where reranker == nil {
                note("no reranker installed (searched \(searched.joined(separator: ", "))); \(consequence)")
                return nil
            }
        }
    }
}
