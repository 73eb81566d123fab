import Answering
import ArgumentParser
import Foundation

/// Which OpenAI-compatible endpoint answers.
struct LLMOptions: ParsableArguments {
    @Option(help: "Base URL of an OpenAI-compatible server (llama.cpp, Ollama, vLLM). Default: $MEMOIR_LLM_URL, else the server `Scripts/llm.sh start` left running (with its key).")
    var llm: String?

    @Option(help: "Model name sent to the server (llama.cpp ignores it; Ollama and vLLM need it).")
    var llmModel: String?

    @OptionGroup var renamed: RenamedLLMModelOption

    /// --llm, then $MEMOIR_LLM_URL, then the launcher's server (see `LLMConfiguration.fromEnvironment`).
    func client() throws -> LLMClient { LLMClient(configuration: try LLMConfiguration.fromEnvironment(baseURL: llm)) }
}

/// How the LLM samples: one set of defaults (`GenerationOptions`) for every command that asks.
struct SamplingOptions: ParsableArguments {
    @Option(help: "Sampling temperature.")
    var temperature = GenerationOptions().temperature

    @Option(help: "Maximum tokens in an answer.")
    var maxTokens = GenerationOptions().maxTokens

    @Option(help: "Sampling seed sent to the server.")
    var seed = GenerationOptions().seed ?? 2363

    @Option(help: "Frequency penalty sent to the server (OpenAI's frequency_penalty; 0 sends none).")
    var frequencyPenalty = GenerationOptions().frequencyPenalty ?? 0

    @Flag(help: "Do not send the answer schema as response_format (for servers without structured output).")
    var noSchema = false

    func validate() throws {
        guard temperature.isFinite, (0...2).contains(temperature) else { throw ValidationError("--temperature must lie in 0…2") }
        guard (1...8192).contains(maxTokens) else { throw ValidationError("--max-tokens must lie in 1…8192") }
        guard frequencyPenalty.isFinite, (-2...2).contains(frequencyPenalty) else { throw ValidationError("--frequency-penalty must lie in -2…2") }
    }

    func generation(model: String?) -> GenerationOptions {
        GenerationOptions(model: model, temperature: temperature, maxTokens: maxTokens, seed: seed,
                          frequencyPenalty: frequencyPenalty == 0 ? nil : frequencyPenalty, structuredOutput: !noSchema)
    }
}
