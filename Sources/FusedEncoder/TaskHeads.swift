import Numerics

/// `heads`: five Linear → ReLU → Linear MLPs on z, decoded as model.py's `decode_heads`.
public struct TaskHeads: Sendable {
    /// Head names and output widths, as model.py's HEADS.
    public static let outputs: [(name: String, width: Int)] = [("dx3", 3), ("dx_binary", 2), ("sex", 2), ("age", 1), ("cdrsb", 1)]

    let mlps: [String: TwoLayerMLP]
    let ageMean: Float, ageStd: Float, cdrsbMean: Float, cdrsbStd: Float

    init(weights: EncoderWeights, config c: EncoderConfig) throws {
        var mlps: [String: TwoLayerMLP] = [:]
        for (name, width) in Self.outputs {
            mlps[name] = try TwoLayerMLP(weights: weights, prefix: "heads." + name, input: c.embedDim, hidden: c.headHidden, output: width)
        }
        self.mlps = mlps
        (ageMean, ageStd) = (Float(c.ageMean), Float(c.ageStd))
        (cdrsbMean, cdrsbStd) = (Float(c.cdrsbMean), Float(c.cdrsbStd))
    }

    /// Raw outputs of every head on z.
    public func logits(_ z: [Float]) -> [String: [Float]] { mlps.mapValues { $0.apply(z) } }

    public func predict(_ z: [Float]) -> HeadPredictions {
        let raw = logits(z)
        func softmax(_ name: String) -> [Float] {
            var p = raw[name]!
            p.withUnsafeMutableBufferPointer { VectorOps.softmaxRows($0.baseAddress!, rows: 1, width: $0.count) }
            return p
        }
        return HeadPredictions(dx3: softmax("dx3"), dxBinary: softmax("dx_binary"), sex: softmax("sex"),
                               age: raw["age"]![0] * ageStd + ageMean, cdrsb: raw["cdrsb"]![0] * cdrsbStd + cdrsbMean)
    }
}
