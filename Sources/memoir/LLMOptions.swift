import Answering
import ArgumentParser
import Foundation
import TextModels

/// Which OpenAI-compatible endpoint answers, and how it samples.
struct LLMOptions: ParsableArguments {
    @Option(help: "Base URL of an OpenAI-compatible server (llama.cpp, Ollama, vLLM). Default: $MEMOIR_LLM_URL, else the server `bash Scripts/llm.sh start` left running.")
    var llm: String?

    @Option(help: "Model name sent to the server (llama.cpp ignores it; Ollama and vLLM need it).")
    var model: String?

    @Option(help: "Sampling temperature.")
    var temperature = 0.2

    @Option(help: "Maximum tokens in the answer.")
    var maxTokens = 400

    @Option(help: "Sampling seed sent to the server.")
    var seed = 2363

    @Flag(help: "Do not send the answer schema as response_format (for servers without structured output).")
    var noSchema = false

    var generation: GenerationOptions {
        GenerationOptions(model: model, temperature: temperature, maxTokens: maxTokens, seed: seed, structuredOutput: !noSchema)
    }

    /// --llm, then $MEMOIR_LLM_URL, then the URL the launcher wrote to $MEMOIR_HOME/llm/server.url.
    func client() throws -> LLMClient { try Self.client(url: llm) }

    static func client(url explicit: String?) throws -> LLMClient {
        var url = explicit
        if url == nil, ProcessInfo.processInfo.environment[LLMConfiguration.urlVariable]?.isEmpty ?? true {
            let file = ModelLocator.memoirHome + "/llm/server.url"
            url = (try? String(contentsOfFile: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return LLMClient(configuration: try LLMConfiguration.fromEnvironment(baseURL: url))
    }
}
