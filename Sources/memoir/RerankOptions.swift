import ArgumentParser

/// Whether the cross-encoder reorders the retrieved candidates, and which one.
///
/// Off by default: on the synthetic cohort the shipped domain reranker lowers precision@5 of
/// same-diagnosis context below the fused embedding's own order and costs seconds per question on
/// two cores (measurements in Models/README.md), so embedding order is the better default there.
struct RerankOptions: ParsableArguments {
    @Flag(help: "Rerank the retrieved candidates with the cross-encoder before taking the context (MEMOIR's rerank stage).")
    var rerank = false

    @Option(help: "Reranker directory, any Hugging Face BertForSequenceClassification layout or a weight overlay (default: $MEMOIR_RERANKER_DIR, else $MEMOIR_HOME/models/reranker-minilm-adni).")
    var reranker: String?
}
