import Numerics

/// `clinical_encoder`: standardised scores (0 where absent) ⧺ presence flags ⧺ APOE embedding row →
/// Linear → ReLU → Linear → LayerNorm → L2 normalisation.
public struct ClinicalEncoder: Sendable {
    public let features: [String]
    let mean: [Float], std: [Float]
    let apoeTable: Tensor
    let mlp: TwoLayerMLP
    let norm: LayerNormParameters

    init(weights: EncoderWeights, config c: EncoderConfig) throws {
        features = c.clinicalFeatures
        // Float32 like the reference's registered buffers, so standardisation rounds the same way.
        mean = c.clinicalMean.map { Float($0) }
        std = c.clinicalStd.map { Float($0) }
        apoeTable = try weights.tensor("clinical_encoder.apoe.weight", shape: [ClinicalInputs.genotypeOrder.count + 1, c.apoeDim])
        mlp = try TwoLayerMLP(weights: weights, prefix: "clinical_encoder.mlp", input: 2 * c.clinicalFeatures.count + c.apoeDim,
                              hidden: c.clinicalHidden, output: c.embedDim)
        norm = try weights.layerNorm("clinical_encoder.norm", width: c.embedDim, epsilon: c.layerNormEps)
    }

    /// The MLP input: [standardised scores, presence flags, APOE embedding].
    func inputVector(_ inputs: ClinicalInputs) throws -> [Float] {
        var standardised: [Float] = [], present: [Float] = []
        for (i, name) in features.enumerated() {
            if let value = inputs.scores[name] {
                guard value.isFinite else { throw EncoderError.invalidInput("clinical score \(name) is \(value)") }
                standardised.append((Float(value) - mean[i]) / std[i])
                present.append(1)
            } else {
                standardised.append(0)
                present.append(0)
            }
        }
        let width = apoeTable.columns, row = inputs.apoeIndex
        return standardised + present + Array(apoeTable.scalars[(row * width)..<((row + 1) * width)])
    }

    public func embed(_ inputs: ClinicalInputs) throws -> [Float] {
        norm.unitEmbedding(mlp.apply(try inputVector(inputs)))
    }
}
