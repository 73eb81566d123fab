import ArgumentParser
import Foundation
import Numerics

struct SgemmBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sgemm",
        abstract: "Time a plain cblas_sgemm C[m×n] = A[m×k]·B[k×n] (row-major, no transpose) and report GFLOP/s.",
        discussion: """
            The default shape is the fused encoder's heaviest GEMM at full MNI size: a stage-1 3×3×3 convolution \
            (64 output channels, k = 64·27, n = 23·28·23 output voxels). One untimed call, then --repeats timed ones.
            """)

    @Option var m = 64
    @Option var n = 23 * 28 * 23
    @Option var k = 64 * 27

    @Option(help: "Timed calls.")
    var repeats = 10

    @Option(help: "OpenBLAS threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Emit one JSON line.")
    var json = false

    func run() throws {
        if let threads { BLAS.threadCount = threads }
        var a = [Float](repeating: 0, count: m * k), b = [Float](repeating: 0, count: k * n), c = [Float](repeating: 0, count: m * n)
        var rng = SystemRandomNumberGenerator()
        for i in a.indices { a[i] = Float.random(in: -1...1, using: &rng) }
        for i in b.indices { b[i] = Float.random(in: -1...1, using: &rng) }
        func call() {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        BLAS.gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n, transposeB: false,
                                  c: pc.baseAddress!, ldc: n)
                    }
                }
            }
        }
        call()
        var times: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            call()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let best = times.min()!
        let gflop = 2 * Double(m) * Double(n) * Double(k) / 1e9
        let result = Result(impl: "cblas_sgemm", m: m, n: n, k: k, threads: BLAS.threadCount, repeats: times.count,
                            seconds_best: best, seconds_median: times.sorted()[times.count / 2], gflops_per_second: gflop / best,
                            blas: "OpenBLAS \(BLAS.coreName)")
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(String(format: "sgemm %d×%d×%d: %.1f GFLOP/s (%@, %d threads)", m, n, k, result.gflops_per_second, result.blas, result.threads))
        }
    }

    struct Result: Encodable {
        let impl: String, m: Int, n: Int, k: Int, threads: Int, repeats: Int
        let seconds_best: Double, seconds_median: Double, gflops_per_second: Double, blas: String
    }
}
