import Foundation
import Numerics

/// The encoder's config.json, key for key as Training/memoir_encoder/model.py's `default_config` writes it.
///
/// Decoding is strict (every key required) because a silently defaulted key would build a network
/// that differs from the checkpoint in ways the tensor shapes cannot always reveal (eps, means, pooling).
public struct EncoderConfig: Codable, Sendable, Equatable {
    public var architecture: String
    public var formatVersion: Int
    /// [X, Y, Z] of the volumes the encoder takes (NIfTI i, j, k).
    public var inputShape: [Int]
    /// Average-pool factor applied before the stem (1 = full resolution).
    public var inputPool: Int
    public var width: Int
    public var blocks: [Int]
    public var embedDim: Int
    public var attentionHeads: Int
    public var clinicalFeatures: [String]
    public var clinicalMean: [Double]
    public var clinicalStd: [Double]
    public var clinicalHidden: Int
    public var apoeDim: Int
    public var headHidden: Int
    public var ageMean: Double
    public var ageStd: Double
    public var cdrsbMean: Double
    public var cdrsbStd: Double
    public var layerNormEps: Double
    public var batchNormEps: Double
    public var t1Normalization: String
    public var faNormalization: String

    enum CodingKeys: String, CodingKey {
        case architecture, width, blocks
        case formatVersion = "format_version"
        case inputShape = "input_shape"
        case inputPool = "input_pool"
        case embedDim = "embed_dim"
        case attentionHeads = "attention_heads"
        case clinicalFeatures = "clinical_features"
        case clinicalMean = "clinical_mean"
        case clinicalStd = "clinical_std"
        case clinicalHidden = "clinical_hidden"
        case apoeDim = "apoe_dim"
        case headHidden = "head_hidden"
        case ageMean = "age_mean", ageStd = "age_std"
        case cdrsbMean = "cdrsb_mean", cdrsbStd = "cdrsb_std"
        case layerNormEps = "layer_norm_eps"
        case batchNormEps = "batch_norm_eps"
        case t1Normalization = "t1_normalization"
        case faNormalization = "fa_normalization"
    }

    public static let architectureName = "MemoirFusedEncoder"
    /// The clinical scores the encoder knows how to read from a `CaseRecord`.
    public static let knownClinicalFeatures = ["ADAS11", "ADAS13", "MMSE", "MOCA"]
    public static let mniShape = [91, 109, 91]

    /// model.py's `default_config()` (ResNet-18 width 64 at full MNI 2 mm resolution), with overrides
    /// applied by the caller; handy for tests and benchmarks.
    public static func reference() -> EncoderConfig {
        EncoderConfig(
            architecture: architectureName, formatVersion: 1, inputShape: mniShape, inputPool: 1, width: 64,
            blocks: [2, 2, 2, 2], embedDim: 512, attentionHeads: 8, clinicalFeatures: knownClinicalFeatures,
            clinicalMean: [10, 17, 26, 23], clinicalStd: [6, 9, 4.5, 4.5], clinicalHidden: 256, apoeDim: 16,
            headHidden: 256, ageMean: 78, ageStd: 7.5, cdrsbMean: 2.5, cdrsbStd: 3, layerNormEps: 1e-5,
            batchNormEps: 1e-5, t1Normalization: "zscore_nonzero", faNormalization: "none")
    }

    /// Reads and validates config.json.
    public static func load(path: String) throws -> EncoderConfig {
        let data: Data
        do { data = try RegularFile.contents(path, maxBytes: 1 << 20) } catch let error as MappedFileError {
            // A missing file gets the hint; a directory, FIFO or oversized file gets its reason.
            guard FileManager.default.fileExists(atPath: path) else {
                throw EncoderError.missingFile(path: path, hint: "An encoder directory holds config.json and model.safetensors (Training/train_encoder.py --out DIR).")
            }
            throw EncoderError.invalidConfig(path: path, reason: "cannot read: \(error.reason)")
        }
        try checkIntegerKeys(data, path: path)
        let config: EncoderConfig
        do { config = try JSONDecoder().decode(EncoderConfig.self, from: data) } catch let error as DecodingError {
            throw EncoderError.invalidConfig(path: path, reason: Self.explain(error))
        } catch {
            throw EncoderError.invalidConfig(path: path, reason: "not valid JSON (\(error.localizedDescription))")
        }
        try config.validate(path: path)
        return config
    }

    /// Checks everything the Swift network relies on; `path` only labels the error.
    public func validate(path: String = "config.json") throws {
        func fail(_ reason: String) -> EncoderError { .invalidConfig(path: path, reason: reason) }
        guard architecture == Self.architectureName else { throw fail("architecture is '\(architecture)', expected '\(Self.architectureName)'") }
        guard formatVersion == 1 else { throw fail("format_version \(formatVersion) is not supported (this build reads 1)") }
        // Upper bounds come first and keep every later product (shapes × channels × kernel³, FLOPs,
        // working-set bytes) far inside Int, and every allocation plausible.
        guard inputShape.count == 3, inputShape.allSatisfy({ Self.sizeRange.contains($0) }) else {
            throw fail("input_shape must be three sizes in \(Self.sizeRange), got \(inputShape.count == 3 ? "\(inputShape)" : "\(inputShape.count) values")")
        }
        guard Self.sizeRange.contains(inputPool) else { throw fail("input_pool \(inputPool) must be in \(Self.sizeRange)") }
        guard (1...512).contains(width) else { throw fail("width \(width) must be in 1...512") }
        guard blocks.count == 4, blocks.allSatisfy({ (1...64).contains($0) }) else {
            throw fail("blocks must list 4 stages of 1...64 blocks, got \(blocks.count == 4 ? "\(blocks)" : "\(blocks.count) values")")
        }
        guard [embedDim, attentionHeads, clinicalHidden, apoeDim, headHidden].allSatisfy({ Self.widthRange.contains($0) }) else {
            throw fail("embed_dim, attention_heads, clinical_hidden, apoe_dim and head_hidden must be in \(Self.widthRange)")
        }
        guard embedDim % attentionHeads == 0 else {
            throw fail("embed_dim \(embedDim) must be divisible by attention_heads \(attentionHeads)")
        }
        guard !clinicalFeatures.isEmpty, clinicalMean.count == clinicalFeatures.count, clinicalStd.count == clinicalFeatures.count else {
            throw fail("clinical_features, clinical_mean and clinical_std must have the same, non-zero length")
        }
        if let unknown = clinicalFeatures.first(where: { !Self.knownClinicalFeatures.contains($0) }) {
            throw fail("clinical feature '\(unknown)' is unknown (known: \(Self.knownClinicalFeatures.joined(separator: ", ")))")
        }
        guard Set(clinicalFeatures).count == clinicalFeatures.count else { throw fail("clinical_features \(clinicalFeatures) repeats a feature") }
        // Normalisation constants of clinical scores, age and CDR-SB: plausible magnitudes only, so a denormalised
        // head (mean + std × z) cannot come out as 1e300 and overflow whatever formats or rounds it.
        let means = [("age_mean", ageMean), ("cdrsb_mean", cdrsbMean)] + clinicalMean.enumerated().map { ("clinical_mean[\($0.offset)]", $0.element) }
        if case let (key, value)? = means.first(where: { !Self.meanRange.contains($0.1) }) {
            throw fail("\(key) \(value) must be in \(Self.meanRange.lowerBound)...\(Self.meanRange.upperBound)")
        }
        let stds = [("age_std", ageStd), ("cdrsb_std", cdrsbStd)] + clinicalStd.enumerated().map { ("clinical_std[\($0.offset)]", $0.element) }
        if case let (key, value)? = stds.first(where: { !($0.1 > 0 && $0.1 <= Self.maximumStd) }) {
            throw fail("\(key) \(value) must be positive and at most \(Self.maximumStd)")
        }
        guard clinicalHidden > 0, apoeDim > 0, headHidden > 0 else { throw fail("clinical_hidden, apoe_dim and head_hidden must be positive") }
        guard layerNormEps > 0, batchNormEps > 0, layerNormEps < 1, batchNormEps < 1 else {
            throw fail("layer_norm_eps and batch_norm_eps must be in (0, 1)")
        }
        guard t1Normalization == "zscore_nonzero" else { throw fail("t1_normalization '\(t1Normalization)' is not supported (zscore_nonzero)") }
        guard faNormalization == "none" else { throw fail("fa_normalization '\(faNormalization)' is not supported (none)") }
        // Every stage must keep at least one voxel, or the global pool would average nothing.
        let final = ResNet3D.stageShapes(config: self).last ?? SpatialShape(0, 0, 0)
        guard final.count >= 1 else {
            throw fail("input_shape \(inputShape) with input_pool \(inputPool) is too small: the last stage would be \(final)")
        }
    }

    /// Accepted means of the clinical scores, age and CDR-SB (years and score points: real ones are below 100).
    static let meanRange: ClosedRange<Double> = -1_000...1_000
    /// Largest accepted standard deviation of those.
    static let maximumStd = 1_000.0

    /// Accepted sizes per axis of input_shape (MNI 1 mm is 182×218×182).
    static let sizeRange = 1...512
    /// Accepted embed_dim, attention_heads and hidden widths.
    static let widthRange = 1...16_384

    /// The spatial shape the stem sees: input_shape pooled by input_pool (floor, as avg_pool3d).
    public var pooledShape: [Int] { inputShape.map { $0 / inputPool } }

    /// Channels of the last stage, the width of the global-pooled feature.
    public var featureWidth: Int { width << (blocks.count - 1) }

    /// Multiply-adds ×2 of one ResNet3D forward (model.py's `gflops_per_volume`), in GFLOP.
    public var gflopsPerVolume: Double { ResNet3D.flops(config: self) / 1e9 }

    /// Keys decoded as Int (alone or in arrays).
    static let integerKeys: [CodingKeys] = [.formatVersion, .inputShape, .inputPool, .width, .blocks, .embedDim, .attentionHeads,
                                            .clinicalHidden, .apoeDim, .headHidden]

    /// JSONDecoder reports a number that does not fit Int (1e30) as "not valid JSON" without naming the
    /// key; find and name it first. Anything else is left to the decoder and `validate`.
    private static func checkIntegerKeys(_ data: Data, path: String) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return }
        for key in integerKeys {
            let values: [Any] = (object[key.rawValue] as? [Any]) ?? object[key.rawValue].map { [$0] } ?? []
            for case let number as NSNumber in values {
                let d = number.doubleValue
                guard d == d.rounded(), abs(d) < 9_007_199_254_740_992 else {
                    throw EncoderError.invalidConfig(path: path, reason: "key '\(key.rawValue)' holds \(d), not an integer below 2^53")
                }
            }
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, _): "missing key '\(key.stringValue)'"
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            "key '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        @unknown default: "\(error)"
        }
    }
}
