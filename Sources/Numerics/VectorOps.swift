import CVectorKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Row-wise and element-wise kernels used by the models. Inputs are raw pointers so the hot
/// loops stay free of array bounds checks and copy-on-write traffic.
public enum VectorOps {
    /// In-place LayerNorm over each row of `rows × width`, y = (x − μ)/√(σ² + ε)·γ + β.
    /// Two passes (mean, then variance of the centred values), as PyTorch computes it.
    @_optimize(speed)  // (SIMD code unoptimised goes lane by lane; this keeps debug builds usable)
    public static func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int,
                                 gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
        let vectorEnd = width - width % Lanes.scalarCount
        for r in 0..<rows {
            let row = x + r * width
            var acc = Lanes(repeating: 0)
            var i = 0
            while i < vectorEnd { acc += load(row + i); i += Lanes.scalarCount }
            var sum = acc.sum()
            while i < width { sum += row[i]; i += 1 }
            let mean = sum / Float(width)
            acc = Lanes(repeating: 0)
            i = 0
            while i < vectorEnd { let d = load(row + i) - mean; acc += d * d; i += Lanes.scalarCount }
            var squares = acc.sum()
            while i < width { let d = row[i] - mean; squares += d * d; i += 1 }
            let inv = 1 / (squares / Float(width) + epsilon).squareRoot()
            i = 0
            while i < vectorEnd {
                store((load(row + i) - mean) * inv * load(gamma + i) + load(beta + i), row + i)
                i += Lanes.scalarCount
            }
            while i < width { row[i] = (row[i] - mean) * inv * gamma[i] + beta[i]; i += 1 }
        }
    }

    /// In-place GELU with the exact erf form used by BERT: x·½(1 + erf(x/√2)), with erf from a
    /// rational approximation (absolute error below 5e-7 against libm's `erff`).
    ///
    /// The element-wise kernels are plain loops over `Float` with no calls in the body, which
    /// LLVM vectorises in release builds and which stay cheap unoptimised (debug builds run the
    /// tests); Swift's SIMD types, by contrast, go lane by lane with checks when unoptimised.
    public static func geluErf(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = gelu(x[i]) }
    }

    @inline(__always)
    static func gelu(_ v: Float) -> Float {
        0.5 * v * (1 + erf(v * 0.70710678118654752440))
    }

    /// erf: odd/even rational approximation on [−4, 4] (erf is ±1 in Float beyond), with the
    /// coefficients of Eigen's `generic_fast_erf_float`. NaN propagates.
    @inline(__always)
    static func erf(_ a: Float) -> Float {
        let x = a > 4 ? 4 : (a < -4 ? -4 : a)
        let x2 = x * x
        var p = x2 * -2.72614225801306e-10 + 2.77068142495902e-08
        p = x2 * p + -2.10102402082508e-06
        p = x2 * p + -5.69250639462346e-05
        p = x2 * p + -7.34990630326855e-04
        p = x2 * p + -2.95459980854025e-03
        p = x2 * p + -1.60960333262415e-02
        p = x * p
        var q = x2 * -1.45660718464996e-05 + -2.13374055278905e-04
        q = x2 * q + -1.68282697438203e-03
        q = x2 * q + -7.37332916720468e-03
        q = x2 * q + -1.42647390514189e-02
        return p / q
    }

    /// e^x (Cephes `expf`: x = n·ln2 + r, degree-6 polynomial in r, scaled by 2ⁿ built in the
    /// exponent bits), within 2 ulp of libm on [−87.3, 88.7]; inputs are clamped to that range.
    @inline(__always)
    static func exp(_ a: Float) -> Float {
        let x = a > 88.7 ? 88.7 : (a < -87.33654 ? -87.33654 : a)
        // Round x·log2(e) to an integer with the 1.5·2²³ trick; n also sits in t's low mantissa
        // bits, read back by bit pattern (no trapping float-to-int conversion; NaN stays NaN).
        let magic: Float = 12_582_912
        let t = x * 1.44269504088896341 + magic
        let n = t - magic
        var r = x - n * 0.693359375
        r = r - n * -2.12194440e-4
        var y = r * 1.9875691500e-4 + 1.3981999507e-3
        y = y * r + 8.3334519073e-3
        y = y * r + 4.1665795894e-2
        y = y * r + 1.6666665459e-1
        y = y * r + 5.0000001201e-1
        y = y * (r * r) + r + 1
        return y * Float(bitPattern: (t.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
    }

    /// In-place tanh.
    public static func tanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = tanhf(x[i]) }
    }

    /// In-place numerically stable softmax over each row.
    /// The kernels `softmaxRows` and `addBiasGelu` run on this CPU: "avx512f", "avx2+fma" or "portable".
    public static var kernel: String { String(cString: memoir_vector_kernels()) }

    /// 16 lanes wide on AVX-512 (CVectorKernels, the same exp as `exp` below): attention's softmax was 3.5 % of a
    /// BERTScore run at Swift's baseline 4 lanes.
    public static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        guard rows > 0, width > 0 else { return }
        memoir_softmax_rows(x, Int32(rows), Int32(width))
    }

    /// x ← GELU(x + bias) over `rows × width` (bias broadcast over rows): a dense layer's bias
    /// and activation in one pass.
    /// 16 lanes wide on AVX-512 (CVectorKernels, the same erf as `erf` below): it was 4.4 % of a BERTScore run at 4 lanes.
    public static func addBiasGelu(_ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, width: Int) {
        guard rows > 0, width > 0 else { return }
        memoir_add_bias_gelu(x, bias, Int32(rows), Int32(width))
    }

    /// x ← x + bias + residual over `rows × width` (bias broadcast over rows).
    public static func addBiasResidual(_ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
                                       residual: UnsafePointer<Float>, rows: Int, width: Int) {
        for r in 0..<rows {
            let row = x + r * width, res = residual + r * width
            for i in 0..<width { row[i] = row[i] + bias[i] + res[i] }
        }
    }

    // MARK: SIMD helpers

    typealias Lanes = SIMD16<Float>

    @inline(__always) @_optimize(speed)
    static func load(_ p: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    @inline(__always) @_optimize(speed)
    static func load(_ p: UnsafeMutablePointer<Float>) -> Lanes { load(UnsafePointer(p)) }

    @inline(__always) @_optimize(speed)
    static func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
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
