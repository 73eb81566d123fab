import ArgumentParser
import Foundation
import FusedEncoder
import Numerics

struct ConvBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conv",
        abstract: "Time one 3×3×3 stride-1 convolution (+ residual + ReLU, as in a BasicBlock) by im2col + sgemm and by Winograd F(2,3).",
        discussion: """
            Defaults are the full-size first stage (64 → 64 channels on 23×28×23). One untimed call per algorithm, \
            then --repeats timed ones, alternating; GFLOP/s counts the direct convolution's multiply-adds for both.
            """)

    @Option var inputChannels = 64
    @Option var outputChannels = 64
    @Option(help: "Spatial size x,y,z.") var shape = "23,28,23"
    @Option(help: "Timed calls per algorithm.") var repeats = 10
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Flag(help: "Emit one JSON line.") var json = false

    func run() throws {
        try Parallel.withThreadLimit(threads) { try measure() }
    }

    /// The benchmark proper, under the `--threads` limit.
    func measure() throws {
        if let threads { BLAS.threadCount = threads }
        let dims = shape.split(separator: ",").compactMap { Int($0) }
        guard dims.count == 3 else { throw ValidationError("--shape wants x,y,z") }
        let s = SpatialShape(dims)
        var rng = SystemRandomNumberGenerator()
        let (cin, cout) = (inputChannels, outputChannels)
        let conv = Conv3D(weight: (0..<(cout * cin * 27)).map { _ in Float.random(in: -0.1...0.1, using: &rng) },
                          bias: (0..<cout).map { _ in Float.random(in: -1...1, using: &rng) },
                          inputChannels: cin, outputChannels: cout, kernel: 3, stride: 1, padding: 1)
        let winograd = conv.usingWinograd()
        let input = FeatureMap(channels: cin, shape: s, values: (0..<(cin * s.count)).map { _ in Float.random(in: 0...1, using: &rng) })
        let residual = FeatureMap(channels: cout, shape: s, values: (0..<(cout * s.count)).map { _ in Float.random(in: -1...1, using: &rng) })
        let workspace = ConvWorkspace()
        var times: [String: [Double]] = ["im2col": [], "winograd": []]
        for round in 0...max(1, repeats) {
            for (name, c) in [("im2col", conv), ("winograd", winograd)] {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = c.apply(input, residual: residual, relu: true, workspace: workspace)
                if round > 0 { times[name]!.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
            }
        }
        let gflop = conv.flops(s) / 1e9
        let results = times.keys.sorted().map { name -> Result in
            let t = times[name]!.sorted()
            return Result(algorithm: name, seconds_best: t[0], seconds_median: t[t.count / 2], gflops_per_second: gflop / t[0])
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            print(String(decoding: try encoder.encode(Summary(input_channels: cin, output_channels: cout, shape: s.dims,
                                                               threads: Parallel.threadCount, results: results)), as: UTF8.self))
        } else {
            for r in results {
                print(String(format: "%@ %d→%d on %@: best %.2f ms, median %.2f ms, %.1f GFLOP/s (direct-equivalent)", r.algorithm,
                             cin, cout, s.description, r.seconds_best * 1e3, r.seconds_median * 1e3, r.gflops_per_second))
            }
        }
    }

    struct Result: Encodable { let algorithm: String, seconds_best: Double, seconds_median: Double, gflops_per_second: Double }
    struct Summary: Encodable { let input_channels: Int, output_channels: Int, shape: [Int], threads: Int, results: [Result] }
}
