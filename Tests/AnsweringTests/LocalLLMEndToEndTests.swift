@testable import Answering
import Foundation
import Numerics
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

    /// The default prompt's grammar is compiled by the real server, not dropped: llama.cpp answers a pattern it cannot
    /// convert with "JSON schema conversion was incomplete … accepting any string" in its own log and lets the model write
    /// anything (v8's first openings, "MMSE of 26\/30", did that). Every string the reply holds must match its pattern, and
    /// a server whose log this run can read must not have written the warning. Structure, never wording.
    @Test func theDefaultGrammarHoldsOnTheRealServer() throws {
        let server = try LocalServer.acquire()
        defer { server.release() }
        // The default version and the newest one (which may be on trial before it becomes the default).
        let versions = try FileManager.default.contentsOfDirectory(atPath: Fixtures.repositoryRoot + "/Prompts")
            .filter { $0.hasPrefix("v") }.max { Int($0.dropFirst()) ?? 0 < Int($1.dropFirst()) ?? 0 }
        for version in Set([PromptTemplate.currentVersion] + [versions].compactMap { $0 }).sorted() {
            try expectGrammarHolds(version: version, server: server)
        }
    }

    func expectGrammarHolds(version: String, server: LocalServer) throws {
        let evidence = try JSONDecoder().decode(Evidence.self, from: Data(RulesTwentySixTests.evidenceJSON.utf8))
        let template = try PromptTemplate.load(directory: Fixtures.repositoryRoot + "/Prompts/" + version)
        let ids = evidence.neighbours.map(\.subjectID)
        let log = ModelDirectory.memoirHome(ProcessInfo.processInfo.environment) + "/llm/server.log"
        let logged = { (try? Data(contentsOf: URL(fileURLWithPath: log))) ?? Data() }
        let before = logged().count
        let client = LLMClient(configuration: LLMConfiguration(baseURL: server.url, apiKey: server.apiKey, readTimeout: 300))
        for (kind, question) in [(QuestionKind.diagnosis, RulesTwentySevenTests.diagnosisQuestion),
                                 (.apoe, "What is this patient's APOE genotype and what does it mean for Alzheimer's risk?")] {
            guard case .jsonSchema(_, let schemaData) = try template.responseFormat(
                citing: ids, kind: kind, supported: [evidence.reading], caseMeasures: PromptTemplate.caseMeasures(evidence),
                facts: OpeningFacts(evidence), statements: EvidenceStatements(evidence)) else { Issue.record("\(template.version) sends a schema"); continue }
            let request = ChatRequest(messages: try template.messages(evidence: evidence, question: question, kind: kind),
                                      temperature: 0, maxTokens: 600, seed: 7, responseFormat: .jsonSchema(name: "memoir_answer", schema: schemaData))
            let reply = try client.complete(request)
            guard reply.finishReason != "length" else { continue }  // a cut reply cannot be read; the verifier reports it
            let schema = try #require(try JSONSerialization.jsonObject(with: schemaData) as? [String: Any])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any], "\(reply.text)")
            let mismatches = Self.patternMismatches(object, schema: schema)
            #expect(mismatches.isEmpty, "\(version) \(kind): the grammar did not hold: \(mismatches)")
        }
        let written = String(decoding: logged().dropFirst(before), as: UTF8.self)
        #expect(!written.contains("conversion was incomplete"), "\(version): the server dropped a pattern: \(written.prefix(600))")
    }

    /// Each string in `value` that `schema` gives a pattern, paired with the pattern it fails; for `anyOf`, the value must
    /// match one alternative.
    static func patternMismatches(_ value: Any, schema: [String: Any]) -> [String] {
        if let alternatives = schema["anyOf"] as? [[String: Any]] {
            return alternatives.contains { patternMismatches(value, schema: $0).isEmpty } ? [] : ["\(value) matches no alternative"]
        }
        if let text = value as? String {
            guard let pattern = schema["pattern"] as? String else {
                let allowed = schema["enum"] as? [String]
                return allowed.map { $0.contains(text) ? [] : ["\(text) is not one of \($0)"] } ?? []
            }
            guard let regex = try? NSRegularExpression(pattern: pattern) else { return ["unreadable pattern \(pattern)"] }
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil ? ["\(text) !~ \(pattern.prefix(80))"] : []
        }
        if let object = value as? [String: Any], let properties = schema["properties"] as? [String: [String: Any]] {
            return object.flatMap { key, field in properties[key].map { patternMismatches(field, schema: $0) } ?? [] }
        }
        if let array = value as? [Any] {
            let prefix = schema["prefixItems"] as? [[String: Any]] ?? []
            return array.enumerated().flatMap { index, item in
                let itemSchema = index < prefix.count ? prefix[index] : (schema["items"] as? [String: Any] ?? [:])
                return patternMismatches(item, schema: itemSchema)
            }
        }
        return []
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
