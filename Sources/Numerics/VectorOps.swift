#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Row-wise and element-wise kernels used by the models. Inputs are raw pointers so the hot
/// loops stay free of array bounds checks and copy-on-write traffic.
public enum VectorOps {
    /// In-place LayerNorm over each row of `rows × width`, y = (x − μ)/√(σ² + ε)·γ + β.
    public static func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int,
                                 gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
        for r in 0..<rows {
            let row = x + r * width
            var mean: Float = 0
            for i in 0..<width { mean += row[i] }
            mean /= Float(width)
            var variance: Float = 0
            for i in 0..<width { let d = row[i] - mean; variance += d * d }
            variance /= Float(width)
            let inv = 1 / (variance + epsilon).squareRoot()
            for i in 0..<width { row[i] = (row[i] - mean) * inv * gamma[i] + beta[i] }
        }
    }

    /// In-place GELU with the exact erf form used by BERT: x·½(1 + erf(x/√2)).
    public static func geluErf(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let invSqrt2: Float = 0.70710678118654752440
        for i in 0..<count { x[i] = 0.5 * x[i] * (1 + erff(x[i] * invSqrt2)) }
    }

    /// In-place tanh.
    public static func tanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = tanhf(x[i]) }
    }

    /// In-place numerically stable softmax over each row.
    public static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for r in 0..<rows {
            let row = x + r * width
            var maxValue = -Float.infinity
            for i in 0..<width { maxValue = max(maxValue, row[i]) }
            var sum: Float = 0
            for i in 0..<width { let e = expf(row[i] - maxValue); row[i] = e; sum += e }
            let inv = 1 / sum
            for i in 0..<width { row[i] *= inv }
        }
    }

    /// In-place a += b.
    public static func add(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { a[i] += b[i] }
    }

    /// Scales a vector to unit L2 norm (left unchanged when its norm is 0), like
    /// torch.nn.functional.normalize with eps 1e-12.
    public static func l2Normalize(_ x: inout [Float]) {
        var sum: Float = 0
        for v in x { sum += v * v }
        let norm = max(sum.squareRoot(), 1e-12)
        for i in x.indices { x[i] /= norm }
    }

    public static func dot(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "dot of vectors of lengths \(a.count) and \(b.count)")
        var s: Float = 0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    /// Cosine similarity; 0 when either vector is zero.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        let d = dot(a, b), na = dot(a, a).squareRoot(), nb = dot(b, b).squareRoot()
        return na == 0 || nb == 0 ? 0 : d / (na * nb)
    }
}
