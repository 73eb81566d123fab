import Answering
import Foundation
import Testing
import TestSupport

/// The launcher's llama.cpp server (Scripts/llm.sh, llm_server.py) is not an open relay: answering needs its key,
/// and no browser origin is allowed to call it (issue #15: the server used to run without a key and echo any Origin).
@Suite struct LocalLLMServerSecurityTests {
    @Test(.tags(.localLLM), .needsLocalLLM)
    func answeringNeedsTheKeyAndNoOriginIsAllowed() throws {
        let server = try LocalServer.acquire()
        defer { server.release() }
        let key = try #require(server.apiKey, "the launcher always starts its server with a key")
        let request = ChatRequest(messages: [.user("Say OK.")], maxTokens: 1)
        for wrong in [nil, "wrong-key-0123456789"] {
            let client = LLMClient(configuration: LLMConfiguration(baseURL: server.url, apiKey: wrong, retry: .none))
            #expect {
                _ = try client.complete(request)
            } throws: { error in
                guard case .http(_, 401, _, _)? = error as? LLMError else { return false }
                return !"\(error)".contains("wrong-key-0123") && !"\(error)".contains(key)
            }
        }
        // A browser page on another origin: the answer must not carry its Origin (or *) back.
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "-D", "-", "-o", "/dev/null", "-X", "OPTIONS", "-H", "Origin: http://evil.example",
                          "-H", "Access-Control-Request-Method: POST", server.url + "/v1/chat/completions"]
        let out = Pipe()
        curl.standardOutput = out
        try curl.run()
        let headers = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).lowercased()
        curl.waitUntilExit()
        #expect(!headers.contains("access-control-allow-origin: http://evil.example") && !headers.contains("access-control-allow-origin: *"),
                "\(headers)")
    }
}
