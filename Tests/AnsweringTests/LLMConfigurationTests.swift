import Answering
import Foundation
import Testing
import TestSupport

/// Where the endpoint and its key come from: flag, environment, then the launcher's files under $MEMOIR_HOME.
@Suite struct LLMConfigurationTests {
    let home: TemporaryFolder
    init() throws {
        home = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: home.file("llm"), withIntermediateDirectories: true)
        try "http://127.0.0.1:5555\n".write(toFile: home.file("llm/server.url"), atomically: true, encoding: .utf8)
        try "launcher-secret\n".write(toFile: home.file("llm/server.key"), atomically: true, encoding: .utf8)
    }

    @Test func theLaunchersServerComesWithItsKeyAndOnlyIt() throws {
        let launched = try LLMConfiguration.fromEnvironment(["MEMOIR_HOME": home.path])
        #expect(launched.baseURL == "http://127.0.0.1:5555" && launched.apiKey == "launcher-secret")
        // Another endpoint, by flag or environment, never receives the launcher's key.
        let flagged = try LLMConfiguration.fromEnvironment(baseURL: "http://127.0.0.1:7777", ["MEMOIR_HOME": home.path])
        #expect(flagged.baseURL == "http://127.0.0.1:7777" && flagged.apiKey == nil)
        let fromVariable = try LLMConfiguration.fromEnvironment(["MEMOIR_HOME": home.path, "MEMOIR_LLM_URL": "https://llm.example"])
        #expect(fromVariable.apiKey == nil)
        // An explicit key wins everywhere.
        let keyed = try LLMConfiguration.fromEnvironment(["MEMOIR_HOME": home.path, "MEMOIR_LLM_API_KEY": "mine"])
        #expect(keyed.baseURL == "http://127.0.0.1:5555" && keyed.apiKey == "mine")
    }

    @Test func onlyHTTPEndpointsAreAccepted() {
        for url in ["file:///etc/hostname#", "ftp://127.0.0.1", "gopher://x", "127.0.0.1:8080", "dict://localhost:11211/"] {
            #expect(throws: LLMError.self, "\(url)") { _ = try LLMConfiguration.fromEnvironment(baseURL: url, [:]) }
        }
        #expect(throws: Never.self) { _ = try LLMConfiguration.fromEnvironment(baseURL: "HTTPS://Example.org/v1", [:]) }
    }
}
