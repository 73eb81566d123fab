import Foundation
import Numerics
import TextModels

/// BERTScore (Zhang et al. 2020) computed as the bert-score package 0.3.13 computes it, on any
/// BERT-architecture Hugging Face model directory (`config.json`, `vocab.txt`,
/// `model.safetensors`, optionally `tokenizer_config.json`).
///
/// Each text is stripped, encoded `[CLS] pieces [SEP]` and truncated to the tokenizer's
/// `model_max_length` (capped at `max_position_embeddings`); the model keeps its first `layer`
/// encoder layers (0: the embedding output) and the token vectors of that layer are matched
/// greedily (`GreedyMatcher`), weighted by `IDFWeights` computed from the references (or uniform).
/// No baseline rescaling. Identical texts are embedded once.
///
/// Default layer: bert-score's `model2layers` does not list all-MiniLM-L6-v2. Memoir uses
/// layer 5 of 6, the layer the package tuned (on WMT16 human judgements) for every 6-layer
/// uncased BERT it lists (google/bert_uncased_L-6_H-128/256/512/768: 5; distilbert-base-uncased,
/// also 6 layers: 5): the last layer is specialised for the training objective (here mean-pooled
/// sentence similarity), the one below it keeps more token-level meaning.
public struct BERTScorer: Sendable {
    /// The bert-score release this reproduces; its hash strings say "version=0.3.12" because the
    /// package's `__version__` was not bumped for 0.3.13, and ours say the same so the two compare.
    public static let packageVersion = "0.3.13"
    public static let packageHashVersion = "0.3.12"
    /// Bumped when Memoir's computation changes.
    public static let implementationVersion = 1
    /// The package's default `batch_size`: pairs are matched 64 at a time, which decides padding.
    public static let packageBatchSize = 64

    /// Tuned layers for BERT models whose folder names we know (from bert-score's model2layers,
    /// MiniLM argued above).
    public static let defaultLayers: [String: Int] = [
        "all-MiniLM-L6-v2": 5, "paraphrase-MiniLM-L6-v2": 5, "MiniLM-L6-H384-uncased": 5,
        "bert-base-uncased": 9, "bert-large-uncased": 18, "bert-base-multilingual-cased": 9, "bert-base-chinese": 8,
    ]

    public let modelName: String
    public let layer: Int
    public let model: BertModel
    public let tokenizer: WordPieceTokenizer
    public let maxLength: Int
    /// Texts per forward pass (at most `maxBatchTokens` tokens); speed only.
    public var batchSize = 64
    public var maxBatchTokens = 8192

    public init(modelDirectory directory: String, layer: Int? = nil) throws {
        try ModelLocator.checkModelFiles(in: directory)
        let config = try BertConfig(contentsOf: directory + "/config.json")
        let name = URL(fileURLWithPath: directory).standardized.lastPathComponent
        guard let chosen = layer ?? Self.defaultLayers[name] else {
            throw EvaluationError.invalidInput(source: directory, detail: "no default BERTScore layer for model '\(name)'; pass --layer (0...\(config.layerCount))")
        }
        guard (0...config.layerCount).contains(chosen) else {
            throw EvaluationError.invalidInput(source: "--layer", detail: "layer \(chosen) outside 0...\(config.layerCount) for \(name)")
        }
        let tokenizerConfig = Self.json(directory + "/tokenizer_config.json")
        self.modelName = name
        self.layer = chosen
        self.model = try BertModel(config: config, weights: WeightStore(paths: [directory + "/model.safetensors"]))
            .truncated(toLayers: chosen)
        self.tokenizer = try WordPieceTokenizer(vocabularyFile: directory + "/vocab.txt",
                                                lowercase: tokenizerConfig?["do_lower_case"] as? Bool ?? true)
        let declared = tokenizerConfig?["model_max_length"] as? Int ?? config.maxPositions
        self.maxLength = max(2, min(declared, config.maxPositions))
    }

    /// bert-score's hash string: `<model>_L<layer>_idf|_no-idf_version=0.3.12(memoir-swift=<n>)`,
    /// the package's `(hug_trans=<transformers version>)` replaced by our implementation version
    /// and the model named by its folder.
    public func hashCode(idf: Bool) -> String {
        "\(modelName)_L\(layer)\(idf ? "_idf" : "_no-idf")_version=\(Self.packageHashVersion)(memoir-swift=\(Self.implementationVersion))"
    }

    /// What the package feeds the model for `text`.
    public func encode(_ text: String) -> TokenizedInput {
        tokenizer.encode(text.trimmingCharacters(in: .whitespacesAndNewlines), maxLength: maxLength)
    }

    /// P/R/F for each (candidate, reference) pair, in order. `progress(done, total)` counts
    /// distinct texts embedded.
    public func score(candidates: [String], references: [String], idf: Bool,
                      progress: ((Int, Int) -> Void)? = nil) throws -> [BERTScore] {
        guard candidates.count == references.count else {
            throw EvaluationError.invalidInput(source: "BERTScore", detail: "\(candidates.count) candidates but \(references.count) references")
        }
        guard !candidates.isEmpty else { return [] }
        let candidateInputs = candidates.map(encode), referenceInputs = references.map(encode)
        let candidateIDs = candidateInputs.map(\.ids), referenceIDs = referenceInputs.map(\.ids)

        // Distinct encodings, embedded once each.
        var slots: [[Int32]: Int] = [:]
        var distinct: [TokenizedInput] = []
        for input in candidateInputs + referenceInputs where slots[input.ids] == nil {
            slots[input.ids] = distinct.count
            distinct.append(input)
        }
        let slot = slots
        let matrices = try embed(distinct, progress: progress)

        let vocabulary = tokenizer.vocabulary
        let weights = idf ? IDFWeights(references: referenceIDs)
                          : IDFWeights(uniformExcept: [vocabulary.classifierID, vocabulary.separatorID])
        let distinctWeights = distinct.map { $0.ids.map(weights.weight) }

        // Longest candidate and reference of each batch of pairs, for the padding quirk.
        let batches = stride(from: 0, to: candidates.count, by: Self.packageBatchSize).map { start in
            let range = start..<min(start + Self.packageBatchSize, candidates.count)
            return (range.map { candidateIDs[$0].count }.max()!, range.map { referenceIDs[$0].count }.max()!)
        }
        let longest = distinct.map(\.count).max() ?? 0
        // Contiguous runs of pairs, one per thread, each matched with one scratch matrix.
        let runs = max(1, min(Parallel.threadCount, candidates.count / 16))
        let chunks = (0..<runs).map { c in (candidates.count * c / runs)..<(candidates.count * (c + 1) / runs) }
        let scored = Parallel.map(chunks, singleThreadedBLAS: true) { chunk in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(1, longest * longest))
            defer { scratch.deallocate() }
            return chunk.map { k in
                let (c, r) = (slot[candidateIDs[k]]!, slot[referenceIDs[k]]!)
                let (longestCandidate, longestReference) = batches[k / Self.packageBatchSize]
                let candidate = GreedyMatcher.Side(tokens: matrices[c], weights: distinctWeights[c],
                                                   padded: matrices[c].count < longestCandidate)
                let reference = GreedyMatcher.Side(tokens: matrices[r], weights: distinctWeights[r],
                                                   padded: matrices[r].count < longestReference)
                return GreedyMatcher.score(candidate: candidate, reference: reference, scratch: scratch)
            }
        }
        return scored.flatMap { $0.get() }
    }

    /// Layer-`layer` token vectors of each encoding, normalised; longest first in batches.
    func embed(_ encodings: [TokenizedInput], progress: ((Int, Int) -> Void)?) throws -> [TokenMatrix] {
        let order = encodings.indices.sorted { encodings[$0].count > encodings[$1].count }
        var matrices = [TokenMatrix?](repeating: nil, count: encodings.count)
        var start = 0
        while start < order.count {
            var end = start, tokens = 0
            while end < order.count, end - start < max(1, batchSize),
                  end == start || tokens + encodings[order[end]].count <= maxBatchTokens {
                tokens += encodings[order[end]].count
                end += 1
            }
            let batch = Array(order[start..<end])
            let states = try model.hiddenStates(batch.map { encodings[$0] })
            for (position, index) in batch.enumerated() {
                let rows = states.rows(of: position)
                matrices[index] = TokenMatrix(ids: encodings[index].ids,
                                              states: states.states[(rows.lowerBound * states.width)..<(rows.upperBound * states.width)],
                                              width: states.width)
            }
            start = end
            progress?(start, order.count)
        }
        return matrices.map { $0! }
    }

    static func json(_ path: String) -> [String: Any]? {
        FileManager.default.contents(atPath: path).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }
}
