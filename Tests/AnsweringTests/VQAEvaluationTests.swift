import Answering
import Application
import Cohort
import Evaluation
import Foundation
import Numerics
import Store
import Testing
import TestSupport
import TextModels

/// `VQAEvaluation` over a real pipeline (PipelineFixture, prompt v2) with a scripted in-process LLM: what the
/// text says is scored, verdicts are counted, the evidence-only row is there, and parallel asks keep order
/// and resume.
@Suite(.tags(.miniLM), .needsMiniLM) struct VQAEvaluationTests {
    /// Replies `reply(question)` to every request, streamed in one delta after a delay that differs per
    /// question (so parallel answers finish out of order); fails while `failing` holds for the question.
    struct ScriptedLLM: ChatCompleting {
        var reply: @Sendable (String) -> (text: String, finish: String)
        var failing: @Sendable (String) -> Bool = { _ in false }
        var endpoint: String { "scripted" }

        func complete(_ request: ChatRequest) throws -> ChatResponse { try stream(request) { _ in } }
        func stream(_ request: ChatRequest, onDelta: @escaping (String) -> Void) throws -> ChatResponse {
            let prompt = request.messages.map(\.content).joined(separator: "\n")
            if failing(prompt) { throw LLMError.serverError(url: endpoint, message: "scripted failure") }
            Thread.sleep(forTimeInterval: Double(prompt.utf8.count % 7) / 200)
            let (text, finish) = reply(prompt)
            onDelta(text)
            return ChatResponse(text: text, finishReason: finish, model: "scripted", usage: .init(promptTokens: 100, completionTokens: 20),
                                timeToFirstToken: 0.01, latency: 0.02, attempts: 1, chunks: 2)
        }
        func listModels() throws -> [String] { ["scripted"] }
    }

    static func evaluation(_ fixture: PipelineFixture, _ llm: ScriptedLLM, concurrency: Int = 1) throws -> VQAEvaluation {
        let text = try ModelLocator.sentenceModelDirectory(explicit: nil)
        return VQAEvaluation(pipeline: try fixture.pipeline(), backbones: [VQABackbone(name: "scripted", client: llm, generation: GenerationOptions())],
                             subsets: [.clinical], rerank: false, bertScorer: try BERTScorer(modelDirectory: text),
                             sbert: try SBERTSimilarity(modelDirectory: text), concurrency: concurrency)
    }

    static func questions(_ fixture: PipelineFixture, categories: [QAItem.Category] = [.diagnosis]) throws -> QASet {
        let items = try QASetBuilder(seed: 1).build(cases: try fixture.testCaseIDs.map { try fixture.store.storedCase($0) },
                                                    library: try fixture.store.allCases(split: .train))
            .filter { categories.contains($0.category) }
        let path = fixture.folder.file("qa-\(categories.map(\.rawValue).joined()).jsonl")
        try QASet.write(items, to: path)
        return try QASet.load(path: path, knownCaseIDs: nil)
    }

    @Test func theTextIsScoredNotTheFieldAndTruncationIsCounted() throws {
        let fixture = try PipelineFixture(promptVersion: "v4")
        let qa = try Self.questions(fixture)
        // The field says MCI, the text Dementia: scored as Dementia, counted as a disagreement.
        let contradicting = ScriptedLLM { _ in (#"{"diagnosis": "MCI", "answer": "The findings point to dementia in this subject.", "findings": [], "cited_subject_ids": []}"#, "stop") }
        let outcome = try Self.evaluation(fixture, contradicting).run(qa: qa, runs: VQARunStore(store: fixture.store))
        let llmRows = outcome.results.questions.filter { $0.backbone == "scripted" }
        #expect(llmRows.count == qa.items.count && outcome.asked == qa.items.count && outcome.failed == 0)
        for row in llmRows {
            #expect(row.textDiagnosis == .dementia && row.fieldDiagnosis == .mci)
            #expect(row.verdict == .unsupported && row.repaired == true, "the verifier catches text against field")
            #expect(row.ttftSeconds == 0.01 && row.promptTokens == 100)
        }
        let summary = try #require(EvaluationSummary.byBackbone(outcome.results.questions).last)
        #expect(summary.fieldAgreement?.successes == 0 && summary.fieldAgreement?.n == qa.items.count)
        let dementia = qa.items.filter { $0.expectedDiagnosis == .dementia }.count
        #expect(summary.diagnosisCorrect == dementia && summary.grounded?.successes == 0)

        // A reply cut at the token budget is truncated, even when repaired the same way.
        let cut = ScriptedLLM { _ in (#"{"diagnosis": "CN", "answer": "The scores are normal for this subject.", "cited_subject_ids": []}"#, "length") }
        let fresh = try PipelineFixture(promptVersion: "v4")
        let truncated = try Self.evaluation(fresh, cut).run(qa: try Self.questions(fresh), runs: VQARunStore(store: fresh.store))
        let t = try #require(EvaluationSummary.byBackbone(truncated.results.questions).last)
        #expect(t.truncated?.successes == t.questions && t.grounded?.successes == 0 && t.questions > 0)

        // A reply cut mid-JSON is the model's own failure (it has a verdict): counted, and not asked again on resume.
        let midJSON = ScriptedLLM { _ in (#"{"diagnosis": "CN", "answer": "The scores are norm"#, "length") }
        let third = try PipelineFixture(promptVersion: "v4")
        let thirdQA = try Self.questions(third)
        let failedRun = try Self.evaluation(third, midJSON).run(qa: thirdQA, runs: VQARunStore(store: third.store))
        #expect(failedRun.failed == thirdQA.items.count && failedRun.asked == thirdQA.items.count)
        #expect(failedRun.results.questions.filter { $0.backbone == "scripted" }.allSatisfy { $0.verdict == .truncated && $0.error != nil })
        let resumed = try Self.evaluation(third, midJSON).run(qa: thirdQA, runs: VQARunStore(store: third.store))
        #expect(resumed.runID == failedRun.runID && resumed.asked == 0 && resumed.resumed == thirdQA.items.count)
    }

    @Test func theEvidenceOnlyRowIsScoredLikeABackbone() throws {
        let fixture = try PipelineFixture(promptVersion: "v4")
        let qa = try Self.questions(fixture, categories: [.diagnosis, .apoe, .cognition])
        let llm = ScriptedLLM { _ in (#"{"diagnosis": "CN", "answer": "The subject is cognitively normal by the scores.", "cited_subject_ids": []}"#, "stop") }
        let outcome = try Self.evaluation(fixture, llm).run(qa: qa, runs: VQARunStore(store: fixture.store))
        let own = outcome.results.questions.filter { $0.backbone == VQAEvaluation.evidenceOnlyName }
        #expect(own.map(\.qaID) == qa.items.map(\.id))
        for row in own {
            #expect(row.verdict == .grounded && row.error == nil, "\(row.answer)")
            #expect(row.bertScore != nil && row.sbertCosine != nil)
            if row.category == .diagnosis { #expect(row.textDiagnosis != nil && row.textDiagnosis == row.fieldDiagnosis) }
        }
        let report = EvaluationReport(results: outcome.results)
        #expect(report.backbones.map(\.backbone) == [VQAEvaluation.evidenceOnlyName, "scripted"])
        #expect(report.categories.filter { $0.backbone == VQAEvaluation.evidenceOnlyName }.map(\.category) == ["diagnosis", "cognition", "apoe"])
        #expect(report.markdown().contains("| \(VQAEvaluation.evidenceOnlyName) | apoe |"))
    }

    @Test func parallelAsksKeepTheOrderAndResume() throws {
        let fixture = try PipelineFixture(subjects: 60, promptVersion: "v4")
        let qa = try Self.questions(fixture, categories: [.diagnosis, .apoe])
        let reply: @Sendable (String) -> (String, String) = { _ in (#"{"diagnosis": "MCI", "answer": "The scores resemble mild cognitive impairment.", "cited_subject_ids": []}"#, "stop") }
        // First run: every apoe question fails.
        let flaky = ScriptedLLM(reply: reply, failing: { $0.contains("APOE genotype and what") || $0.contains("carry APOE") })
        let first = try Self.evaluation(fixture, flaky, concurrency: 4).run(qa: qa, runs: VQARunStore(store: fixture.store))
        let apoe = qa.items.filter { $0.category == .apoe }.count
        #expect(apoe > 0 && first.failed == apoe && first.asked == qa.items.count)
        let expectedOrder = qa.items.flatMap { [($0.id, VQAEvaluation.evidenceOnlyName), ($0.id, "scripted")] }
        #expect(first.results.questions.map { "\($0.qaID) \($0.backbone)" } == expectedOrder.map { "\($0.0) \($0.1)" })

        let second = try Self.evaluation(fixture, ScriptedLLM(reply: reply), concurrency: 4).run(qa: qa, runs: VQARunStore(store: fixture.store))
        #expect(second.runID == first.runID && second.asked == apoe && second.resumed == qa.items.count - apoe && second.failed == 0)
        #expect(second.results.questions.map { "\($0.qaID) \($0.backbone)" } == expectedOrder.map { "\($0.0) \($0.1)" })
        let serial = try PipelineFixture(subjects: 60, promptVersion: "v4")
        let one = try Self.evaluation(serial, ScriptedLLM(reply: reply), concurrency: 1).run(qa: try Self.questions(serial, categories: [.diagnosis, .apoe]),
                                                                                              runs: VQARunStore(store: serial.store))
        #expect(one.results.questions.map(\.answer) == second.results.questions.map(\.answer), "the same answers whatever the concurrency")
    }
}
