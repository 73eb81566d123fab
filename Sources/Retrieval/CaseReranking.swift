/// The rerank step as the answering pipeline sees it: a seam, so tests and other rerankers can stand in.
public protocol CaseReranking: Sendable {
    /// Where the reranker came from (a directory, or a test's name): recorded with evaluation runs.
    var identity: String { get }
    /// All candidates with their scores, best first.
    func rerank(query: String, candidates: [CaseReranker.Candidate]) throws -> [CaseReranker.Ranked]
}

extension CaseReranker: CaseReranking {
    public var identity: String { crossEncoder.directory }
}
