import Foundation
import Numerics

/// A learned map from a MiniLM sentence embedding (384) of free text to the fused encoder's case
/// embedding space (512), so `memoir retrieve --text` can search the case index with a description.
/// Layers `layers[i]` (`<name>.weight` [out, in], `<name>.bias` [out]) apply in order with `activation`
/// between them, then the output is L2-normalised, as Training/train_text_projection.py computes it.
public struct TextProjection: Sendable {
    public struct Config: Codable, Sendable, Equatable {
        public var format: String
        public var inputDim: Int
        public var outputDim: Int
        public var layers: [String]
        public var activation: String
        public var normalize: Bool
        /// The sentence model whose embeddings it takes, and the fused encoder (`FusedEncoder.weightsHash`)
        /// whose case embeddings it was fitted to: a different encoder makes the projection meaningless.
        public var textModel: String
        public var caseEncoderHash: String?
        public var modalities: String?

        enum CodingKeys: String, CodingKey {
            case format, layers, activation, normalize, modalities
            case inputDim = "input_dim", outputDim = "output_dim", textModel = "text_model", caseEncoderHash = "case_encoder_hash"
        }
    }

    public static let format = "memoir-text-projection/1"
    public let directory: String
    public let config: Config
    private let layers: [LinearLayer]

    public var inputDimension: Int { config.inputDim }
    public var outputDimension: Int { config.outputDim }

    /// Loads `config.json` and `model.safetensors` from `directory` (see `TextProjectionLocator`).
    public init(directory: String) throws {
        let configPath = directory + "/config.json", weightsPath = directory + "/model.safetensors"
        for path in [configPath, weightsPath] where !FileManager.default.fileExists(atPath: path) {
            throw TextProjectionError.missingFile(path: path, hint: TextProjectionLocator.fetchHint)
        }
        let config: Config
        do {
            config = try JSONDecoder().decode(Config.self, from: RegularFile.contents(configPath, maxBytes: 1 << 20))
        } catch let error as MappedFileError {
            throw TextProjectionError.invalidConfig(path: configPath, reason: "cannot read: \(error.reason)")
        } catch {
            throw TextProjectionError.invalidConfig(path: configPath, reason: "not a text projection config: \(error)")
        }
        guard config.format == Self.format else {
            throw TextProjectionError.invalidConfig(path: configPath, reason: "format '\(config.format)', expected '\(Self.format)'")
        }
        guard !config.layers.isEmpty, config.inputDim > 0, config.outputDim > 0 else {
            throw TextProjectionError.invalidConfig(path: configPath, reason: "needs at least one layer and positive input_dim/output_dim")
        }
        guard ["gelu", "relu", "none"].contains(config.activation) else {
            throw TextProjectionError.invalidConfig(path: configPath, reason: "activation '\(config.activation)' is not one of gelu, relu, none")
        }
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(path: weightsPath) } catch {
            throw TextProjectionError.invalidWeights(path: weightsPath, reason: "\(error)")
        }
        var layers: [LinearLayer] = []
        var width = config.inputDim
        for name in config.layers {
            guard let w = file.entries[name + ".weight"], let b = file.entries[name + ".bias"] else {
                throw TextProjectionError.invalidWeights(path: weightsPath, reason: "layer '\(name)' needs tensors '\(name).weight' and '\(name).bias'")
            }
            guard w.shape.count == 2, w.shape[1] == width, b.shape == [w.shape[0]] else {
                throw TextProjectionError.invalidWeights(path: weightsPath,
                    reason: "layer '\(name)': weight \(w.shape) and bias \(b.shape) do not take a \(width)-wide input")
            }
            do {
                layers.append(LinearLayer(weight: try file.tensor(w.name), bias: try file.tensor(b.name)))
            } catch {
                throw TextProjectionError.invalidWeights(path: weightsPath, reason: "layer '\(name)': \(error)")
            }
            width = w.shape[0]
        }
        guard width == config.outputDim else {
            throw TextProjectionError.invalidWeights(path: weightsPath, reason: "the last layer gives \(width) outputs, config says output_dim \(config.outputDim)")
        }
        for layer in layers where !(layer.weight.scalars.allSatisfy(\.isFinite) && layer.bias!.scalars.allSatisfy(\.isFinite)) {
            throw TextProjectionError.invalidWeights(path: weightsPath, reason: "weights hold NaN or infinity")
        }
        self.directory = directory
        self.config = config
        self.layers = layers
    }

    /// Loads the projection `TextProjectionLocator` finds (flag → $MEMOIR_PROJECTION_DIR → $MEMOIR_HOME default).
    public static func located(explicit: String? = nil) throws -> TextProjection {
        try TextProjection(directory: try TextProjectionLocator.directory(explicit: explicit))
    }

    /// The case-space vector (unit length when `normalize`) of one sentence embedding.
    public func project(_ embedding: [Float]) throws -> [Float] {
        try project([embedding])[0]
    }

    /// Projects a batch of sentence embeddings in one GEMM per layer.
    public func project(_ embeddings: [[Float]]) throws -> [[Float]] {
        guard !embeddings.isEmpty else { return [] }
        for (i, e) in embeddings.enumerated() {
            guard e.count == inputDimension else {
                throw TextProjectionError.badInput(reason: "embedding \(i) has \(e.count) dimensions, the projection takes \(inputDimension)")
            }
            guard e.allSatisfy(\.isFinite) else { throw TextProjectionError.badInput(reason: "embedding \(i) holds NaN or infinity") }
        }
        let rows = embeddings.count
        var x = embeddings.flatMap { $0 }
        for (i, layer) in layers.enumerated() {
            x = layer.apply(x, rows: rows)
            if i < layers.count - 1 { activate(&x) }
        }
        return (0..<rows).map { r in
            var v = Array(x[(r * outputDimension)..<((r + 1) * outputDimension)])
            if config.normalize { VectorOps.l2Normalize(&v) }
            return v
        }
    }

    private func activate(_ x: inout [Float]) {
        switch config.activation {
        case "gelu": x.withUnsafeMutableBufferPointer { VectorOps.geluErf($0.baseAddress!, count: $0.count) }
        case "relu": for i in x.indices { x[i] = max(0, x[i]) }
        default: break
        }
    }
}
