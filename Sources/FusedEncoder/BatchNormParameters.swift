/// A BatchNorm3d in eval mode: y = (x − mean)/√(var + ε)·γ + β per channel. The encoder never runs it
/// as a layer; `Conv3D(folding:batchNorm:)` folds it into the preceding convolution at load.
public struct BatchNormParameters: Sendable, Equatable {
    public let gamma: [Float], beta: [Float], mean: [Float], variance: [Float]
    public let epsilon: Double

    public init(gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Double) {
        precondition([beta.count, mean.count, variance.count].allSatisfy { $0 == gamma.count }, "batch norm vectors differ in length")
        self.gamma = gamma
        self.beta = beta
        self.mean = mean
        self.variance = variance
        self.epsilon = epsilon
    }

    public var channels: Int { gamma.count }

    /// γ/√(var + ε) for channel `c`, in Double so folding adds no rounding beyond the final Float store.
    public func scale(_ c: Int) -> Double { Double(gamma[c]) / (Double(variance[c]) + epsilon).squareRoot() }

    /// β − mean·γ/√(var + ε): the folded bias of channel `c`.
    public func shift(_ c: Int) -> Double { Double(beta[c]) - Double(mean[c]) * scale(c) }
}
