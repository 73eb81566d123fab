import Foundation

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

    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TextModelError.missingFile(path: path, hint: "A Hugging Face BERT model directory needs config.json.")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw TextModelError.invalidConfig(path: path, reason: "not a JSON object")
        }
        func int(_ key: String, default value: Int? = nil) throws -> Int {
            if let v = json[key] as? Int { return v }
            if let value { return value }
            throw TextModelError.invalidConfig(path: path, reason: "missing integer field '\(key)'")
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
        layerNormEpsilon = Float((json["layer_norm_eps"] as? Double) ?? 1e-12)
        architectures = json["architectures"] as? [String] ?? []
        labelCount = (json["num_labels"] as? Int) ?? (json["id2label"] as? [String: Any])?.count ?? 2
        joinLayer = (json["memoir_join_layer"] as? Int) ?? 0
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
