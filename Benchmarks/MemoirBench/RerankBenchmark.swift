import ArgumentParser
import Foundation
import Numerics
import TextModels

/// The retrieval stage's rerank: one query against `--candidates` passages per forward, as `CaseReranker` scores the
/// 50 retrieved cases. A full cross-encoder (`memoir_join_layer` 0) reads every pair whole, like the Python peers; the
/// shipped late-interaction reranker reads each caption alone below its join layer, so with the captions' states
/// cached (as the case store keeps them) a query costs its own segment and the joined layers only.
struct RerankBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerank",
        abstract: "Rerank --candidates passages per query with a cross-encoder and report the time per query.",
        discussion: """
            --pairs is a JSON file {"queries": [...], "passages": [...]}; query i gets the passages from i × candidates on (wrapping).
            One untimed warm-up pass over all queries, then one timed pass. With --json, prints one line:
            {"impl":"memoir-swift","queries":…,"candidates":…,"seconds_per_query":…,"p50_ms":…,"p90_ms":…, "first_logits":[…], …}
            """)

    @Option(help: "Cross-encoder directory (Hugging Face BertForSequenceClassification layout or a weight overlay).")
    var model: String

    @Option(help: "JSON file with \"queries\" and \"passages\".")
    var pairs: String

    @Option(help: "Passages per query.")
    var candidates = 50

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Emit one JSON line.")
    var json = false

    struct Pairs: Decodable { let queries: [String]; let passages: [String] }

    func validate() throws {
        guard (1...1024).contains(candidates) else { throw ValidationError("--candidates must be in 1...1024") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        if let threads { BLAS.threadCount = threads }
        try Parallel.withThreadLimit(threads) { try measure() }
    }

    func measure() throws {
        guard let data = FileManager.default.contents(atPath: pairs), let input = try? JSONDecoder().decode(Pairs.self, from: data),
              !input.queries.isEmpty, !input.passages.isEmpty else {
            throw ValidationError("\(pairs) must be a JSON object with non-empty \"queries\" and \"passages\"")
        }
        let encoder = try CrossEncoder(directory: model)
        let batches = input.queries.indices.map { q in
            (0..<candidates).map { input.passages[(q * candidates + $0) % input.passages.count] }
        }
        // The late-interaction path reads cached caption states, as `CaseReranker` does from the store.
        let cached = encoder.isLateInteraction ? try batches.map { try encoder.segmentStates($0) } : []
        func score(_ q: Int) throws -> [[Float]] {
            if encoder.isLateInteraction {
                let query = try encoder.segmentStates([input.queries[q]])[0]
                return try encoder.logits(query: query, passages: cached[q], batchSize: candidates)
            }
            return try encoder.logits(query: input.queries[q], passages: batches[q], batchSize: candidates)
        }
        for q in input.queries.indices { _ = try score(q) }  // warm-up pass, as the peers do
        var times: [Double] = []
        var first: [Float] = []
        for q in input.queries.indices {
            let start = DispatchTime.now().uptimeNanoseconds
            let logits = try score(q)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            if q == 0 { first = logits.map { $0[0] } }
        }
        let result = Result(impl: encoder.isLateInteraction ? "memoir-swift late interaction (caption states cached)" : "memoir-swift",
                            queries: times.count, candidates: candidates, seconds_per_query: times.reduce(0, +) / Double(times.count),
                            p50_ms: IndexMetrics.percentile(times, 0.5) * 1000, p90_ms: IndexMetrics.percentile(times, 0.9) * 1000, peak_rss_mb: EmbedBenchmark.peakResidentMegabytes(),
                            threads: Parallel.threadCount, blas: "OpenBLAS \(BLAS.coreName) + packed \(PackedWeight.kernel)",
                            join_layer: encoder.joinLayer, first_logits: first)
        if json {
            let out = JSONEncoder()
            out.outputFormatting = .sortedKeys
            print(String(decoding: try out.encode(result), as: UTF8.self))
        } else {
            print("\(result.impl): \(result.queries) queries × \(candidates) passages, \(result.threads) threads (\(result.blas)): "
                  + String(format: "%.1f ms per query (p50 %.1f, p90 %.1f)", result.seconds_per_query * 1000, result.p50_ms, result.p90_ms))
        }
    }

    struct Result: Encodable {
        let impl: String, queries: Int, candidates: Int, seconds_per_query: Double, p50_ms: Double, p90_ms: Double, peak_rss_mb: Double
        let threads: Int, blas: String, join_layer: Int, first_logits: [Float]
    }
}
