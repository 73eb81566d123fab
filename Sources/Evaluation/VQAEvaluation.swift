import Answering
import Cohort
import Crypto
import Foundation
import FusedEncoder
import Numerics
import Store

/// `memoir eval vqa`: every QA item asked through the answering pipeline, for each backbone and modality
/// subset, beside Memoir's evidence-only answer; the diagnosis read from each answer's text, its verdict,
/// BERTScore and SBERT cosine against the reference, time to first token.
/// Answers are stored as they arrive (`VQARunStore`), so an interrupted run resumes where it stopped.
public struct VQAEvaluation {
    public var pipeline: AnswerPipeline
    public var backbones: [VQABackbone]
    public var subsets: [ModalitySet]
    public var rerank: Bool
    public var bertScorer: BERTScorer
    public var sbert: SBERTSimilarity
    public var idf: Bool
    /// Questions in flight at once against a backbone (llama.cpp's parallel slots, `MEMOIR_LLM_PARALLEL`).
    public var concurrency: Int

    public init(pipeline: AnswerPipeline, backbones: [VQABackbone], subsets: [ModalitySet], rerank: Bool,
                bertScorer: BERTScorer, sbert: SBERTSimilarity, idf: Bool = false, concurrency: Int = 1) {
        self.pipeline = pipeline
        self.backbones = backbones
        self.subsets = subsets
        self.rerank = rerank
        self.bertScorer = bertScorer
        self.sbert = sbert
        self.idf = idf
        self.concurrency = max(1, concurrency)
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
            // The templates' own hash too: a version directory edited in place must not resume another text's answers.
            .init("prompt version", "\(pipeline.prompt.version) (sha256 \(Self.hash(pipeline.prompt)))"),
        ]
        if let g = backbones.first?.generation {
            s.append(.init("temperature", "\(g.temperature)"))
            s.append(.init("seed", g.seed.map(String.init) ?? "none"))
            s.append(.init("max tokens", "\(g.maxTokens)"))
            // Only when set, so runs from before the option keep their identity.
            if let penalty = g.frequencyPenalty { s.append(.init("frequency penalty", "\(penalty)")) }
        }
        s.append(.init("BERTScore", bertScorer.hashCode(idf: idf)))
        s.append(.init("SBERT", "cosine, all-MiniLM-L6-v2 mean pooling"))
        // Rows recorded before answers were scored by their text lack its fields, and verdicts given by older
        // verifier rules are not this build's: either makes a new run, not a resume.
        s.append(.init("scoring", "diagnosis and course from the answer text; verdicts (verifier rules \(AnswerVerifier.rulesVersion)); streamed; evidence-only row"))
        return s
    }

    /// Where the backbones were served: recorded, but not part of the run's identity (a restarted server
    /// gets a new port and must still resume the run).
    public static let endpointsSetting = "endpoints"

    /// The first 16 hex digits of SHA-256 over the system, user and schema templates.
    static func hash(_ prompt: PromptTemplate) -> String {
        var hasher = SHA256()
        for part in [Data(prompt.system.utf8), Data(prompt.user.utf8), prompt.schema] { hasher.update(data: part) }
        return shortHex(hasher.finalize())
    }

    /// The first 16 hex digits of a digest: the width run ids and template hashes are shown at.
    static func shortHex(_ digest: SHA256.Digest) -> String {
        String(digest.map { String(format: "%02x", $0) }.joined().prefix(16))
    }

    public static func runID(settings: [EvaluationResults.Setting]) -> String {
        let text = settings.filter { $0.name != endpointsSetting }.map { "\($0.name)=\($0.value)" }.joined(separator: "\n")
        return shortHex(SHA256.hash(data: Data(text.utf8)))
    }

    /// `storedOnly`: ask nothing, score and report the answers this run already holds (an interim report of a
    /// long run; questions not yet answered are left out, and a failed one is reported as failed).
    public func run(qa: QASet, runs: VQARunStore, extraSettings: [EvaluationResults.Setting] = [], storedOnly: Bool = false,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Outcome {
        guard !qa.items.isEmpty else { throw EvaluationError.emptyInput(what: qa.path) }
        let settings = settings(qa: qa)
        let runID = Self.runID(settings: settings)
        try runs.open(runID: runID, settings: settings)
        // Finished: answered rows, and rows the model itself failed (a reply cut at the budget or degenerate, which
        // has a verdict): asking again would cost as much and, at temperature 0, fail the same way. Rows that
        // failed before a reply (server down, timeout, retrieval) are asked again.
        let finished = Set(try runs.results(runID: runID).filter { $0.error == nil || $0.verdict != nil }
            .map { VQARunStore.key($0.qaID, $0.backbone, $0.modalities) })
        let names = [Self.evidenceOnlyName] + backbones.map(\.name)
        let total = qa.items.count * subsets.count * names.count
        let done = Locked(0)
        let report: @Sendable (Int) -> Void = { n in
            let now = done.withLock { $0 += n; return $0 }
            progress?(now, total)
        }
        var resumed = 0
        // Retrieval does not depend on the backbone: each question and subset is prepared once, here (CPU work,
        // one at a time), and its evidence-only row recorded; the backbones then ask in parallel below.
        var queues = Array(repeating: [(QAItem, ModalitySet, PreparedAsk)](), count: backbones.count)
        for item in storedOnly ? [] : qa.items {
            for subset in subsets {
                let pending = names.filter { !finished.contains(VQARunStore.key(item.id, $0, subset.key)) }
                resumed += backbones.filter { !pending.contains($0.name) }.count
                report(names.count - pending.count)
                guard !pending.isEmpty else { continue }
                let prepared: PreparedAsk
                do {
                    prepared = try pipeline.prepare(AskRequest(caseID: item.caseID, question: item.question, modalities: subset, rerank: rerank))
                } catch {
                    for name in pending {
                        try runs.record(runID: runID, result: Self.failure(item, name, subset, error: "retrieval failed: \(error)", seconds: 0), askID: nil)
                    }
                    report(pending.count)
                    continue
                }
                if pending.contains(Self.evidenceOnlyName) {
                    try runs.record(runID: runID, result: evidenceOnly(item, subset, prepared), askID: nil)
                    report(1)
                }
                for (n, b) in backbones.enumerated() where pending.contains(b.name) { queues[n].append((item, subset, prepared)) }
            }
        }
        // One backbone at a time, `concurrency` questions in flight (the server's parallel slots); each answer is
        // stored as it arrives, so an interrupted run resumes.
        var asked = 0
        for (b, queue) in zip(backbones, queues) {
            let pipeline = pipeline
            let outcomes = Parallel.map(queue, workers: concurrency) { (item, subset, prepared) throws -> Void in
                let (result, askID) = Self.ask(pipeline, b, item, subset, prepared)
                try runs.record(runID: runID, result: result, askID: askID)
                report(1)
            }
            for case let .failure(error) in outcomes { throw error }
            asked += queue.count
        }
        let results = try Self.ordered(runs.results(runID: runID), qa: qa, subsets: subsets, names: names)
        var scored = results
        try score(&scored)
        if !storedOnly { try runs.finish(runID: runID) }
        let date = ISO8601DateFormatter().string(from: Date())
        return Outcome(runID: runID, results: EvaluationResults(date: date, settings: [.init("run", runID)] + settings
                                                   + [.init("questions", storedOnly ? "\(qa.items.count) selected; the answers stored so far (an interim report)" : "\(qa.items.count)")]
                                                   + extraSettings, questions: scored),
                       asked: asked, resumed: resumed,
                       failed: scored.filter { $0.error != nil && $0.backbone != Self.evidenceOnlyName }.count)
    }

    /// The row every table compares the backbones with: Memoir's templated answer from the evidence (the
    /// neighbours' vote), no LLM.
    public static let evidenceOnlyName = "evidence only (Memoir's reading)"

    /// The selected questions' rows in a fixed order (question, subset, evidence row then backbones), whatever
    /// order parallel answers were stored in.
    static func ordered(_ rows: [QuestionResult], qa: QASet, subsets: [ModalitySet], names: [String]) -> [QuestionResult] {
        let item = Dictionary(qa.items.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let subset = Dictionary(subsets.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        let name = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        func rank(_ r: QuestionResult) -> [Int] { [item[r.qaID] ?? .max, subset[r.modalities] ?? .max, name[r.backbone] ?? .max] }
        return rows.filter { item[$0.qaID] != nil && name[$0.backbone] != nil }.sorted { rank($0).lexicographicallyPrecedes(rank($1)) }
    }

    /// Memoir's evidence-only answer, checked by the same verifier as the model's.
    func evidenceOnly(_ item: QAItem, _ subset: ModalitySet, _ prepared: PreparedAsk) -> QuestionResult {
        let own = EvidenceAnswer.answer(prepared.evidence, kind: prepared.questionKind)
        var result = QuestionResult(qaID: item.id, caseID: item.caseID, backbone: Self.evidenceOnlyName, modalities: subset.key, category: item.category,
                              textDiagnosis: QuestionResult.diagnosis(inText: own.answer), fieldDiagnosis: own.diagnosis,
                              expectedDiagnosis: item.expectedDiagnosis, answer: own.answer, reference: item.reference,
                              latencySeconds: prepared.timings.total,
                              verdict: pipeline.verifier(for: prepared).verify(own, finishReason: "stop"), repaired: false)
        (result.textCourse, result.expectedCourse) = (CourseReader.course(in: own.answer), item.expectedCourse)
        return result
    }

    /// One question asked of one backbone, streamed (so time to first token is measured); failures become rows.
    static func ask(_ pipeline: AnswerPipeline, _ b: VQABackbone, _ item: QAItem, _ subset: ModalitySet,
                    _ prepared: PreparedAsk) -> (QuestionResult, Int64?) {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let answer = try pipeline.answer(prepared, client: b.client, generation: b.generation, stream: true)
            let text = answer.answer.answer.trimmingCharacters(in: .whitespacesAndNewlines)
            var result = QuestionResult(qaID: item.id, caseID: item.caseID, backbone: b.name, modalities: subset.key, category: item.category,
                                   textDiagnosis: QuestionResult.diagnosis(inText: text), fieldDiagnosis: answer.answer.diagnosis,
                                   expectedDiagnosis: item.expectedDiagnosis, answer: text, reference: item.reference,
                                   latencySeconds: answer.timings.total, ttftSeconds: answer.timings.llmFirstToken,
                                   promptTokens: answer.response.usage?.promptTokens, verdict: answer.verdict,
                                   repaired: answer.repairRounds > 0, error: text.isEmpty ? "empty answer" : nil)
            (result.textCourse, result.expectedCourse) = (CourseReader.course(in: text), item.expectedCourse)
            return (result, answer.askID)
        } catch {
            let seconds = prepared.timings.total + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            var result = failure(item, b.name, subset, error: "\(error)", seconds: seconds)
            // An unreadable reply still has a verdict (cut at the budget, or degenerate): the rates count it.
            if case let AskError.unreadableAnswer(_, verdict?)? = error as? AskError {
                (result.verdict, result.issues, result.unsupportedClaims) = (verdict.status, verdict.issues.count, verdict.unsupportedClaims)
            }
            return (result, nil)
        }
    }

    /// BERTScore and SBERT cosine for every answered row (idf, when on, from this run's references).
    func score(_ results: inout [QuestionResult]) throws {
        try Self.score(&results, bertScorer: bertScorer, sbert: sbert, idf: idf)
    }

    /// Scores `results` in place; shared with reports of stored runs (`StoredVQARun`).
    public static func score(_ results: inout [QuestionResult], bertScorer: BERTScorer, sbert: SBERTSimilarity, idf: Bool) throws {
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

    static func failure(_ item: QAItem, _ backbone: String, _ subset: ModalitySet, error: String, seconds: Double) -> QuestionResult {
        var result = QuestionResult(qaID: item.id, caseID: item.caseID, backbone: backbone, modalities: subset.key, category: item.category,
                       textDiagnosis: nil, expectedDiagnosis: item.expectedDiagnosis, answer: "", reference: item.reference,
                       latencySeconds: seconds, error: error)
        result.expectedCourse = item.expectedCourse
        return result
    }
}
