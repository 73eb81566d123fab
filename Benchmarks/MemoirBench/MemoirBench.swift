import ArgumentParser
import Foundation
import Numerics
import TextModels
#if canImport(Glibc)
import Glibc
#endif

/// Throughput benchmarks for Memoir's native models; `Benchmarks/*/run.sh` compare them with
/// the Python peers in the same run and write the results files.
struct MemoirBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memoir-bench",
        abstract: "Benchmarks for Memoir's native models.",
        subcommands: [EmbedBenchmark.self, EncoderBenchmark.self, SgemmBenchmark.self, SmallGemmBenchmark.self, ConvBenchmark.self, BERTScoreBenchmark.self, RerankBenchmark.self, ReverifyCommand.self,
                      FuzzCommand.self, RegistrationCalibration.self, IndexBenchmark.self])
}

struct EmbedBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed every sentence of a file end to end (tokenise, encode, pool, normalise) and report sentences/s.",
        discussion: """
            One untimed warm-up pass over all the sentences, then one timed pass. With --json, prints one line:
            {"impl":"memoir-swift","batch_size":…,"sentences":…,"seconds":…,"sentences_per_second":…,"peak_rss_mb":…, …}
            """)

    @Option(help: "File with one sentence per line.")
    var sentences: String

    @Option(help: "Sentences per forward pass.")
    var batchSize = 32

    @Option(help: "Sentence-transformers model directory (default: see `memoir --help`).")
    var model: String?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Emit one JSON line.")
    var json = false

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        try Parallel.withThreadLimit(threads) { try measure() }
    }

    /// The benchmark proper, under the `--threads` limit.
    func measure() throws {
        guard let text = try? String(contentsOfFile: sentences, encoding: .utf8) else {
            throw ValidationError("cannot read \(sentences)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty else { throw ValidationError("\(sentences) has no sentences") }
        let encoder = try SentenceEncoder(directory: ModelLocator.sentenceModelDirectory(explicit: model))
        _ = try encoder.encode(lines, batchSize: batchSize) // warm-up pass, as the peers do
        let start = DispatchTime.now().uptimeNanoseconds
        let vectors = try encoder.encode(lines, batchSize: batchSize)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        precondition(vectors.count == lines.count && vectors.allSatisfy { $0.count == encoder.dimension })
        let result = Result(impl: "memoir-swift", batch_size: batchSize, sentences: lines.count, seconds: seconds,
                            sentences_per_second: Double(lines.count) / seconds, peak_rss_mb: Self.peakResidentMegabytes(),
                            threads: Parallel.threadCount, blas: "OpenBLAS \(BLAS.coreName) + packed \(PackedWeight.kernel)")
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print("\(result.sentences) sentences, batch \(batchSize), \(result.threads) threads (\(result.blas)): \(String(format: "%.1f", result.sentences_per_second)) sentences/s, peak RSS \(Int(result.peak_rss_mb)) MB")
        }
    }

    struct Result: Encodable {
        let impl: String, batch_size: Int, sentences: Int, seconds: Double, sentences_per_second: Double, peak_rss_mb: Double
        let threads: Int, blas: String
    }

    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024 // kilobytes on Linux
    }
}
