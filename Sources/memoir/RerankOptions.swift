import ArgumentParser

/// Whether the cross-encoder reorders the retrieved candidates, and which one.
///
/// On by default when a reranker is installed: the shipped domain reranker orders the top 50 by its
/// relevance plus the retrieval score and reads cached caption states, so it costs milliseconds
/// (measurements in Models/README.md). --no-rerank keeps the fused embedding's own order.
struct RerankOptions: ParsableArguments {
    @Flag(inversion: .prefixedNo,
          help: "Rerank the retrieved candidates with the cross-encoder before taking the context (MEMOIR's rerank stage). Default: on when a reranker is installed; --rerank makes a missing one an error.")
    var rerank: Bool?

    @Option(help: "Reranker directory, any Hugging Face BertForSequenceClassification layout or a weight overlay (default: $MEMOIR_RERANKER_DIR, else $MEMOIR_HOME/models/reranker-minilm-adni).")
    var reranker: String?
}
