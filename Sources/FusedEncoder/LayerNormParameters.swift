import Numerics

/// A LayerNorm's affine parameters, applied in place to one vector.
public struct LayerNormParameters: Sendable, Equatable {
    public let gamma: [Float], beta: [Float]
    public let epsilon: Float

    public init(gamma: [Float], beta: [Float], epsilon: Float) {
        precondition(gamma.count == beta.count, "LayerNorm gamma and beta differ in length")
        self.gamma = gamma
        self.beta = beta
        self.epsilon = epsilon
    }

    public func apply(_ x: inout [Float]) {
        precondition(x.count == gamma.count, "LayerNorm of width \(gamma.count) applied to \(x.count) values")
        let width = x.count
        x.withUnsafeMutableBufferPointer { v in
            gamma.withUnsafeBufferPointer { g in
                beta.withUnsafeBufferPointer { b in
                    VectorOps.layerNorm(v.baseAddress!, rows: 1, width: width, gamma: g.baseAddress!, beta: b.baseAddress!, epsilon: epsilon)
                }
            }
        }
    }

    /// LayerNorm then L2 normalisation: how every embedding in the encoder ends (`F.normalize(norm(x))`).
    public func unitEmbedding(_ x: [Float]) -> [Float] {
        var out = x
        apply(&out)
        VectorOps.l2Normalize(&out)
        return out
    }
}
