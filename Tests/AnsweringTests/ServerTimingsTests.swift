import Answering
import Foundation
import TestSupport
import Testing

/// llama.cpp reports what it spent on each reply (`timings`: prompt tokens evaluated, prefix-cache hits,
/// generated tokens, milliseconds): read from a whole reply and from a stream's final chunk, ignored when
/// absent or not sane, never an error.
@Suite struct ServerTimingsTests {
    static let timings = #""timings":{"cache_n":31,"prompt_n":12,"prompt_ms":80.5,"prompt_per_token_ms":6.7,"predicted_n":4,"predicted_ms":71.4}"#
    let request = ChatRequest(messages: [.user("Is this MCI?")], maxTokens: 8)

    func client(_ server: FakeLLMServer) -> LLMClient {
        LLMClient(configuration: LLMConfiguration(baseURL: server.baseURL, apiKey: nil, connectTimeout: 1, readTimeout: 2, totalTimeout: 5))
    }

    @Test func aWholeReplysTimingsAreRead() throws {
        let body = #"{"choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"model":"m","# + Self.timings + "}"
        let server = try FakeLLMServer([.json(200, body)])
        defer { server.stop() }
        let t = try #require(try client(server).complete(request).serverTimings)
        #expect(t == ChatResponse.ServerTimings(cachedTokens: 31, promptTokens: 12, promptMilliseconds: 80.5, generatedTokens: 4,
                                                generatedMilliseconds: 71.4))
    }

    @Test func aStreamsFinalChunkCarriesThem() throws {
        let server = try FakeLLMServer([.sse([#"{"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}"#,
                                              #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"# + Self.timings + "}", "[DONE]"])])
        defer { server.stop() }
        let response = try client(server).stream(request)
        #expect(response.text == "hi" && response.serverTimings?.promptTokens == 12 && response.serverTimings?.cachedTokens == 31)
    }

    @Test func missingOrInsaneTimingsAreLeftOut() throws {
        for timings in ["", #","timings":{"prompt_n":-3,"prompt_ms":1,"predicted_n":1,"predicted_ms":1}"#,
                        #","timings":{"prompt_n":3,"prompt_ms":1,"predicted_n":1,"predicted_ms":-5}"#] {
            let body = #"{"choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]"# + timings + "}"
            let server = try FakeLLMServer([.json(200, body)])
            defer { server.stop() }
            let response = try client(server).complete(request)
            #expect(response.text == "hi" && response.serverTimings == nil, "\(timings)")
        }
        // A wrong type in a field Memoir only reports is a malformed reply like any other.
        let server = try FakeLLMServer([.json(200, #"{"choices":[{"index":0,"message":{"content":"hi"},"finish_reason":"stop"}],"timings":{"prompt_n":"x"}}"#)])
        defer { server.stop() }
        #expect(throws: LLMError.self) { try client(server).complete(request) }
    }
}
