import Answering
import Foundation
import TestSupport
import Testing

/// The answering step against the real llama.cpp server with SmolLM2-135M (installed by
/// `bash Scripts/llm.sh install smollm2`). Uses $MEMOIR_LLM_URL when set, else starts the
/// server itself and stops it afterwards. Asserts structure, never wording: the model is tiny.
/// Fails, rather than skips, when no server can be had, unless MEMOIR_SKIP_LLM_TESTS=1.
@Suite(.serialized, .tags(.localLLM), .needsLocalLLM)
struct LocalLLMEndToEndTests {
    static let subjects = [
        RetrievedCase(subjectID: "027_S_0118", diagnosis: "Dementia", caption: "Age 79, MMSE 20, CDR-SB 5.5; marked bilateral hippocampal atrophy, enlarged ventricles."),
        RetrievedCase(subjectID: "099_S_0534", diagnosis: "Dementia", caption: "Age 81, MMSE 21, CDR-SB 6.0; hippocampal volume well below age norms, APOE e4 carrier."),
        RetrievedCase(subjectID: "002_S_0729", diagnosis: "MCI", caption: "Age 76, MMSE 26, CDR-SB 1.5; mild hippocampal atrophy, preserved white matter FA."),
        RetrievedCase(subjectID: "128_S_0230", diagnosis: "Dementia", caption: "Age 78, MMSE 19, CDR-SB 7.0; severe medial temporal atrophy."),
        RetrievedCase(subjectID: "011_S_0021", diagnosis: "CN", caption: "Age 73, MMSE 29, CDR-SB 0; normal hippocampal volume."),
    ]

    @Test func structuredAnswerFromSmolLM2() throws {
        let server = try LocalServer.acquire()
        defer { server.release() }
        let template = try PromptTemplate.load(directory: Fixtures.repositoryRoot + "/Prompts/v1")
        let messages = try template.messages(
            question: "Which diagnostic group does this case most resemble?",
            caseDescription: "Male, 80 years, MMSE 21, CDR-SB 5.0. MRI: marked bilateral hippocampal atrophy and enlarged lateral ventricles.",
            retrievedCases: Self.subjects)
        let request = ChatRequest(messages: messages, temperature: 0, maxTokens: 300, seed: 7,
                                  responseFormat: template.responseFormat)
        let client = LLMClient(configuration: LLMConfiguration(baseURL: server.url,
                                                               apiKey: server.apiKey,
                                                               readTimeout: 120,
                                                               retry: RetryPolicy(maxAttempts: 2, initialDelay: 0.5)))
        #expect(try client.health())
        #expect(try !client.listModels().isEmpty)

        let whole = try client.complete(request)
        try Self.expectValidAnswer(whole.text, template: template)
        #expect(whole.usage.map { $0.completionTokens > 0 } == true)

        let streamed = try client.stream(request)
        try Self.expectValidAnswer(streamed.text, template: template)
        let ttft = try #require(streamed.timeToFirstToken)
        // llama.cpp says what it spent; the same request again is served from its prefix cache.
        let own = try #require(whole.serverTimings, "llama.cpp sends timings with every reply")
        let again = try #require(streamed.serverTimings, "and in a stream's final chunk")
        #expect(own.promptTokens > 0 && own.generatedTokens > 0 && own.promptMilliseconds > 0)
        // (A launcher server already running, which the harness reuses, may hold this prompt from an earlier run: then
        // the first request is served from the cache too.)
        #expect((again.cachedTokens ?? 0) > 0 && (again.promptTokens < own.promptTokens || (own.cachedTokens ?? 0) > 0), "\(own) then \(again)")
        // The client's time to the first token cannot beat the server's prompt evaluation.
        #expect(ttft >= again.promptMilliseconds / 1000 * 0.9, "first token \(ttft) s, server prompt \(again.promptMilliseconds) ms")
        print(String(format: "[llm e2e] prompt %d tokens; complete: %.2f s, %d tokens; stream: first token %.2f s, total %.2f s, %d chunks",
                     whole.usage?.promptTokens ?? -1, whole.latency, whole.usage?.completionTokens ?? -1, ttft,
                     streamed.latency, streamed.chunks))
    }

    /// Valid JSON with the schema's three fields and a diagnosis from the allowed set.
    static func expectValidAnswer(_ text: String, template: PromptTemplate) throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                                  "not a JSON object: \(text)")
        #expect(Set(object.keys) == ["diagnosis", "answer", "cited_subject_ids"], "\(text)")
        #expect(["CN", "MCI", "Dementia"].contains(object["diagnosis"] as? String ?? ""), "\(text)")
        #expect(object["cited_subject_ids"] is [String], "\(text)")
        let parsed = try AnswerParser(knownSubjectIDs: subjects.map(\.subjectID)).parse(text)
        #expect(parsed.source == .structured)
        #expect(template.version == "v1")
    }
}
