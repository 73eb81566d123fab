import ArgumentParser
import Foundation
import TextModels

struct Rerank: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score passages against a query with a BERT cross-encoder (BertForSequenceClassification).",
        discussion: """
        Any Hugging Face BertForSequenceClassification directory works (e.g. ms-marco-MiniLM-L-6-v2). \
        A directory holding only some tensors (a fine-tuned head) takes the rest from --base-weights. \
        Prints passages best first; with --json one object per line, {"index", "passage", "score", "logits"}, best first.
        """)

    @Option(help: "Cross-encoder directory (config.json, vocab.txt, model.safetensors); required.")
    var reranker: String?

    @OptionGroup var renamed: RenamedRerankerOption

    @Option(name: .customLong("base-weights"), help: "Safetensors file supplying tensors the model directory lacks (repeatable).")
    var baseWeights: [String] = []

    @Option(help: "The query text.")
    var query: String

    @Option(help: "Maximum pair length in tokens.")
    var maxLength = 512

    @Flag(help: "Emit JSON lines.")
    var json = false

    @OptionGroup var source: TextInput

    func validate() throws {
        guard reranker != nil else { throw ValidationError("give the cross-encoder with --reranker DIR") }
        // [CLS] query [SEP] passage [SEP] needs 3 positions; the tokenizer would trap on fewer.
        guard BertConfig.sequenceLengthRange.contains(maxLength) else {
            throw ValidationError("--max-length must be in \(BertConfig.sequenceLengthRange.lowerBound)…\(BertConfig.sequenceLengthRange.upperBound)")
        }
    }

    func run() throws {
        guard !query.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--query is empty") }
        guard let reranker else { throw ValidationError("give the cross-encoder with --reranker DIR") }
        let passages = try source.resolve()
        let encoder = try CrossEncoder(directory: reranker, baseWeights: baseWeights, maxLength: maxLength)
        let logits = try encoder.logits(query: query, passages: passages)
        let scores = logits.map(CrossEncoder.relevance(of:))
        let ranked = scores.indices.sorted { scores[$0] > scores[$1] }
        for i in ranked {
            if json {
                try JSONLines.emit(ScoreLine(index: i, passage: passages[i], score: scores[i], logits: logits[i]))
            } else {
                print("\(scores[i])\t\(passages[i])")
            }
        }
    }

    struct ScoreLine: Encodable { let index: Int; let passage: String; let score: Float; let logits: [Float] }
}
