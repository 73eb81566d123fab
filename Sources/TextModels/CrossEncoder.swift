import Foundation
import Numerics

/// A Hugging Face `BertForSequenceClassification` used as a cross-encoder: the pair
/// `[CLS] query [SEP] passage [SEP]` is encoded and `classifier(tanh(pooler(h_CLS)))` gives
/// raw logits, exactly as sentence-transformers' `CrossEncoder` computes them for
/// ms-marco-MiniLM-L-6-v2 (no activation applied).
///
/// The directory's own `model.safetensors` may hold only some tensors (e.g. a fine-tuned head);
/// `baseWeights` files then supply the rest. A directory with a `manifest.json` is a `WeightOverlay`:
/// its base model (and, when absent beside it, the base's tokenizer files) is found automatically.
public struct CrossEncoder: Sendable {
    public let directory: String
    public let model: BertModel
    public let tokenizer: WordPieceTokenizer
    public let classifier: LinearLayer
    public let maxLength: Int

    public var labelCount: Int { classifier.outputWidth }

    public init(directory: String, baseWeights: [String] = [], baseDirectory: String? = nil, maxLength: Int = 512) throws {
        let overlay = try WeightOverlay.load(directory: directory, baseDirectory: baseDirectory)
        if overlay == nil { try ModelLocator.checkModelFiles(in: directory, weightsRequired: baseWeights.isEmpty) }
        let configPath = directory + "/config.json"
        let config = try BertConfig(contentsOf: configPath)
        if !config.architectures.isEmpty, !config.architectures.contains("BertForSequenceClassification") {
            throw TextModelError.unsupported(path: configPath, reason: "architectures \(config.architectures); a cross-encoder must be BertForSequenceClassification")
        }
        var files: [String] = []
        let own = directory + "/model.safetensors"
        if FileManager.default.fileExists(atPath: own) { files.append(own) }
        let weights = try WeightStore(paths: files + (overlay.map { [$0.baseWeightsPath] } ?? []) + baseWeights)
        if let overlay { try overlay.validate(overlay: weights.files[0], base: weights.files[1]) }
        self.directory = directory
        self.model = try BertModel(config: config, weights: weights)
        guard model.pooler != nil else { throw TextModelError.missingWeight(name: "bert.pooler.dense.weight", searched: weights.files.map(\.path)) }
        self.classifier = LinearLayer(
            weight: try weights.tensor("classifier.weight", shape: [config.labelCount, config.hiddenSize]),
            bias: try weights.tensor("classifier.bias", shape: [config.labelCount]))
        let tokenizerDirectory = overlay?.tokenizerDirectory ?? directory
        self.tokenizer = try WordPieceTokenizer(vocabularyFile: tokenizerDirectory + "/vocab.txt",
                                                lowercase: SentenceEncoder.lowercases(directory: tokenizerDirectory))
        self.maxLength = min(maxLength, config.maxPositions, overlay?.manifest.maxLength ?? .max)
    }

    /// Logits for each (query, passage) pair, `labelCount` per pair, in input order.
    public func logits(query: String, passages: [String], batchSize: Int = 32) throws -> [[Float]] {
        try logits(pairs: passages.map { (query, $0) }, batchSize: batchSize)
    }

    public func logits(pairs: [(String, String)], batchSize: Int = 32) throws -> [[Float]] {
        let inputs = pairs.map { tokenizer.encode($0.0, $0.1, maxLength: maxLength) }
        let pooler = model.pooler!
        var result: [[Float]] = []
        result.reserveCapacity(inputs.count)
        for start in stride(from: 0, to: inputs.count, by: max(1, batchSize)) {
            let batch = Array(inputs[start..<min(start + max(1, batchSize), inputs.count)])
            let states = try model.hiddenStates(batch)
            let cls = (0..<batch.count).flatMap { states.vector(sequence: $0, token: 0) }
            var pooled = pooler.apply(cls, rows: batch.count)
            pooled.withUnsafeMutableBufferPointer { VectorOps.tanh($0.baseAddress!, count: $0.count) }
            let logits = classifier.apply(pooled, rows: batch.count)
            for i in 0..<batch.count { result.append(Array(logits[(i * labelCount)..<((i + 1) * labelCount)])) }
        }
        return result
    }

    /// One relevance score per passage: the single logit (ms-marco style) or, for two-label
    /// models, the logit margin of the positive label.
    public func scores(query: String, passages: [String], batchSize: Int = 32) throws -> [Float] {
        try logits(query: query, passages: passages, batchSize: batchSize).map(Self.relevance(of:))
    }

    public static func relevance(of logits: [Float]) -> Float {
        logits.count == 1 ? logits[0] : logits[logits.count - 1] - logits[0]
    }
}
