import Answering
import Cohort
import Foundation
import FusedEncoder
import Retrieval
import TestSupport
import Store
import Testing

/// The pipeline around a scripted LLM: what reaches the model, what is kept of its reply, and what is logged.
@Suite struct AnswerPipelineTests {
    static let question = "What is the most likely diagnosis for this subject?"

    @Test func preparedContextExcludesTheQueryCaseAndHidesItsDiagnosis() throws {
        let fixture = try PipelineFixture()
        let pipeline = try fixture.pipeline()
        let query = fixture.trainCaseIDs[3]
        let prepared = try pipeline.prepare(AskRequest(caseID: query, question: "  \(Self.question)\n", rerank: false))
        #expect(prepared.request.question == Self.question)
        #expect(prepared.retrieved.count == min(50, fixture.trainCaseIDs.count - 1))
        #expect(!prepared.retrieved.contains { $0.subjectID == query })
        #expect(prepared.retrieved.map(\.similarity) == prepared.retrieved.map(\.similarity).sorted(by: >))
        #expect(prepared.context.map(\.subjectID) == prepared.retrieved.prefix(5).map(\.subjectID))
        #expect(prepared.reranked == nil)
        #expect(prepared.embeddingSource == "cache")
        #expect(!prepared.caseDescription.contains("Diagnosis") && !prepared.caseDescription.contains("CDR-SB"))
        #expect(prepared.caseDescription.contains("MMSE"))
        let user = try #require(prepared.messages.last?.content)
        #expect(user.contains(Self.question) && prepared.context.allSatisfy { user.contains($0.subjectID) })
        // The schema only lets the model cite the five subjects it was given.
        guard case let .jsonSchema(_, schema) = prepared.responseFormat else { Issue.record("no schema"); return }
        let object = try #require(try JSONSerialization.jsonObject(with: schema) as? [String: Any])
        let items = ((object["properties"] as? [String: Any])?["cited_subject_ids"] as? [String: Any])?["items"] as? [String: Any]
        #expect(items?["enum"] as? [String] == prepared.context.map(\.subjectID))
        #expect(prepared.timings.beforeLLM >= prepared.timings.search)
    }

    @Test func aTestCaseIsEncodedOnceThenServedFromTheCache() throws {
        let fixture = try PipelineFixture()
        let pipeline = try fixture.pipeline()
        let query = fixture.testCaseIDs[0]
        let first = try pipeline.prepare(AskRequest(caseID: query, question: Self.question, rerank: false))
        let second = try pipeline.prepare(AskRequest(caseID: query, question: Self.question, rerank: false))
        #expect(first.embeddingSource == "computed" && second.embeddingSource == "cache")
        #expect(first.retrieved == second.retrieved)
        let clinicalOnly = try pipeline.prepare(AskRequest(caseID: query, question: Self.question, modalities: .clinical, rerank: false))
        #expect(clinicalOnly.modalitiesUsed == .clinical)
    }

    @Test func aCitationOutsideTheFiveIsDroppedAndTheAnswerLoggedUnverified() throws {
        let fixture = try PipelineFixture()
        let pipeline = try fixture.pipeline()
        let prepared = try pipeline.prepare(AskRequest(caseID: fixture.testCaseIDs[1], question: Self.question, rerank: false))
        let given = prepared.context[1].subjectID
        let server = try FakeLLMServer([FakeLLMServer.Reply.chatCompletion(
            #"{"diagnosis": "MCI", "answer": "Scores resemble the MCI subjects.", "cited_subject_ids": ["\#(given)", "999_S_9999"]}"#)])
        defer { server.stop() }
        let result = try pipeline.answer(prepared, client: LLMClient(baseURL: server.baseURL), generation: GenerationOptions(model: "m"))
        #expect(result.answer.diagnosis == .mci)
        #expect(result.answer.citedSubjectIDs == [given])
        #expect(result.discardedCitations == ["999_S_9999"])
        #expect(result.verdict.status == .unsupported && result.verdict.issues.contains { $0.contains("999_S_9999") })
        // One repair round was asked for, with the verifier's finding, and the same reply came back.
        #expect(result.repairRounds == 1 && server.receivedRequests.count == 2)
        #expect(server.receivedRequests.last?.contains("999_S_9999") == true)
        let body = try #require(server.receivedRequests.first)
        #expect(body.contains(#""response_format""#) && body.contains(given))
        #expect(try pipeline.log.count(status: "unverified") == 1 && pipeline.log.count() == 1)
        let logged = try #require(try fixture.store.asks().first)
        #expect([logged.diagnosis, logged.promptVersion, logged.servedModel, logged.contextIDs]
            == ["MCI", "v1", "fake-model", String(decoding: try JSONEncoder().encode(prepared.context.map(\.subjectID)), as: UTF8.self)])
    }

    @Test func aFailedCallIsLoggedAsFailedNeverAsAnAnswer() throws {
        let fixture = try PipelineFixture()
        let pipeline = try fixture.pipeline()
        let prepared = try pipeline.prepare(AskRequest(caseID: fixture.testCaseIDs[0], question: Self.question, rerank: false))
        let noRetry = LLMConfiguration(baseURL: "", retry: RetryPolicy(maxAttempts: 1, initialDelay: 0))
        for reply in [FakeLLMServer.Reply.json(500, #"{"error":"boom"}"#), FakeLLMServer.Reply.chatCompletion("I cannot say.")] {
            let server = try FakeLLMServer([reply])
            defer { server.stop() }
            var configuration = noRetry
            configuration.baseURL = server.baseURL
            #expect(throws: (any Error).self) { try pipeline.answer(prepared, client: LLMClient(configuration: configuration)) }
        }
        #expect(try pipeline.log.count() == 2 && pipeline.log.count(status: "answered") == 0)
        let errors = try fixture.store.asks(status: "failed").compactMap(\.error)
        #expect(errors.count == 2 && errors[0].contains("500") && errors[1].contains("unreadable"))
    }

    @Test func badQuestionsAndUnknownCasesAreClearErrors() throws {
        let fixture = try PipelineFixture()
        let pipeline = try fixture.pipeline()
        let id = fixture.testCaseIDs[0]
        #expect(throws: AskError.emptyQuestion) { try pipeline.prepare(AskRequest(caseID: id, question: " \n ")) }
        let long = String(repeating: "why ", count: 25_600)
        #expect(throws: AskError.questionTooLong(bytes: 102_399, limit: AskRequest.maximumQuestionBytes)) {
            try pipeline.prepare(AskRequest(caseID: id, question: long))
        }
        #expect(throws: StoreError.unknownCase("000_S_0000")) { try pipeline.prepare(AskRequest(caseID: "000_S_0000", question: Self.question)) }
        #expect(throws: AskError.self) { try pipeline.prepare(AskRequest(caseID: id, question: Self.question, candidates: 3, contextSize: 5)) }
        #expect(try pipeline.log.count() == 0)
    }

    @Test func anIndexFromAnotherEncoderOrCohortIsRefused() throws {
        let fixture = try PipelineFixture()
        let ids = fixture.trainCaseIDs
        let unit = [Float](repeating: 1 / Float(512).squareRoot(), count: 512)
        let foreign = try CaseIndex.build(subjectIDs: ids, vectors: ids.map { _ in unit }, encoderHash: "0123456789abcdef",
                                          modalities: ["clinical"], directory: fixture.directory + "/foreign")
        #expect(throws: CaseIndexError.self) {
            try fixture.pipeline(index: foreign)
        }
        let stray = try CaseIndex.build(subjectIDs: ids + ["777_S_0777"], vectors: (ids + ["x"]).map { _ in unit },
                                        encoderHash: fixture.encoder.weightsHash, modalities: ["clinical"], directory: fixture.directory + "/stray")
        #expect(throws: AskError.indexedCaseMissing(subjectID: "777_S_0777", directory: fixture.directory + "/stray")) {
            try fixture.pipeline(index: stray)
        }
    }
}
