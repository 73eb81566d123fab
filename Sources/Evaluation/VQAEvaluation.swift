import Answering
import Cohort
import Crypto
import Foundation
import FusedEncoder
import Store

/// `memoir eval vqa`: every QA item asked through the answering pipeline, for each backbone and modality
/// subset; the diagnosis read from each answer, BERTScore and SBERT cosine against the reference.
/// Answers are stored as they arrive (`VQARunStore`), so an interrupted run resumes where it stopped.
public struct VQAEvaluation {
    public var pipeline: AnswerPipeline
    public var backbones: [VQABackbone]
    public var subsets: [ModalitySet]
    public var rerank: Bool
    public var bertScorer: BERTScorer
    public var sbert: SBERTSimilarity
    public var idf: Bool

    public init(pipeline: AnswerPipeline, backbones: [VQABackbone], subsets: [ModalitySet], rerank: Bool,
                bertScorer: BERTScorer, sbert: SBERTSimilarity, idf: Bool = false) {
        self.pipeline = pipeline
        self.backbones = backbones
        self.subsets = subsets
        self.rerank = rerank
        self.bertScorer = bertScorer
        self.sbert = sbert
        self.idf = idf
    }

    /// What a run did, beside its results.
    public struct Outcome: Sendable {
        public var runID: String
        public var results: EvaluationResults
        public var asked: Int
        public var resumed: Int
        public var failed: Int
    }

    /// Settings that decide the answers; their hash names the run. The selection of questions is not part
    /// of it, so a longer `--limit` later extends the same run instead of starting over.
    public func settings(qa: QASet) -> [EvaluationResults.Setting] {
        var s: [EvaluationResults.Setting] = [
            .init("QA file", "\(qa.path) (sha256 \(qa.sha256))"),
            .init("backbones", backbones.map(\.name).joined(separator: "; ")),
            .init(Self.endpointsSetting, backbones.map(\.client.endpoint).joined(separator: "; ")),
            .init("modality subsets", subsets.map(\.key).joined(separator: ", ")),
            .init("encoder", pipeline.embedder.encoderHash),
            .init("case index", "\(pipeline.index.directory) (\(pipeline.index.count) cases, created \(pipeline.index.manifest.createdAt))"),
            .init("reranker", rerank ? (pipeline.reranker?.identity ?? "none") : "off"),
            .init("prompt version", pipeline.prompt.version),
        ]
        if let g = backbones.first?.generation {
            s.append(.init("temperature", "\(g.temperature)"))
            s.append(.init("seed", g.seed.map(String.init) ?? "none"))
            s.append(.init("max tokens", "\(g.maxTokens)"))
        }
        s.append(.init("BERTScore", bertScorer.hashCode(idf: idf)))
        s.append(.init("SBERT", "cosine, all-MiniLM-L6-v2 mean pooling"))
        return s
    }

    /// Where the backbones were served: recorded, but not part of the run's identity (a restarted server
    /// gets a new port and must still resume the run).
    public static let endpointsSetting = "endpoints"

    public static func runID(settings: [EvaluationResults.Setting]) -> String {
        let text = settings.filter { $0.name != endpointsSetting }.map { "\($0.name)=\($0.value)" }.joined(separator: "\n")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined().prefix(16).lowercased()
    }

    public func run(qa: QASet, runs: VQARunStore, extraSettings: [EvaluationResults.Setting] = [],
                    progress: ((Int, Int) -> Void)? = nil) throws -> Outcome {
        guard !qa.items.isEmpty else { throw EvaluationError.emptyInput(what: qa.path) }
        let settings = settings(qa: qa)
        let runID = Self.runID(settings: settings)
        try runs.open(runID: runID, settings: settings)
        let finished = try runs.finishedKeys(runID: runID)
        let total = qa.items.count * subsets.count * backbones.count
        var done = 0, asked = 0, resumed = 0
        for item in qa.items {
            for subset in subsets {
                let pending = backbones.filter { !finished.contains(VQARunStore.key(item.id, $0.name, subset.key)) }
                done += backbones.count - pending.count
                resumed += backbones.count - pending.count
                guard !pending.isEmpty else { progress?(done, total); continue }
                // Retrieval does not depend on the backbone: prepare once per question and subset.
                let prepared: PreparedAsk
                do {
                    prepared = try pipeline.prepare(AskRequest(caseID: item.caseID, question: item.question, modalities: subset, rerank: rerank))
                } catch {
                    for b in pending {
                        try runs.record(runID: runID, result: failure(item, b, subset, error: "retrieval failed: \(error)", seconds: 0), askID: nil)
                        done += 1
                    }
                    progress?(done, total)
                    continue
                }
                for b in pending {
                    let start = DispatchTime.now().uptimeNanoseconds
                    var result: QuestionResult
                    var askID: Int64?
                    do {
                        let answer = try pipeline.answer(prepared, client: b.client, generation: b.generation)
                        askID = answer.askID
                        let seconds = answer.timings.total
                        let text = answer.answer.answer.trimmingCharacters(in: .whitespacesAndNewlines)
                        result = QuestionResult(qaID: item.id, caseID: item.caseID, backbone: b.name, modalities: subset.key,
                                                category: item.category, predictedDiagnosis: answer.answer.diagnosis,
                                                expectedDiagnosis: item.expectedDiagnosis, answer: text, reference: item.reference,
                                                bertScore: nil, sbertCosine: nil, latencySeconds: seconds,
                                                error: text.isEmpty ? "empty answer" : nil)
                    } catch {
                        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                        result = failure(item, b, subset, error: "\(error)", seconds: seconds)
                    }
                    try runs.record(runID: runID, result: result, askID: askID)
                    asked += 1
                    done += 1
                    progress?(done, total)
                }
            }
        }
        let selected = Set(qa.items.map(\.id))
        var results = try runs.results(runID: runID).filter { selected.contains($0.qaID) }
        try score(&results)
        try runs.finish(runID: runID)
        let date = ISO8601DateFormatter().string(from: Date())
        return Outcome(runID: runID, results: EvaluationResults(date: date, settings: [.init("run", runID)] + settings
                                                   + [.init("questions", "\(qa.items.count)")] + extraSettings, questions: results),
                       asked: asked, resumed: resumed, failed: results.filter { $0.error != nil }.count)
    }

    /// BERTScore and SBERT cosine for every answered row (idf, when on, from this run's references).
    func score(_ results: inout [QuestionResult]) throws {
        let answered = results.indices.filter { results[$0].error == nil }
        guard !answered.isEmpty else { return }
        let candidates = answered.map { results[$0].answer }, references = answered.map { results[$0].reference }
        let bert = try bertScorer.score(candidates: candidates, references: references, idf: idf)
        let cosine = try sbert.scores(candidates: candidates, references: references)
        for (n, i) in answered.enumerated() {
            results[i].bertScore = bert[n]
            results[i].sbertCosine = cosine[n]
        }
    }

    private func failure(_ item: QAItem, _ b: VQABackbone, _ subset: ModalitySet, error: String, seconds: Double) -> QuestionResult {
        QuestionResult(qaID: item.id, caseID: item.caseID, backbone: b.name, modalities: subset.key, category: item.category,
                       predictedDiagnosis: nil, expectedDiagnosis: item.expectedDiagnosis, answer: "", reference: item.reference,
                       bertScore: nil, sbertCosine: nil, latencySeconds: seconds, error: error)
    }
}
