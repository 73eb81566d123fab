import Answering
import Application
import ArgumentParser
import Cohort
import Evaluation
import Foundation
import FusedEncoder

struct EvalRetrieval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval",
        abstract: "Precision@k of same-diagnosis neighbours (embedding alone and reranked) and pre-LLM latency per stage.",
        discussion: """
        Every case of --split is a query, asked --question through the same path as `memoir ask` up to the \
        prompt (no LLM). Reports precision of the context by cosine alone and after the cross-encoder, the \
        same-diagnosis share among all candidates (the ceiling for any reranker), chance level, and the \
        median / p95 seconds of embed, search, rerank and prompt. Query embeddings come from the cache when \
        present (run `memoir encode --split test` first to measure the cached path).
        """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var indexOptions: IndexOptions

    @Option(help: "Split whose cases are the queries.")
    var split: Split = .test

    @Option(help: "The question asked for every query (the reranker reads it).")
    var question = "What is the most likely diagnosis for this subject?"

    @Option(help: "Modalities of the query cases.")
    var modalities: ModalitySet = .all

    @Option(help: "Neighbours retrieved from the index.")
    var candidates = 50

    @Option(help: "Neighbours kept as context (k of precision@k).")
    var context = 5

    @Option(help: "Only the first N query cases.")
    var limit: Int?

    @OptionGroup var rerankOptions: RerankOptions

    @Option(help: "Fused encoder directory (default: see `memoir encode --help`).")
    var encoder: String?

    @Flag(help: "Emit one JSON object.")
    var json = false

    func run() throws {
        let pipeline = try AskService.load(store: try store.open(), indexDirectory: indexOptions.index,
                                           models: ModelSet(encoder: encoder, reranker: rerankOptions.reranker, rerank: rerankOptions.rerank),
                                           prompts: nil, promptVersion: PromptTemplate.currentVersion, note: Notes.print).pipeline
        let bar = ProgressBar(label: "queries")
        let result = try RetrievalEvaluation.run(pipeline: pipeline, split: split, question: question, modalities: modalities,
                                                 candidates: candidates, contextSize: context, limit: limit) { bar.update($0, $1) }
        if json {
            try JSONLines.emit(result)
            return
        }
        print("\(result.queries) \(split.rawValue) queries against \(result.indexSize) indexed cases (\(result.modalities)), top \(result.candidates) → \(result.contextSize)")
        print(String(format: "precision@%d  embedding %.3f", context, result.precisionEmbedding)
            + (result.precisionReranked.map { String(format: "   reranked %.3f", $0) } ?? "")
            + String(format: "   (all %d candidates %.3f, chance %.3f)", candidates, result.precisionCandidates, result.precisionChance))
        for (dx, p) in result.precisionByDiagnosis.sorted(by: { $0.key < $1.key }) { print(String(format: "  %@: %.3f", dx, p)) }
        for stage in ["embed", "search", "rerank", "prompt", "before_llm"] {
            guard let l = result.latency[stage] else { continue }
            print(stage.padding(toLength: 11, withPad: " ", startingAt: 0) + String(format: "median %8.1f ms   p95 %8.1f ms", l.median * 1000, l.p95 * 1000))
        }
    }
}
