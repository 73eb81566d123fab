import Numerics

/// nn.Sequential(Linear, ReLU, Linear) on a single vector: the clinical MLP and every task head.
struct TwoLayerMLP: Sendable {
    let first: LinearLayer
    let second: LinearLayer

    /// Loads `prefix.0.*` and `prefix.2.*` (index 1 is the parameter-free ReLU).
    init(weights: EncoderWeights, prefix: String, input: Int, hidden: Int, output: Int) throws {
        first = try weights.linear(prefix + ".0", out: hidden, in: input)
        second = try weights.linear(prefix + ".2", out: output, in: hidden)
    }

    func apply(_ x: [Float]) -> [Float] {
        precondition(x.count == first.inputWidth, "MLP expects \(first.inputWidth) inputs, got \(x.count)")
        var h = first.apply(x, rows: 1)
        for i in h.indices { h[i] = max(0, h[i]) }
        return second.apply(h, rows: 1)
    }
}
