import Answering
import Foundation
import TestSupport
import Testing

/// LLMClient against a scripted local server: every failure mode must end in a bounded time
/// with an error that says what the endpoint did.
@Suite struct LLMClientFaultTests {
    static let completion = #"{"choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"#
        + #""usage":{"prompt_tokens":5,"completion_tokens":1},"model":"fake"}"#
    let request = ChatRequest(messages: [.user("Is this MCI?")], maxTokens: 8)

    func client(_ baseURL: String, attempts: Int = 3, readTimeout: Double = 1, apiKey: String? = nil) -> LLMClient {
        LLMClient(configuration: LLMConfiguration(baseURL: baseURL, apiKey: apiKey, connectTimeout: 1, readTimeout: readTimeout,
                                                  totalTimeout: 10,
                                                  retry: RetryPolicy(maxAttempts: attempts, initialDelay: 0.05, maxDelay: 0.2)))
    }

    func elapsed(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    @Test func refusedConnectionFailsAfterBoundedRetries() throws {
        let port = try FakeLLMServer.closedPort()
        var caught: LLMError?
        let seconds = elapsed { do { _ = try client("http://127.0.0.1:\(port)").complete(request) } catch { caught = error as? LLMError } }
        let error = try #require(caught)
        guard case let .connectionRefused(url, attempts, _) = error else { Issue.record("got \(error)"); return }
        #expect(url == "http://127.0.0.1:\(port)/v1/chat/completions")
        #expect(attempts == 3)
        #expect(error.description.contains("connection refused after 3 attempts"))
        #expect(seconds < 5)
    }

    @Test func silentServerTimesOutNamingTheSeconds() throws {
        let server = try FakeLLMServer([.hang])
        defer { server.stop() }
        var caught: LLMError?
        let seconds = elapsed { do { _ = try client(server.baseURL, attempts: 2).complete(request) } catch { caught = error as? LLMError } }
        let error = try #require(caught)
        guard case let .timedOut(_, limit, attempts, _) = error else { Issue.record("got \(error)"); return }
        #expect(attempts == 2)
        #expect(limit >= 0.9 && limit < 3)
        #expect(error.description.contains("timed out after 1."))
        #expect(error.description.contains(server.baseURL))
        #expect(server.receivedRequests.count == 2)
        #expect(seconds < 8)
    }

    @Test func twoServerErrorsThenSuccess() throws {
        let server = try FakeLLMServer([.json(500, #"{"error":"busy"}"#), .json(500, #"{"error":"busy"}"#), .json(200, Self.completion)])
        defer { server.stop() }
        let response = try client(server.baseURL).complete(request)
        #expect(response.text == "hi")
        #expect(response.finishReason == "stop")
        #expect(response.usage == ChatResponse.Usage(promptTokens: 5, completionTokens: 1))
        #expect(response.attempts == 3)
        #expect(response.timeToFirstToken == nil)
        #expect(server.receivedRequests.count == 3)
    }

    @Test func persistentServerErrorReportsStatusAndBody() throws {
        let server = try FakeLLMServer([.json(500, #"{"error":{"message":"model crashed while decoding"}}"#)])
        defer { server.stop() }
        #expect {
            _ = try client(server.baseURL).complete(request)
        } throws: { error in
            guard case let .http(_, status, body, attempts)? = error as? LLMError else { return false }
            return status == 500 && body.contains("model crashed while decoding") && attempts == 3
                && "\(error)".contains("HTTP 500 after 3 attempts") && "\(error)".contains("model crashed")
        }
        #expect(server.receivedRequests.count == 3)
    }

    @Test func clientErrorIsNotRetried() throws {
        let server = try FakeLLMServer([.json(400, #"{"error":{"message":"messages is required"}}"#)])
        defer { server.stop() }
        #expect {
            _ = try client(server.baseURL).complete(request)
        } throws: { error in
            guard case let .http(_, status, _, attempts)? = error as? LLMError else { return false }
            return status == 400 && attempts == 1 && "\(error)".contains("messages is required")
        }
        #expect(server.receivedRequests.count == 1)
    }

    @Test func malformedJSONIsAClearError() throws {
        let server = try FakeLLMServer([.json(200, #"{"choices": [ {"message": oops"#)])
        defer { server.stop() }
        #expect {
            _ = try client(server.baseURL).complete(request)
        } throws: { error in
            guard case .malformedResponse? = error as? LLMError else { return false }
            return "\(error)".contains("malformed response") && "\(error)".contains(#"{"choices": [ {"message": oops"#)
        }
        #expect(server.receivedRequests.count == 1)
    }

    @Test func streamCutMidwayIsAnErrorNotAPartialAnswer() throws {
        let server = try FakeLLMServer([.sse([Self.delta("The case"), Self.delta(" suggests")])])
        defer { server.stop() }
        var deltas: [String] = []
        #expect {
            _ = try client(server.baseURL).stream(request) { deltas.append($0) }
        } throws: { error in
            guard case let .streamCut(_, chunks, _)? = error as? LLMError else { return false }
            return chunks == 2 && "\(error)".contains("stream cut after 2 chunks")
        }
        #expect(deltas == ["The case", " suggests"])
        #expect(server.receivedRequests.count == 1) // text was delivered: retrying would repeat it
    }

    @Test func completeStreamIsAssembled() throws {
        let server = try FakeLLMServer([.sse([
            #"{"choices":[{"index":0,"delta":{"role":"assistant","content":null},"finish_reason":null}],"model":"fake"}"#,
            Self.delta("Hello"), Self.delta(", world"),
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
            #"{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":2}}"#,
            "[DONE]",
        ])])
        defer { server.stop() }
        var deltas: [String] = []
        let response = try client(server.baseURL).stream(request) { deltas.append($0) }
        #expect(response.text == "Hello, world")
        #expect(deltas == ["Hello", ", world"])
        #expect(response.finishReason == "stop")
        #expect(response.model == "fake")
        #expect(response.usage == ChatResponse.Usage(promptTokens: 7, completionTokens: 2))
        #expect(response.chunks == 6)
        let ttft = try #require(response.timeToFirstToken)
        #expect(ttft > 0 && ttft <= response.latency)
    }

    @Test func streamErrorEventIsReported() throws {
        let server = try FakeLLMServer([.raw("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
            + "data: \(Self.delta("A"))\n\nerror: {\"error\":{\"code\":500,\"message\":\"context overflow\"}}\n\n")])
        defer { server.stop() }
        #expect {
            _ = try client(server.baseURL).stream(request)
        } throws: { error in
            guard case let .serverError(_, message)? = error as? LLMError else { return false }
            return message == "context overflow"
        }
    }

    @Test func streamRefusedWithServerErrorIsRetriedThenReported() throws {
        let server = try FakeLLMServer([.json(503, #"{"error":{"message":"Loading model"}}"#)])
        defer { server.stop() }
        #expect {
            _ = try client(server.baseURL, attempts: 2).stream(request)
        } throws: { error in
            guard case let .http(_, status, body, attempts)? = error as? LLMError else { return false }
            return status == 503 && body.contains("Loading model") && attempts == 2
        }
        #expect(server.receivedRequests.count == 2)
    }

    @Test func requestCarriesOptionsSchemaAndAPIKey() throws {
        let server = try FakeLLMServer([.json(200, Self.completion)])
        defer { server.stop() }
        let schema = Data(#"{"type":"object","properties":{"diagnosis":{"enum":["CN","MCI","Dementia"]},"answer":{"type":"string"}}}"#.utf8)
        let structured = ChatRequest(messages: [.system("Be brief."), .user("Diagnosis?")], temperature: 0, maxTokens: 64,
                                     seed: 42, responseFormat: .jsonSchema(name: "memoir_answer", schema: schema))
        _ = try client(server.baseURL + "/v1/", apiKey: "s3cret").complete(structured)
        let raw = try #require(server.receivedRequests.first)
        let head = raw.components(separatedBy: "\r\n\r\n")[0]
        #expect(head.hasPrefix("POST /v1/chat/completions HTTP/1.1"))
        #expect(head.contains("Authorization: Bearer s3cret"))
        #expect(head.lowercased().contains("content-type: application/json"))
        let bodyText = raw.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        // The schema travels verbatim: llama.cpp generates properties in its key order.
        #expect(bodyText.contains(String(decoding: schema, as: UTF8.self)))
        let body = Data(bodyText.utf8)
        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(json["temperature"] as? Double == 0)
        #expect(json["max_tokens"] as? Int == 64)
        #expect(json["seed"] as? Int == 42)
        #expect(json["stream"] as? Bool == false)
        #expect((json["messages"] as? [[String: String]])?.map { $0["role"] ?? "" } == ["system", "user"])
        let format = try #require(json["response_format"] as? [String: Any])
        #expect(format["type"] as? String == "json_schema")
        let inner = try #require(format["json_schema"] as? [String: Any])
        #expect(inner["name"] as? String == "memoir_answer")
        #expect((inner["schema"] as? [String: Any])?["type"] as? String == "object")
    }

    @Test func listsModelsAndReportsHealth() throws {
        let server = try FakeLLMServer([
            .json(200, #"{"object":"list","data":[{"id":"smollm2","object":"model"}]}"#),
            .json(200, #"{"status":"ok"}"#),
            .json(503, #"{"error":{"code":503,"message":"Loading model"}}"#),
        ])
        defer { server.stop() }
        let llm = client(server.baseURL)
        #expect(try llm.listModels() == ["smollm2"])
        #expect(try llm.health() == true)
        #expect(try llm.health() == false)
        #expect(server.receivedRequests.map { $0.components(separatedBy: "\r\n")[0] }
            == ["GET /v1/models HTTP/1.1", "GET /health HTTP/1.1", "GET /health HTTP/1.1"])
    }

    @Test func missingEndpointConfigurationSaysWhatToSet() throws {
        let home = try TemporaryFolder()
        #expect {
            _ = try LLMConfiguration.fromEnvironment(["MEMOIR_HOME": home.path])
        } throws: { "\($0)".contains("MEMOIR_LLM_URL") }
        #expect(throws: LLMError.self) { _ = try LLMConfiguration.fromEnvironment(["MEMOIR_LLM_URL": "http://x", "MEMOIR_LLM_TIMEOUT": "soon"]) }
        let configuration = try? LLMConfiguration.fromEnvironment(["MEMOIR_LLM_URL": "http://127.0.0.1:1/v1", "MEMOIR_LLM_API_KEY": "k",
                                                                 "MEMOIR_LLM_TIMEOUT": "30"])
        #expect(configuration?.baseURL == "http://127.0.0.1:1")
        #expect(configuration?.apiKey == "k")
        #expect(configuration?.readTimeout == 30)
    }

    static func delta(_ text: String) -> String {
        let escaped = String(decoding: try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed]), as: UTF8.self)
        return #"{"choices":[{"index":0,"delta":{"content":"# + escaped.dropFirst().dropLast() + #"},"finish_reason":null}]}"#
    }
}
