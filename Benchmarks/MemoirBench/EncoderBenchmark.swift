import ArgumentParser
import Cohort
import Foundation
import FusedEncoder
import Numerics

struct EncoderBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encoder",
        abstract: "Time the fused encoder's forward pass on one case (T1 + FA + clinical) and report s/case and GFLOP/s.",
        discussion: """
            Inputs are Benchmarks/encoder/peer.py's: t1.f32 and fa.f32 (preprocessed, [X, Y, Z] with Z fastest), \
            clinical.json, and reference.json (PyTorch's z for the same weights), against which the output is checked. \
            One untimed warm-up forward, then --repeats timed ones.
            """)

    @Option(help: "Encoder directory (config.json + model.safetensors).")
    var model: String

    @Option(help: "Directory written by `peer.py inputs`.")
    var inputs: String

    @Option(help: "Timed forward passes.")
    var repeats = 5

    @Option(help: "Worker and OpenBLAS threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Emit one JSON line.")
    var json = false

    func run() throws {
        try Parallel.withThreadLimit(threads) { try measure() }
    }

    /// The benchmark proper, under the `--threads` limit.
    func measure() throws {
        if let threads { BLAS.threadCount = threads }
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let encoder = try FusedEncoder(directory: model)
        let loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9
        let shape = SpatialShape(encoder.config.inputShape)
        func volume(_ name: String) throws -> EncoderVolume {
            let data = try Data(contentsOf: URL(fileURLWithPath: inputs + "/" + name))
            guard data.count == shape.count * 4 else { throw ValidationError("\(inputs)/\(name): \(data.count) bytes, expected \(shape.count * 4)") }
            return EncoderVolume(shape: shape, values: data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, source: name)
        }
        let clinical = try JSONDecoder().decode(Clinical.self, from: Data(contentsOf: URL(fileURLWithPath: inputs + "/clinical.json")))
        let genotype = clinical.apoeIndex > 0 ? [(2, 2), (2, 3), (2, 4), (3, 3), (3, 4), (4, 4)][clinical.apoeIndex - 1] : nil
        let caseInputs = CaseInputs(subjectID: "bench", t1: try volume("t1.f32"), fa: try volume("fa.f32"),
                                    clinical: ClinicalInputs(scores: clinical.scores, apoe: genotype.flatMap { APOEGenotype($0.0, $0.1) }))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: inputs + "/reference.json")))

        let first = try encoder.encode(caseInputs) // warm-up
        var times: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try encoder.encode(caseInputs)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let sorted = times.sorted()
        let best = sorted[0], median = sorted[sorted.count / 2]
        let gflop = 2 * encoder.config.gflopsPerVolume
        let result = Result(
            impl: "memoir-swift", model: model, threads: Parallel.threadCount, repeats: times.count,
            seconds_per_case_median: median, seconds_per_case_best: best, gflop_per_case: gflop, gflops_per_second: gflop / best,
            peak_rss_mb: EmbedBenchmark.peakResidentMegabytes(), load_seconds: loadSeconds,
            max_abs_diff_z_vs_pytorch: zip(first.z, reference.z).map { abs(Double($0) - $1) }.max() ?? .nan,
            blas: "OpenBLAS \(BLAS.coreName)")
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(String(format: "%.3f s/case (median %.3f), %.1f GFLOP/s, peak RSS %.0f MB, max |Δz| vs PyTorch %.2e",
                         best, median, result.gflops_per_second, result.peak_rss_mb, result.max_abs_diff_z_vs_pytorch))
        }
    }

    struct Clinical: Decodable {
        let scores: [String: Double]
        let apoeIndex: Int
        enum CodingKeys: String, CodingKey { case scores, apoeIndex = "apoe_index" }
    }

    struct Reference: Decodable { let z: [Double] }

    struct Result: Encodable {
        let impl: String, model: String, threads: Int, repeats: Int
        let seconds_per_case_median: Double, seconds_per_case_best: Double, gflop_per_case: Double, gflops_per_second: Double
        let peak_rss_mb: Double, load_seconds: Double, max_abs_diff_z_vs_pytorch: Double, blas: String
    }
}
