import Answering
import Cohort
import Foundation
import FusedEncoder
import Store

/// Retrieval quality and pre-LLM latency over a split: for each query case, precision@k of same-diagnosis
/// neighbours among the context, by embedding similarity alone and after the cross-encoder, and the
/// seconds each stage took (the same `prepare` path `memoir ask` runs, without the LLM).
public struct RetrievalEvaluation: Sendable, Codable {
    public struct Latency: Sendable, Codable {
        public var median: Double
        public var p95: Double
        public var mean: Double

        /// Percentiles as `EvaluationSummary` computes them (numpy's linear interpolation).
        init(_ values: [Double]) {
            let sorted = values.sorted()
            median = EvaluationSummary.percentile(sorted, 0.5) ?? .nan
            p95 = EvaluationSummary.percentile(sorted, 0.95) ?? .nan
            mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        }
    }

    public var queries: Int
    public var indexSize: Int
    public var candidates: Int
    public var contextSize: Int
    public var modalities: String
    public var question: String
    /// Same-diagnosis fraction of the top `contextSize` by cosine.
    public var precisionEmbedding: Double
    /// Same-diagnosis fraction of the top `contextSize` after reranking (nil without a reranker).
    public var precisionReranked: Double?
    /// Same-diagnosis fraction of all `candidates`: what a reranker can at best pick from.
    public var precisionCandidates: Double
    /// Chance level: the training split's diagnosis mix seen from each query's group.
    public var precisionChance: Double
    /// Per query diagnosis: precision of the context (reranked when available).
    public var precisionByDiagnosis: [String: Double]
    /// Seconds per stage over the queries (embeddings from the cache, as in normal use).
    public var latency: [String: Latency]

    /// Runs `pipeline.prepare` for every case of `split` with the same `question`.
    public static func run(pipeline: AnswerPipeline, split: Split, question: String, modalities: ModalitySet = .all,
                           candidates: Int = 50, contextSize: Int = 5, limit: Int? = nil,
                           progress: ((Int, Int) -> Void)? = nil) throws -> RetrievalEvaluation {
        var cases = try pipeline.store.allCases(split: split)
        if let limit { cases = Array(cases.prefix(limit)) }
        guard !cases.isEmpty else { throw EvaluationError.emptyInput(what: "the \(split.rawValue) split") }
        let training = try pipeline.store.allCases(split: .train)
        let mix = Dictionary(grouping: training, by: { $0.record.diagnosis }).mapValues { Double($0.count) / Double(training.count) }
        let rerank = pipeline.reranker != nil
        var embedding = 0.0, reranked = 0.0, pool = 0.0, chance = 0.0
        var byDiagnosis: [Diagnosis: (hits: Double, n: Int)] = [:]
        var stages: [String: [Double]] = [:]
        for (i, c) in cases.enumerated() {
            let dx = c.record.diagnosis
            let prepared = try pipeline.prepare(AskRequest(caseID: c.id, question: question, modalities: modalities,
                                                           candidates: candidates, contextSize: contextSize, rerank: rerank))
            func precision(_ list: [Neighbour]) -> Double {
                let top = list.prefix(contextSize)
                return Double(top.filter { $0.diagnosis == dx }.count) / Double(max(1, top.count))
            }
            embedding += precision(prepared.retrieved)
            let contextPrecision = prepared.reranked.map(precision) ?? precision(prepared.retrieved)
            reranked += contextPrecision
            pool += Double(prepared.retrieved.filter { $0.diagnosis == dx }.count) / Double(max(1, prepared.retrieved.count))
            chance += mix[dx] ?? 0
            byDiagnosis[dx, default: (0, 0)].hits += contextPrecision
            byDiagnosis[dx, default: (0, 0)].n += 1
            let t = prepared.timings
            for (name, value) in [("embed", t.embed), ("search", t.search), ("rerank", t.rerank), ("prompt", t.prompt), ("before_llm", t.beforeLLM)] {
                stages[name, default: []].append(value)
            }
            progress?(i + 1, cases.count)
        }
        let n = Double(cases.count)
        return RetrievalEvaluation(
            queries: cases.count, indexSize: pipeline.index.count, candidates: candidates, contextSize: contextSize,
            modalities: modalities.key, question: question, precisionEmbedding: embedding / n,
            precisionReranked: rerank ? reranked / n : nil, precisionCandidates: pool / n, precisionChance: chance / n,
            precisionByDiagnosis: Dictionary(uniqueKeysWithValues: byDiagnosis.map { ($0.key.rawValue, $0.value.hits / Double($0.value.n)) }),
            latency: stages.mapValues(Latency.init))
    }
}
