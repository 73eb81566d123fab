import Answering
import Cohort
import Foundation
import Store
import Testing
import TestSupport

/// Prompt v2 end to end around a scripted LLM: the model reads Memoir's evidence, a cut or unfounded reply
/// goes through one repair round, and only a grounded answer is logged as answered.
@Suite struct VerifiedAnswerTests {
    static let question = "What is the most likely diagnosis for this subject?"

    @Test func theModelReadsTheEvidenceWithTheQuestionLastAndAFittingSchema() throws {
        let fixture = try PipelineFixture(promptVersion: "v4")
        let pipeline = try fixture.pipeline()
        let prepared = try pipeline.prepare(AskRequest(caseID: fixture.testCaseIDs[0], question: Self.question, rerank: false))
        #expect(prepared.questionKind == .diagnosis)
        let user = try #require(prepared.messages.last?.content)
        #expect(user.hasPrefix(prepared.evidence.promptText) && user.contains("QUESTION (diagnosis): " + Self.question))
        #expect(!user.contains(fixture.testCaseIDs[0]), "the case's own id is not shown")
        for id in prepared.context.map(\.subjectID) { #expect(user.contains(id)) }
        #expect(prepared.evidence.encoder != nil && prepared.evidence.neighbours.count == 5)
        guard case let .jsonSchema(_, schema) = prepared.responseFormat else { Issue.record("no schema"); return }
        let text = String(decoding: schema, as: UTF8.self)
        #expect(text.contains(#""diagnosis""#) && text.contains(prepared.context[0].subjectID))
        // A severity question gets no diagnosis field.
        let severity = try pipeline.prepare(AskRequest(caseID: fixture.testCaseIDs[0], question: "How severe is the impairment?", rerank: false))
        guard case let .jsonSchema(_, other) = severity.responseFormat else { Issue.record("no schema"); return }
        #expect(!String(decoding: other, as: UTF8.self).contains(#""diagnosis""#))
        #expect(severity.messages.first?.content == prepared.messages.first?.content, "the system prompt is the same for every question")
    }

    @Test func aReplyCutAtTheTokenBudgetIsRepairedOrNeverAnAnswer() throws {
        let fixture = try PipelineFixture(promptVersion: "v4")
        let pipeline = try fixture.pipeline()
        let prepared = try pipeline.prepare(AskRequest(caseID: fixture.testCaseIDs[0], question: Self.question, rerank: false))
        let leading = prepared.evidence.vote.leading.rawValue
        let cut = FakeLLMServer.Reply.chatCompletion(#"{"diagnosis": "\#(leading)", "answer": "The findings that support this diagnosis are as follows:"#,
                                                     finishReason: "length")
        let good = FakeLLMServer.Reply.chatCompletion(#"""
            {"diagnosis": "\#(leading)", "answer": "The most likely diagnosis is \#(leading), as most similar subjects were recorded \#(leading).",
             "findings": [{"source": "case", "finding": "The case's scores."}, {"source": "\#(prepared.context[0].subjectID)", "finding": "A close neighbour."}],
             "cited_subject_ids": ["\#(prepared.context[0].subjectID)"]}
            """#)

        // Without a repair round, the cut reply is no answer: logged failed, thrown.
        let once = try FakeLLMServer([cut])
        defer { once.stop() }
        #expect(throws: AskError.self) { try pipeline.answer(prepared, client: LLMClient(baseURL: once.baseURL), repair: false) }
        #expect(try fixture.store.asks().last?.status == "failed")

        // With it, the repaired reply is verified and logged answered, the first verdict kept.
        let twice = try FakeLLMServer([cut, good])
        defer { twice.stop() }
        let result = try pipeline.answer(prepared, client: LLMClient(baseURL: twice.baseURL))
        #expect(result.verdict.status == .grounded, "\(result.verdict.issues)")
        #expect(result.firstVerdict?.status == .truncated && result.repairRounds == 1)
        #expect(twice.receivedRequests.last?.contains("token budget") == true)
        let logged = try #require(try fixture.store.asks().last)
        #expect(logged.status == "answered" && logged.verdict == "grounded" && logged.firstVerdict == "truncated")
        #expect(logged.evidence?.contains(prepared.evidence.caseID) == true && logged.questionKind == "diagnosis")

        // A complete JSON object that still hit the budget is truncated, logged unverified, never answered.
        let whole = try FakeLLMServer([.chatCompletion(#"{"diagnosis": "\#(leading)", "answer": "It is \#(leading) by the vote.", "findings": [], "cited_subject_ids": []}"#,
                                                       finishReason: "length")])
        defer { whole.stop() }
        let truncated = try pipeline.answer(prepared, client: LLMClient(baseURL: whole.baseURL))
        #expect(truncated.verdict.status == .truncated)
        #expect(try fixture.store.asks().last?.status == "unverified")
        #expect(try fixture.store.askCount(status: "answered") == 1)
    }

    @Test func theEvidenceOnlyAnswerIsGroundedByConstruction() throws {
        let fixture = try PipelineFixture(promptVersion: "v4")
        let pipeline = try fixture.pipeline()
        for question in [Self.question, "How severe is the impairment?", "What does the APOE genotype mean?",
                         "Compare this case with similar subjects.", "Will this subject progress to dementia?"] {
            let prepared = try pipeline.prepare(AskRequest(caseID: fixture.testCaseIDs[2], question: question, rerank: false))
            let own = EvidenceAnswer.answer(prepared.evidence, kind: prepared.questionKind)
            let verifier = AnswerVerifier(contextIDs: prepared.context.map(\.subjectID), evidenceText: prepared.evidence.promptText, question: question)
            let verdict = verifier.verify(own, finishReason: "stop")
            #expect(verdict.isGrounded, "\(question): \(own.answer) — \(verdict.issues)")
            #expect((own.diagnosis != nil) == prepared.questionKind.asksForDiagnosis)
        }
    }
}
