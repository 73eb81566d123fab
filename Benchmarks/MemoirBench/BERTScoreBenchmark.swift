import ArgumentParser
import Evaluation
import Foundation
import Numerics
import TextModels

struct BERTScoreBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bertscore",
        abstract: "Score every candidate/reference pair of two files with BERTScore and report pairs/s.",
        discussion: """
            Model loaded once, one untimed warm-up pass, then one timed pass (idf weights, when asked, are \
            recomputed from the references inside it). With --json, prints one line \
            {"impl":"memoir-swift","pairs":…,"seconds":…,"pairs_per_second":…,"peak_rss_mb":…, …}; --scores FILE \
            writes {"P":[…],"R":[…],"F":[…]} for the agreement check.
            """)

    @Option(help: "File of candidate texts, one per line.") var candidateFile: String
    @Option(help: "File of reference texts, one per line.") var referenceFile: String
    @Option(help: "BERT model directory (default: all-MiniLM-L6-v2).") var model: String?
    @Option(help: "Hidden layer (default: the model's tuned layer).") var layer: Int?
    @Flag(help: "idf weights from the references.") var idf = false
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(help: "Write the scores here as JSON.") var scores: String?
    @Flag(help: "Emit one JSON line.") var json = false

    func run() throws {
        try Parallel.withThreadLimit(threads) { try measure() }
    }

    /// The benchmark proper, under the `--threads` limit.
    func measure() throws {
        func lines(_ path: String) throws -> [String] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
            return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast(text.hasSuffix("\n") ? 1 : 0)
        }
        let (c, r) = (try lines(candidateFile), try lines(referenceFile))
        guard c.count == r.count, !c.isEmpty else { throw ValidationError("\(c.count) candidates but \(r.count) references") }
        let scorer = try BERTScorer(modelDirectory: ModelLocator.sentenceModelDirectory(explicit: model), layer: layer)
        _ = try scorer.score(candidates: c, references: r, idf: idf) // warm-up, as the peer does
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try scorer.score(candidates: c, references: r, idf: idf)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let scores {
            let payload = ["P": result.map(\.precision), "R": result.map(\.recall), "F": result.map(\.f1)]
            try JSONEncoder().encode(payload).write(to: URL(fileURLWithPath: scores))
        }
        let lengths = Set((c + r).map { scorer.encode($0).ids }).map(\.count)
        let gflop = Self.forwardFlops(lengths: lengths, layers: scorer.layer, config: scorer.model.config) / 1e9
        let line = Line(impl: "memoir-swift", pairs: c.count, layer: scorer.layer, idf: idf, seconds: seconds,
                        pairs_per_second: Double(c.count) / seconds, threads: Parallel.threadCount,
                        peak_rss_mb: EmbedBenchmark.peakResidentMegabytes(), blas: "OpenBLAS \(BLAS.coreName)", hash: scorer.hashCode(idf: idf),
                        distinct_texts: lengths.count, distinct_tokens: lengths.reduce(0, +), forward_gflop: gflop,
                        forward_gflops_per_second: gflop / seconds)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(line), as: UTF8.self))
        } else {
            print("\(c.count) pairs, layer \(scorer.layer), idf \(idf), \(line.threads) threads: \(String(format: "%.1f", line.pairs_per_second)) pairs/s")
        }
    }

    /// Multiply-adds ×2 of the encoder layers every distinct text must pass through, whoever computes them:
    /// per layer, Q/K/V/output projections 4 · 2nH², feed-forward 2 · 2nHI, attention scores and weighted sum
    /// 2 · 2n²H for a text of n tokens. Both sides must do at least this; it bounds the possible speed-up.
    static func forwardFlops(lengths: [Int], layers: Int, config: BertConfig) -> Double {
        let (h, i) = (Double(config.hiddenSize), Double(config.intermediateSize))
        return lengths.reduce(0) { total, count in
            let n = Double(count)
            return total + Double(layers) * (n * (8 * h * h + 4 * h * i) + 4 * n * n * h)
        }
    }

    struct Line: Encodable {
        let impl: String, pairs: Int, layer: Int, idf: Bool, seconds: Double, pairs_per_second: Double
        let threads: Int, peak_rss_mb: Double, blas: String, hash: String
        /// Distinct token sequences embedded, their tokens, and the forward arithmetic they need.
        let distinct_texts: Int, distinct_tokens: Int, forward_gflop: Double, forward_gflops_per_second: Double
    }
}
