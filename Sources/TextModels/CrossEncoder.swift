import Foundation
import Numerics

/// A Hugging Face `BertForSequenceClassification` used as a cross-encoder: the pair
/// `[CLS] query [SEP] passage [SEP]` is encoded and `classifier(tanh(pooler(h_CLS)))` gives
/// raw logits, exactly as sentence-transformers' `CrossEncoder` computes them for
/// ms-marco-MiniLM-L-6-v2 (no activation applied).
///
/// Late interaction (PreTTR, MacAvaney et al. 2020): when `config.json` sets `memoir_join_layer` j > 0,
/// layers below j read the query and the passage each alone (`[CLS] text [SEP]`, as a sentence encoder
/// does) and layers from j read both segments' states stacked, query first. A passage's states entering
/// layer j then do not depend on the query: `segmentStates` computes them once, a cache keeps them
/// (keyed by `interactionKey`), and scoring a passage costs only the joined layers. Memoir's domain
/// reranker joins at the last layer (Training/memoir_encoder/late_reranker.py is the reference).
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
    /// The manifest when the directory is a weight overlay.
    public let overlayManifest: WeightOverlay.Manifest?

    /// Identifies the weights and tokenizer behind cached `segmentStates` (late interaction only, else nil):
    /// SHA-256 over config.json, the directory's own weights and the base weights' hash.
    public let interactionKey: String?

    public var labelCount: Int { classifier.outputWidth }
    public var joinLayer: Int { model.config.joinLayer }
    public var isLateInteraction: Bool { joinLayer > 0 }

    public init(directory: String, baseWeights: [String] = [], baseDirectory: String? = nil, maxLength: Int = 512) throws {
        // A pair is [CLS] query [SEP] passage [SEP]: fewer than 3 positions cannot hold one (the tokenizer's precondition).
        guard BertConfig.sequenceLengthRange.contains(maxLength) else {
            throw TextModelError.invalidConfig(path: directory, reason: "maximum pair length \(maxLength) must be in \(BertConfig.sequenceLengthRange)")
        }
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
                                                lowercase: try SentenceEncoder.lowercases(directory: tokenizerDirectory))
        self.maxLength = min(maxLength, config.maxPositions, overlay?.manifest.maxLength ?? .max)
        self.overlayManifest = overlay?.manifest
        if config.joinLayer > 0 {
            var parts = [try WeightOverlay.sha256(ofFile: configPath)]
            if FileManager.default.fileExists(atPath: own) { parts.append(try WeightOverlay.sha256(ofFile: own)) }
            if let overlay { parts.append(try overlay.manifest.baseWeightsSHA256 ?? WeightOverlay.sha256(ofFile: overlay.baseWeightsPath)) }
            parts += try baseWeights.map { try WeightOverlay.sha256(ofFile: $0) }
            parts.append("max_length=\(self.maxLength)")
            self.interactionKey = WeightOverlay.sha256(of: parts.joined(separator: "\n"))
        } else {
            self.interactionKey = nil
        }
    }

    /// Logits for each (query, passage) pair, `labelCount` per pair, in input order.
    public func logits(query: String, passages: [String], batchSize: Int = 32) throws -> [[Float]] {
        try logits(pairs: passages.map { (query, $0) }, batchSize: batchSize)
    }

    public func logits(pairs: [(String, String)], batchSize: Int = 32) throws -> [[Float]] {
        if isLateInteraction {
            let texts = Array(Set(pairs.flatMap { [$0.0, $0.1] })).sorted()
            let states = Dictionary(uniqueKeysWithValues: zip(texts, try segmentStates(texts, batchSize: batchSize)))
            return try joinedLogits(pairs.map { [states[$0.0]!, states[$0.1]!] }, batchSize: batchSize)
        }
        let inputs = pairs.map { tokenizer.encode($0.0, $0.1, maxLength: maxLength) }
        let belowLast = model.truncated(toLayers: model.config.layerCount - 1)
        var result: [[Float]] = []
        result.reserveCapacity(inputs.count)
        for start in stride(from: 0, to: inputs.count, by: max(1, batchSize)) {
            let batch = Array(inputs[start..<min(start + max(1, batchSize), inputs.count)])
            let states = SegmentStates.split(try belowLast.hiddenStates(batch))
            result += head(model.lastLayerFirstRows(states.map { [$0] }), count: batch.count)
        }
        return result
    }

    /// Late interaction: each text's states entering the join layer, read alone as `[CLS] text [SEP]`.
    public func segmentStates(_ texts: [String], batchSize: Int = 32) throws -> [SegmentStates] {
        precondition(isLateInteraction, "segment states exist only for a late-interaction cross-encoder")
        let below = model.truncated(toLayers: joinLayer)
        var result: [SegmentStates] = []
        result.reserveCapacity(texts.count)
        for start in stride(from: 0, to: texts.count, by: max(1, batchSize)) {
            let batch = texts[start..<min(start + max(1, batchSize), texts.count)].map { tokenizer.encode($0, maxLength: maxLength) }
            result += SegmentStates.split(try below.hiddenStates(batch))
        }
        return result
    }

    /// Late interaction: logits of one query against passages, from their segment states (e.g. cached).
    public func logits(query: SegmentStates, passages: [SegmentStates], batchSize: Int = 64) throws -> [[Float]] {
        try joinedLogits(passages.map { [query, $0] }, batchSize: batchSize)
    }

    /// Joined layers over each (query, passage) pair of segment states, then the classifier.
    private func joinedLogits(_ pairs: [[SegmentStates]], batchSize: Int) throws -> [[Float]] {
        precondition(isLateInteraction)
        let h = model.config.hiddenSize, last = model.config.layerCount - 1
        if let bad = pairs.joined().first(where: { $0.width != h }) {
            throw TextModelError.unsupported(path: directory, reason: "segment states of width \(bad.width), the model's hidden size is \(h)")
        }
        if let long = pairs.first(where: { $0.reduce(0) { $0 + $1.rows } > model.config.maxPositions }) {
            throw TextModelError.unsupported(path: directory, reason: "a joined pair of \(long.reduce(0) { $0 + $1.rows }) rows exceeds max_position_embeddings \(model.config.maxPositions)")
        }
        var result: [[Float]] = []
        result.reserveCapacity(pairs.count)
        for start in stride(from: 0, to: pairs.count, by: max(1, batchSize)) {
            var batch = Array(pairs[start..<min(start + max(1, batchSize), pairs.count)])
            if joinLayer < last {
                // Full layers over the stacked rows up to the last one.
                batch = SegmentStates.split(model.continuing(SegmentStates.pack(batch, width: h), layers: joinLayer..<last)).map { [$0] }
            }
            result += head(model.lastLayerFirstRows(batch), count: batch.count)
        }
        return result
    }

    /// classifier(tanh(pooler(h_CLS))) for `count` [CLS] rows.
    private func head(_ cls: [Float], count: Int) -> [[Float]] {
        var pooled = model.pooler!.apply(cls, rows: count)
        pooled.withUnsafeMutableBufferPointer { VectorOps.tanh($0.baseAddress!, count: $0.count) }
        let logits = classifier.apply(pooled, rows: count)
        return (0..<count).map { Array(logits[($0 * labelCount)..<(($0 + 1) * labelCount)]) }
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
