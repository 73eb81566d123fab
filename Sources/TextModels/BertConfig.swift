import Foundation
import Numerics

/// The subset of a Hugging Face BERT `config.json` that the forward pass needs.
public struct BertConfig: Sendable, Equatable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var typeVocabularySize: Int
    public var layerNormEpsilon: Float
    public var architectures: [String]
    /// Classifier outputs for `BertForSequenceClassification` (from `num_labels` or `id2label`).
    public var labelCount: Int
    /// Memoir's late-interaction cross-encoders (`memoir_join_layer`, see `CrossEncoder`): the first
    /// encoder layer that reads query and passage together. 0, the default, is an ordinary cross-encoder.
    public var joinLayer: Int

    public var headSize: Int { hiddenSize / headCount }

    /// Bounds on every size read from config.json, checked before anything is allocated from them:
    /// generous for real BERTs (bert-large is 1024 wide, 24 layers; multilingual vocabularies ~250 k).
    static let limits: [String: ClosedRange<Int>] = [
        "vocab_size": 1...1_000_000, "hidden_size": 1...16_384, "num_hidden_layers": 1...256,
        "num_attention_heads": 1...1_024, "intermediate_size": 1...65_536, "max_position_embeddings": sequenceLengthRange,
        "type_vocab_size": 1...1_024, "num_labels": labelRange,
    ]
    static let labelRange = 1...100_000
    /// Token sequences the tokenizer can make: `[CLS] a [SEP] b [SEP]` needs 3 positions, a single text 2.
    public static let sequenceLengthRange = 3...131_072
    /// Largest config.json read; real ones are a few kilobytes.
    static let maximumFileBytes = 1 << 20

    public init(contentsOf path: String) throws {
        let data: Data
        do { data = try RegularFile.contents(path, maxBytes: Self.maximumFileBytes) } catch let error as MappedFileError {
            // A missing file gets the hint; a directory, FIFO or oversized file gets its reason.
            guard FileManager.default.fileExists(atPath: path) else {
                throw TextModelError.missingFile(path: path, hint: "A Hugging Face BERT model directory needs config.json.")
            }
            throw TextModelError.invalidConfig(path: path, reason: "cannot read: \(error.reason)")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw TextModelError.invalidConfig(path: path, reason: "not a JSON object")
        }
        func int(_ key: String, default value: Int? = nil) throws -> Int {
            let range = Self.limits[key] ?? 0...Int(Int32.max)
            guard let raw = json[key] else {
                if let value { return value }
                throw TextModelError.invalidConfig(path: path, reason: "missing integer field '\(key)'")
            }
            // Through Double: `as? Int` would refuse 24.0 and NSNumber.intValue would wrap 1e30.
            guard let number = raw as? NSNumber, number.doubleValue == number.doubleValue.rounded(),
                  number.doubleValue >= Double(range.lowerBound), number.doubleValue <= Double(range.upperBound)
            else {
                throw TextModelError.invalidConfig(path: path, reason: "'\(key)' must be an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return Int(number.doubleValue)
        }
        if let type = json["model_type"] as? String, type != "bert" {
            throw TextModelError.unsupported(path: path, reason: "model_type '\(type)'; only BERT is implemented")
        }
        if let act = json["hidden_act"] as? String, act != "gelu" {
            throw TextModelError.unsupported(path: path, reason: "hidden_act '\(act)'; only exact (erf) GELU is implemented")
        }
        if let kind = json["position_embedding_type"] as? String, kind != "absolute" {
            throw TextModelError.unsupported(path: path, reason: "position_embedding_type '\(kind)'")
        }
        vocabularySize = try int("vocab_size")
        hiddenSize = try int("hidden_size")
        layerCount = try int("num_hidden_layers")
        headCount = try int("num_attention_heads")
        intermediateSize = try int("intermediate_size")
        maxPositions = try int("max_position_embeddings", default: 512)
        typeVocabularySize = try int("type_vocab_size", default: 2)
        let epsilon = (json["layer_norm_eps"] as? NSNumber)?.doubleValue ?? 1e-12
        guard epsilon.isFinite, epsilon > 0, epsilon < 1 else {
            throw TextModelError.invalidConfig(path: path, reason: "'layer_norm_eps' must be a number in (0, 1)")
        }
        layerNormEpsilon = Float(epsilon)
        architectures = json["architectures"] as? [String] ?? []
        labelCount = try int("num_labels", default: (json["id2label"] as? [String: Any])?.count ?? 2)
        guard Self.labelRange.contains(labelCount) else {
            throw TextModelError.invalidConfig(path: path, reason: "id2label has \(labelCount) labels, outside 1...100000")
        }
        joinLayer = try int("memoir_join_layer", default: 0)
        guard hiddenSize > 0, headCount > 0, hiddenSize % headCount == 0 else {
            throw TextModelError.invalidConfig(path: path, reason: "hidden_size \(hiddenSize) is not divisible by num_attention_heads \(headCount)")
        }
        guard layerCount > 0, intermediateSize > 0, vocabularySize > 0, maxPositions > 0 else {
            throw TextModelError.invalidConfig(path: path, reason: "sizes must be positive")
        }
        guard (0..<layerCount).contains(joinLayer) else {
            throw TextModelError.invalidConfig(path: path, reason: "memoir_join_layer \(joinLayer) outside 0..<\(layerCount)")
        }
    }
}
