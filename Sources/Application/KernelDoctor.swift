import Foundation
import Numerics

/// `memoir doctor`: what this machine gives the numerical core — the CPU's vector flags, the OpenBLAS kernel
/// family in use and how it was chosen, a self-check of it against a reference GEMM and, on request, the
/// measured sgemm rate of every family the CPU can run (each in a child process, since OpenBLAS fixes its
/// family at load), so the choice can be compared with the best forced one.
public enum KernelDoctor {
    public struct Report: Encodable, Sendable {
        public let cpu: String
        public let vendor: String
        public let vectorFlags: [String]
        public let openblasConfig: String
        public let kernelInUse: String
        public let chosen: String
        /// The few-row GEMM kernel dense layers use for one sentence or one case (`PackedWeight`), picked by CPU feature.
        public let packedKernel: String
        /// The GELU and softmax kernels between a transformer layer's GEMMs (`VectorOps`, CVectorKernels), picked by CPU feature.
        public let vectorKernel: String
        public let bestForCPU: String?
        public let threads: Int
        public let selfCheck: BLASSelfCheck.Result
        public var measurements: [Measurement]?
    }

    public struct Measurement: Codable, Sendable {
        /// The family OPENBLAS_CORETYPE forced, or nil for OpenBLAS's own pick.
        public let forced: String?
        public let kernel: String
        public let gflops: Double
        public let selfCheck: BLASSelfCheck.Result
        public var isInUse = false
    }

    /// The sgemm the measurement times: the encoder stem's im2col product (64 filters × 14,812 output voxels
    /// × 1,728 = 4³·27 taps), the shape of the issue's reference table.
    public static let probeShape = (m: 64, n: 14_812, k: 1_728)

    public static func report(measure: Bool, executable: String = "/proc/self/exe") throws -> Report {
        let cpu = CPUFeatures.current
        var report = Report(cpu: cpu.modelName, vendor: cpu.vendor, vectorFlags: cpu.vectorFlags, openblasConfig: BLAS.configuration,
                            kernelInUse: BLAS.coreName, chosen: BLASKernelSelection.summary(), packedKernel: PackedWeight.kernel, vectorKernel: VectorOps.kernel, bestForCPU: BLASKernelPlan.best(for: cpu),
                            threads: BLAS.threadCount, selfCheck: BLASSelfCheck.run())
        if measure {
            let families = BLASKernelPlan.ladder.filter { $0.needs.allSatisfy(cpu.has) }.map(\.name)
            var results = try ([nil] + families).map { try probe(forced: $0, executable: executable) }
            if let i = results.firstIndex(where: { $0.kernel == BLAS.coreName }) { results[i].isInUse = true }
            report.measurements = results
        }
        return report
    }

    /// Runs `executable doctor --probe` with the family forced (or none), and reads its one JSON line.
    static func probe(forced: String?, executable: String) throws -> Measurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["doctor", "--probe"]
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = forced
        environment["MEMOIR_BLAS_SELECTION"] = "off"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, var measurement = try? JSONDecoder().decode(Measurement.self, from: data) else {
            throw ApplicationError.incomplete("the kernel probe for \(forced ?? "OpenBLAS's own pick") failed (exit \(process.terminationStatus))")
        }
        measurement = Measurement(forced: forced, kernel: measurement.kernel, gflops: measurement.gflops, selfCheck: measurement.selfCheck)
        return measurement
    }

    /// The child's side: this process's family, its self-check and its best-of-three sgemm rate.
    public static func probeThisProcess() -> Measurement {
        let (m, n, k) = probeShape
        let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        var best = Double.infinity
        for round in 0..<4 {
            let start = DispatchTime.now().uptimeNanoseconds
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        guard let ap = pa.baseAddress, let bp = pb.baseAddress, let cp = pc.baseAddress else { return }
                        BLAS.gemm(m: m, n: n, k: k, a: ap, lda: k, b: bp, ldb: n, transposeB: false, c: cp, ldc: n)
                    }
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if round > 0 { best = min(best, seconds) }  // the first call pays for thread start-up and page faults
        }
        return Measurement(forced: nil, kernel: BLAS.coreName, gflops: 2 * Double(m * n * k) / best / 1e9, selfCheck: BLASSelfCheck.run())
    }
}
