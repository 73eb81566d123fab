import Numerics
import Testing

/// The packed small-row GEMM against a plain double-precision product: every row count around the
/// kernels' row blocks, partial panels, column ranges that start and end inside a panel, accumulation.
@Suite struct PackedWeightTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state }
    }

    func matrix(_ count: Int, _ g: inout Generator) -> [Float] { (0..<count).map { _ in Float.random(in: -1...1, using: &g) } }

    static let shapes = [(1, 1, 1), (5, 16, 7), (12, 17, 384), (13, 100, 33), (30, 200, 384), (64, 40, 1536), (7, 40, 1)]

    /// Every kernel this CPU can run, not only the one it picks (the others serve other CPUs). Switching is
    /// process-wide, which is harmless to concurrent tests: all kernels compute the same product.
    @Test func everyKernelTheCPUHasMatchesAPlainProduct() {
        let picked = PackedWeight.kernel
        defer { PackedWeight.use(kernel: picked) }
        var checked: [String] = []
        for kernel in ["portable", "avx2+fma", "avx512f"] where PackedWeight.use(kernel: kernel) {
            #expect(PackedWeight.kernel == kernel)
            for shape in Self.shapes { matchesAPlainProduct(shape: shape) }
            checked.append(kernel)
        }
        #expect(checked.contains("portable") && checked.contains(picked), "\(checked)")
        #expect(!PackedWeight.use(kernel: "sve"))
    }

    func matchesAPlainProduct(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var g = Generator(state: UInt64(m * 1_000_003 + n * 1009 + k))
        let a = matrix(m * (k + 3), &g), w = matrix(n * k, &g), seed = matrix(m * (n + 5), &g)
        let packed = w.withUnsafeBufferPointer { PackedWeight(weight: $0.baseAddress!, outputWidth: n, inputWidth: k) }
        func reference(_ r: Int, _ j: Int) -> Double {
            (0..<k).reduce(0.0) { $0 + Double(a[r * (k + 3) + $1]) * Double(w[j * k + $1]) }
        }
        for (columns, accumulate) in [(0..<n, false), ((n / 3)..<max(n / 3 + 1, n - n / 5), true)] {
            var c = seed
            a.withUnsafeBufferPointer { ap in
                c.withUnsafeMutableBufferPointer { cp in
                    packed.multiply(rows: m, input: ap.baseAddress!, inputStride: k + 3, output: cp.baseAddress!, outputStride: n + 5,
                                    columns: columns, accumulate: accumulate)
                }
            }
            var worst = 0.0
            for r in 0..<m {
                for j in 0..<(n + 5) {
                    let got = Double(c[r * (n + 5) + j]), before = Double(seed[r * (n + 5) + j])
                    let expected = columns.contains(j) ? reference(r, j) + (accumulate ? before : 0) : before
                    worst = max(worst, abs(got - expected) / (1 + abs(expected)))
                }
            }
            // Float32 sums of k products drift like √k ulps from the double-precision reference.
            #expect(worst < 2e-6 * Double(k).squareRoot() + 1e-6, "m \(m) n \(n) k \(k) columns \(columns): relative error \(worst)")
        }
    }

    @Test func theKernelIsNamed() {
        #expect(["avx512f", "avx2+fma", "portable"].contains(PackedWeight.kernel))
    }
}
