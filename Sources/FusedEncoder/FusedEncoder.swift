import Cohort
import Crypto
import Foundation
import Numerics

/// Memoir's fused case encoder, the Swift twin of Training/memoir_encoder/model.py's `FusedEncoder`:
/// a T1 ResNet, an FA ResNet and a clinical MLP each give a unit token; a pool query attends over the
/// present tokens to give z; five heads read z.
///
///     let encoder = try FusedEncoder(directory: "Models/fused-encoder-w16")
///     let out = try encoder.encode(record, modalities: [.t1, .clinical])
public struct FusedEncoder: Sendable {
    public let config: EncoderConfig
    /// SHA-256 hex of model.safetensors followed by config.json: keys cached embeddings, so any change
    /// of checkpoint or config invalidates them.
    public let weightsHash: String
    public let t1Encoder: ResNet3D
    public let faEncoder: ResNet3D
    public let clinicalEncoder: ClinicalEncoder
    public let fusion: AttentionFusion
    public let heads: TaskHeads
    /// The test-split errors its directory reports (`test-metrics.json`), if any.
    public var testMetrics: EncoderTestMetrics?

    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"

    /// Loads `directory/config.json` and `directory/model.safetensors`.
    public init(directory: String) throws {
        let configPath = directory + "/" + Self.configFile, weightsPath = directory + "/" + Self.weightsFile
        let config = try EncoderConfig.load(path: configPath)
        let weights = try EncoderWeights(path: weightsPath)
        // Hashing a full-size checkpoint (~275 MB) takes about as long as decoding and folding it: overlap them.
        let hash = BackgroundValue { try Self.weightsHash(weightsPath: weightsPath, configPath: configPath) }
        try self.init(config: config, weights: weights, hash: { try hash.value() })
        testMetrics = try EncoderTestMetrics.load(directory: directory)
    }

    /// Builds the network from an open checkpoint (batch norm folded into the convolutions here).
    public init(config: EncoderConfig, weights: EncoderWeights, weightsHash: String) throws {
        try self.init(config: config, weights: weights, hash: { weightsHash })
    }

    private init(config: EncoderConfig, weights: EncoderWeights, hash: () throws -> String) throws {
        try config.validate(path: "encoder config for " + weights.path)
        self.config = config
        t1Encoder = try ResNet3D(weights: weights, prefix: "t1_encoder", config: config)
        faEncoder = try ResNet3D(weights: weights, prefix: "fa_encoder", config: config)
        clinicalEncoder = try ClinicalEncoder(weights: weights, config: config)
        fusion = try AttentionFusion(weights: weights, config: config)
        heads = try TaskHeads(weights: weights, config: config)
        weightsHash = try hash()
    }

    /// The preprocessing this encoder's inputs need.
    public var preprocessor: VolumePreprocessor { VolumePreprocessor(config: config) }

    /// The 7 non-empty subsets of [t1, fa, clinical], singletons first.
    public static var modalitySubsets: [ModalitySet] { ModalitySet.nonEmptySubsets }

    /// Encodes preprocessed inputs (every modality they hold).
    public func encode(_ inputs: CaseInputs) throws -> EncoderOutput {
        guard !inputs.modalities.isEmpty else {
            throw EncoderError.noModality(subject: inputs.subjectID, requested: "", reason: "the inputs hold no image and no clinical values")
        }
        let workspace = ConvWorkspace()
        var tokens: [Modality: [Float]] = [:]
        if let t1 = inputs.t1 { tokens[.t1] = try t1Encoder.embed(t1, workspace: workspace) }
        if let fa = inputs.fa { tokens[.fa] = try faEncoder.embed(fa, workspace: workspace) }
        if let clinical = inputs.clinical { tokens[.clinical] = try clinicalEncoder.embed(clinical) }
        let z = try fusion.fuse(tokens)
        return EncoderOutput(z: z, modalityEmbeddings: tokens, heads: heads.predict(z), modalities: inputs.modalities)
    }

    /// Encodes several modality subsets of one case, running each ResNet once: the tokens are shared and
    /// only the fusion and heads are repeated. Subsets the inputs have nothing for are left out.
    public func encode(_ inputs: CaseInputs, subsets: [ModalitySet]) throws -> [ModalitySet: EncoderOutput] {
        let wanted = subsets.reduce(ModalitySet()) { $0.union($1) }
        let used = inputs.restricted(to: wanted)
        guard !used.modalities.isEmpty else { return [:] }
        let full = try encode(used)
        var outputs: [ModalitySet: EncoderOutput] = [:]
        for subset in subsets {
            let present = subset.intersection(full.modalities)
            guard !present.isEmpty else { continue }
            if present == full.modalities { outputs[subset] = full; continue }
            let tokens = full.modalityEmbeddings.filter { present.contains($0.key) }
            let z = try fusion.fuse(tokens)
            outputs[subset] = EncoderOutput(z: z, modalityEmbeddings: tokens, heads: heads.predict(z), modalities: present)
        }
        return outputs
    }

    /// Reads, preprocesses and encodes a case record's `modalities` (those it has).
    public func encode(_ record: CaseRecord, modalities: ModalitySet = .all) throws -> EncoderOutput {
        try encode(try preprocessor.inputs(for: record, modalities: modalities))
    }

    /// SHA-256 hex of the checkpoint bytes followed by the config bytes. Read in 4 MB chunks rather than
    /// mapped: the loader already maps the checkpoint, and a second mapping would double its share of RSS.
    public static func weightsHash(weightsPath: String, configPath: String) throws -> String {
        var hasher = SHA256()
        for path in [weightsPath, configPath] {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw EncoderError.missingFile(path: path, hint: "An encoder directory holds config.json and model.safetensors.")
            }
            defer { try? handle.close() }
            do {
                while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
            } catch {
                throw EncoderError.missingFile(path: path, hint: "cannot read it: \(error.localizedDescription)")
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Memory one case takes while encoded, for `Parallel.map(_:memoryPerItem:)`: the ResNet working
    /// set plus 64 MB for the case's volumes and outputs.
    public var memoryPerCase: Int { ResNet3D.workingSetBytes(config: config) + 64 << 20 }
}
