import Application
import ArgumentParser
import Foundation
import Numerics

struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report the CPU's vector flags, the BLAS kernels in use, how they were chosen, and a self-check.",
        discussion: """
        Memoir reads the CPU's feature flags at start; where OpenBLAS's own pick is weaker than the flags allow \
        (Debian's OpenBLAS 0.3.21 runs generic kernels on CPUs newer than its model list), it restarts itself with \
        OPENBLAS_CORETYPE set to the best family the flags allow, keeping it only if it passes a check against a \
        double-precision reference GEMM. OPENBLAS_CORETYPE set by you is respected. --measure times the encoder's \
        largest sgemm (64×14812×1728) under every family the CPU can run, each in a child process.
        """)

    @Flag(help: "Time sgemm under each kernel family the CPU supports (a few seconds).")
    var measure = false

    @Flag(help: "Emit JSON.")
    var json = false

    @Flag(help: .hidden) var probe = false

    func run() throws {
        if probe {
            let encoder = JSONEncoder()
            FileHandle.standardOutput.write(try encoder.encode(KernelDoctor.probeThisProcess()))
            return
        }
        let report = try KernelDoctor.report(measure: measure)
        if json { try JSONLines.emit(report); return }
        print("CPU        \(TerminalText.safe(report.cpu)) (\(report.vendor))")
        print("flags      \(report.vectorFlags.joined(separator: " "))")
        print("OpenBLAS   \(report.openblasConfig)")
        print("kernels    \(report.chosen); best the flags allow: \(report.bestForCPU ?? "generic")")
        print("few-row    \(report.packedKernel) (dense layers over ≤ \(PackedWeight.rowLimit) rows, weights packed at load)")
        print("element    \(report.vectorKernel) (GELU and softmax between a transformer layer's GEMMs)")
        print("threads    \(report.threads)")
        print("self-check \(report.selfCheck.passed ? "passed" : "FAILED"): max relative error \(String(format: "%.2e", report.selfCheck.maxRelativeError)) "
              + "against a double-precision reference GEMM")
        guard let measurements = report.measurements else { return }
        let best = measurements.map(\.gflops).max() ?? 0
        print("\nsgemm \(KernelDoctor.probeShape.m)×\(KernelDoctor.probeShape.n)×\(KernelDoctor.probeShape.k), \(report.threads) thread(s):")
        for m in measurements {
            let label = m.forced.map { "OPENBLAS_CORETYPE=\($0)" } ?? "OpenBLAS's own pick"
            let figures = String(format: "%7.1f GFLOP/s  %5.1f%% of best", m.gflops, 100 * m.gflops / max(best, 1e-9))
            print("  " + label.padding(toLength: 32, withPad: " ", startingAt: 0) + m.kernel.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + figures + "  check " + (m.selfCheck.passed ? "ok" : "FAILED") + (m.isInUse ? "  ← in use" : ""))
        }
    }
}
