import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import TestSupport
@testable import Server

/// POST /api/ask against a scripted LLM: a plain JSON answer, a streamed one (token events, then the result),
/// each logged exactly once; a full queue is a 503 with Retry-After; the LLM's key never reaches a client.
@Suite struct AskRouteTests {
    let library: ServerLibrary
    static let key = "sk-memoir-test-key-never-shown-1234"

    init() throws { library = try ServerLibrary.shared.get() }

    static let answer = #"{"diagnosis":"MCI","answer":"Memory scores sit between the neighbours.","cited_subject_ids":[]}"#

    static func delta(_ text: String) -> String {
        let escaped = String(decoding: (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed])) ?? Data(), as: UTF8.self)
        return #"{"choices":[{"index":0,"delta":{"content":"# + escaped + #"},"finish_reason":null}],"model":"fake"}"#
    }

    func askBody(_ caseID: String, stream: Bool = false, question: String = "What is the most likely diagnosis?") throws -> ByteBuffer {
        try Body.json(["case_id": caseID, "question": question, "stream": stream])
    }

    @Test func plainAskAnswersAndIsLoggedOnce() async throws {
        let llm = try FakeLLMServer([.chatCompletion(Self.answer)])
        defer { llm.stop() }
        let workspace = try library.workspace(llmURL: llm.baseURL, apiKey: Self.key)
        let server = try MemoirServer(workspace: workspace, configuration: ServerConfiguration())
        let caseID = try #require(library.testIDs.first)
        let body = try askBody(caseID)
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/api/ask", method: .post, headers: [.contentType: "application/json"], body: body)
            #expect(response.status == .ok, "\(Body.text(response))")
            let result = try Body.object(response)
            #expect(result["diagnosis"] as? String == "MCI" && result["case_id"] as? String == caseID)
            #expect((result["context"] as? [[String: Any]])?.isEmpty == false && result["ask_id"] is Int)
            #expect(!Body.text(response).contains(Self.key))
            let log = try Body.object(try await client.execute(uri: "/api/asks?case_id=\(caseID)", method: .get))
            #expect(log["total"] as? Int == 1 && ((log["asks"] as? [[String: Any]])?.first?["status"] as? String) == "answered")
            for path in ["/health", "/metrics", "/api/asks", "/openapi.json", "/"] {
                let text = Body.text(try await client.execute(uri: path, method: .get))
                #expect(!text.contains(Self.key), "\(path) shows the LLM key")
            }
            // The answered ask's time per stage and its verdict are in the metrics.
            let metrics = Body.text(try await client.execute(uri: "/metrics", method: .get))
            for stage in ["embed", "search", "evidence", "prompt", "llm", "parse"] {
                #expect(metrics.contains(#"memoir_ask_stage_duration_seconds_count{stage="\#(stage)"} 1"#), "stage \(stage): \(metrics)")
            }
            #expect(metrics.contains("memoir_asks_answered_total{verdict="), "\(metrics)")
        }
        #expect(llm.receivedRequests.first?.contains("Bearer \(Self.key)") == true, "the key does go to the LLM")
        #expect(try workspace.store.askCount() == 1)
    }

    @Test func streamedAskSendsTokensThenTheResult() async throws {
        let chunks = [#"{"diagnosis":"#, #""CN","answer":"Normal "#, #"scores.","cited_subject_ids":[]}"#]
        let llm = try FakeLLMServer([.sse(chunks.map(Self.delta) + [#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#, "[DONE]"])])
        defer { llm.stop() }
        let workspace = try library.workspace(llmURL: llm.baseURL, apiKey: Self.key)
        let server = try MemoirServer(workspace: workspace, configuration: ServerConfiguration())
        let caseID = try #require(library.testIDs.first)
        let body = try askBody(caseID, stream: true)
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/api/ask", method: .post, headers: [.contentType: "application/json"], body: body)
            #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let events = Body.text(response).components(separatedBy: "\n\n").filter { !$0.isEmpty }
            let names = events.compactMap { $0.split(separator: "\n").first.map(String.init) }
            #expect(names.contains("event: token") && names.last == "event: result", "\(names)")
            // Token events carry the answer's text, not the JSON the model writes.
            let tokens = events.filter { $0.hasPrefix("event: token") }.compactMap { event -> String? in
                guard let data = event.split(separator: "\n").dropFirst().first?.dropFirst(6) else { return nil }
                return (try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])?["text"] as? String
            }
            #expect(tokens.joined() == "Normal scores.", "\(tokens)")
            let resultData = try #require(events.last?.split(separator: "\n").dropFirst().first?.dropFirst(6))
            let result = try #require(try JSONSerialization.jsonObject(with: Data(resultData.utf8)) as? [String: Any])
            #expect(result["diagnosis"] as? String == "CN")
        }
        #expect(try workspace.store.askCount() == 1)
    }

    @Test func failedLLMIsAnErrorEventOrA502AndStillLoggedOnce() async throws {
        let workspace = try library.workspace(llmURL: "http://127.0.0.1:\(try FakeLLMServer.closedPort())")
        let server = try MemoirServer(workspace: workspace, configuration: ServerConfiguration())
        let caseID = try #require(library.testIDs.first)
        let plain = try askBody(caseID), streamed = try askBody(caseID, stream: true)
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/api/ask", method: .post, headers: [.contentType: "application/json"], body: plain)
            try APIRouteTests.expectError(response, 502, "connection refused")
            let stream = Body.text(try await client.execute(uri: "/api/ask", method: .post, headers: [.contentType: "application/json"], body: streamed))
            #expect(stream.contains("event: error") && stream.contains("connection refused") && stream.contains(#""status":502"#))
            let metrics = Body.text(try await client.execute(uri: "/metrics", method: .get))
            #expect(metrics.contains(#"memoir_llm_errors_total{kind="502"} 2"#), "\(metrics)")
        }
        #expect(try workspace.store.asks(status: "failed").count == 2 && workspace.store.askCount() == 2)
    }

    @Test func badAsksNeverReachTheLLMOrTheLog() async throws {
        let llm = try FakeLLMServer([.chatCompletion(Self.answer)])
        defer { llm.stop() }
        let workspace = try library.workspace(llmURL: llm.baseURL)
        let server = try MemoirServer(workspace: workspace, configuration: ServerConfiguration())
        let caseID = try #require(library.testIDs.first)
        let empty = try askBody(caseID, question: "  "), unknown = try askBody("000_S_0000", stream: true)
        try await server.application().test(.router) { client in
            func post(_ body: ByteBuffer) async throws -> TestResponse {
                try await client.execute(uri: "/api/ask", method: .post, headers: [.contentType: "application/json"], body: body)
            }
            try APIRouteTests.expectError(try await post(empty), 400, "the question is empty")
            try APIRouteTests.expectError(try await post(unknown), 404, "unknown case id")
            try APIRouteTests.expectError(try await post(ByteBuffer(string: #"{"question": "x"}"#)), 400, "missing 'case_id'")
            try APIRouteTests.expectError(try await post(ByteBuffer(string: "not json")), 400, "malformed JSON")
            let long = try Body.json(["case_id": caseID, "question": String(repeating: "why ", count: 1_000)])
            try APIRouteTests.expectError(try await post(long), 400, "the limit is 2000")
        }
        #expect(try llm.receivedRequests.isEmpty && workspace.store.askCount() == 0)
    }

    @Test func aFullQueueIsA503WithRetryAfter() async throws {
        let llm = try FakeLLMServer([.chatCompletion(Self.answer)])
        defer { llm.stop() }
        let workspace = try library.workspace(llmURL: llm.baseURL, askConcurrency: 1, askWaitingLimit: 0)
        let server = try MemoirServer(workspace: workspace, configuration: ServerConfiguration())
        let caseID = try #require(library.testIDs.first)
        let body = try askBody(caseID, stream: true)
        let held = try workspace.asks.admit()  // the one slot, taken as a running ask would
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/api/ask", method: .post, headers: [.contentType: "application/json"], body: body)
            try APIRouteTests.expectError(response, 503, "already queued")
            #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
        }
        workspace.asks.cancel(held)
        #expect(try workspace.asks.depth == 0 && workspace.store.askCount() == 0 && llm.receivedRequests.isEmpty)
    }

    @Test func noLLMConfiguredIsA503() async throws {
        let server = try MemoirServer(workspace: try library.workspace(), configuration: ServerConfiguration())
        let body = try askBody(try #require(library.testIDs.first))
        try await server.application().test(.router) { client in
            try APIRouteTests.expectError(try await client.execute(uri: "/api/ask", method: .post, body: body), 503, "no LLM endpoint")
        }
    }
}
