import ArgumentParser
import Foundation
import Numerics

/// x·Wᵀ for a few rows (one sentence through MiniLM's dense layers) two ways on one thread: OpenBLAS's
/// cblas_sgemm, which packs W on every call, and `PackedWeight`, which packed it once at load.
struct SmallGemmBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "small-gemm",
        abstract: "Time x·Wᵀ for few rows: cblas_sgemm against the packed-weight kernel (1 thread); writes a Markdown table.",
        discussion: "Shapes: MiniLM's fused QKV (1152×384), attention output (384×384), feed-forward (1536×384, 384×1536).")

    @Option(help: "Row counts to time (comma-separated).")
    var rows = "1,8,16,32,64,96,128,256"

    @Option(help: "Seconds of calls per measurement (best of 3).")
    var seconds = 0.3

    @Option(help: "Write the Markdown table here (default: print it).")
    var out: String?

    func run() throws {
        BLAS.threadCount = 1
        let shapes = [(1152, 384), (384, 384), (1536, 384), (384, 1536)]
        let rowCounts = rows.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
        var lines = ["| rows | W (out×in) | cblas_sgemm GFLOP/s | packed GFLOP/s | packed / cblas |", "|---:|---|---:|---:|---:|"]
        var rng = SystemRandomNumberGenerator()
        for (n, k) in shapes {
            let w = (0..<(n * k)).map { _ in Float.random(in: -1...1, using: &rng) }
            let packed = w.withUnsafeBufferPointer { PackedWeight(weight: $0.baseAddress!, outputWidth: n, inputWidth: k) }
            for m in rowCounts {
                let a = (0..<(m * k)).map { _ in Float.random(in: -1...1, using: &rng) }
                var c = [Float](repeating: 0, count: m * n)
                let blas = rate(m: m, n: n, k: k) {
                    a.withUnsafeBufferPointer { pa in w.withUnsafeBufferPointer { pw in c.withUnsafeMutableBufferPointer { pc in
                        BLAS.gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pw.baseAddress!, ldb: k, transposeB: true,
                                  c: pc.baseAddress!, ldc: n)
                    }}}
                }
                let mine = rate(m: m, n: n, k: k) {
                    a.withUnsafeBufferPointer { pa in c.withUnsafeMutableBufferPointer { pc in
                        packed.multiply(rows: m, input: pa.baseAddress!, inputStride: k, output: pc.baseAddress!, outputStride: n,
                                        columns: 0..<n, accumulate: false)
                    }}
                }
                lines.append(String(format: "| %d | %d×%d | %.1f | %.1f | %.2f× |", m, n, k, blas, mine, mine / blas))
            }
        }
        let cpu = CPUFeatures.current
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
        let header = """
            # Few-row GEMM: OpenBLAS against weights packed once

            \(ISO8601DateFormatter().string(from: Date())), 1 thread. CPU: \(cpu.modelName). OpenBLAS kernels \(BLAS.coreName); \
            packed kernel \(PackedWeight.kernel). Best of 3 runs of \(seconds) s each; load average \(load) at the end \
            (other work on the cores lowers both columns alike). Produced by \
            `memoir-bench small-gemm --out Benchmarks/results/small-gemm.md`.

            `LinearLayer` uses the packed kernel up to \(PackedWeight.rowLimit) rows and OpenBLAS above.

            """
        let text = header + "\n" + lines.joined(separator: "\n") + "\n"
        if let out {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            print("wrote \(out)")
        } else {
            print(text)
        }
    }

    func rate(m: Int, n: Int, k: Int, _ call: () -> Void) -> Double {
        call()
        var best = Double.infinity
        for _ in 0..<3 {
            var calls = 0
            let start = DispatchTime.now().uptimeNanoseconds
            var elapsed = 0.0
            repeat {
                call()
                calls += 1
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < seconds
            best = min(best, elapsed / Double(calls))
        }
        return 2 * Double(m) * Double(n) * Double(k) / best / 1e9
    }
}
