/// A numerical check of the kernels OpenBLAS runs now against a double-precision reference GEMM, on odd
/// sizes that reach the edge kernels (both B layouts Memoir uses). A selected kernel family that fails it
/// is not used.
public enum BLASSelfCheck {
    public struct Result: Sendable, Equatable, Codable {
        /// Largest |C − C_ref| relative to Σ|a·b| for that element.
        public let maxRelativeError: Double
        public var passed: Bool { maxRelativeError.isFinite && maxRelativeError <= BLASSelfCheck.tolerance }

        enum CodingKeys: String, CodingKey { case maxRelativeError = "max_relative_error", passed }
        public init(maxRelativeError: Double) { self.maxRelativeError = maxRelativeError }
        public init(from decoder: any Decoder) throws {
            maxRelativeError = try decoder.container(keyedBy: CodingKeys.self).decode(Double.self, forKey: .maxRelativeError)
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(maxRelativeError, forKey: .maxRelativeError)
            try c.encode(passed, forKey: .passed)
        }
    }

    /// Float32 accumulation over k = 131 terms stays far below this; a wrong kernel is off by O(1).
    public static let tolerance = 1e-5

    public static func run() -> Result {
        var worst = 0.0
        for transposeB in [false, true] {
            let (m, n, k) = (37, 53, 131)
            var state: UInt64 = transposeB ? 0x9E37_79B9 : 0x85EB_CA6B
            func next() -> Float {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
            }
            let a = (0..<m * k).map { _ in next() }, b = (0..<k * n).map { _ in next() }
            var c = [Float](repeating: .nan, count: m * n)
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        guard let ap = pa.baseAddress, let bp = pb.baseAddress, let cp = pc.baseAddress else { return }
                        BLAS.gemm(m: m, n: n, k: k, a: ap, lda: k, b: bp, ldb: transposeB ? k : n, transposeB: transposeB, c: cp, ldc: n)
                    }
                }
            }
            for i in 0..<m {
                for j in 0..<n {
                    var sum = 0.0, magnitude = 0.0
                    for p in 0..<k {
                        let bv = Double(transposeB ? b[j * k + p] : b[p * n + j])
                        sum += Double(a[i * k + p]) * bv
                        magnitude += abs(Double(a[i * k + p]) * bv)
                    }
                    let error = abs(Double(c[i * n + j]) - sum) / max(magnitude, 1e-30)
                    worst = error.isNaN ? .infinity : max(worst, error)
                }
            }
        }
        return Result(maxRelativeError: worst)
    }
}
