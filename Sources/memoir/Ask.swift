import Answering
import Application
import ArgumentParser
import Cohort
import Foundation

struct Ask: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer a question about a stored case, grounded in the most similar training cases.",
        discussion: """
        The case's fused embedding retrieves --candidates neighbours from the case index; the reranker \
        (when installed; --no-rerank skips it) reorders them by its relevance of each caption to the question and the \
        case's own description (without its diagnosis) plus the retrieval score; the top --context captions and the question go to the local LLM, which never sees images. Every ask, answered \
        or failed, is logged in the store's `asks` table with the retrieved ids and scores, the prompt version, \
        the model and the seconds per stage (`--json` prints the same).
        Start a local LLM with `bash Scripts/llm.sh start smollm2` (or qwen0.5b / qwen1.5b).
        """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var llmOptions: LLMOptions
    @OptionGroup var sampling: SamplingOptions

    @Option(name: .customLong("case"), help: "Subject id of the case the question is about.")
    var caseID: String

    @Argument(help: "The question.")
    var question: String

    @Option(help: "Modalities of the case the encoder may use.")
    var modalities: ModalitySet = .all

    @Option(help: "Neighbours retrieved from the index.")
    var candidates = 50

    @Option(help: "Neighbours whose captions go to the LLM.")
    var context = 5

    @OptionGroup var rerankOptions: RerankOptions

    @Option(help: "Fused encoder directory (default: see `memoir encode --help`).")
    var encoder: String?

    @Option(help: "Prompt templates: a version directory or the directory of versions (default: $MEMOIR_PROMPTS_DIR, else $MEMOIR_HOME/prompts).")
    var prompts: String?

    @Option(help: "Prompt version.")
    var promptVersion = "v1"

    @Flag(help: "Print the answer as it is generated.")
    var stream = false

    @Flag(help: "Emit one JSON object with the answer, the neighbours and the seconds per stage.")
    var json = false

    func run() throws {
        let service = try AskService.load(store: try store.open(), indexDirectory: indexOptions.index,
                                          models: ModelSet(encoder: encoder, reranker: rerankOptions.reranker, rerank: rerankOptions.rerank),
                                          prompts: prompts, promptVersion: promptVersion, note: Notes.print)
        let request = AskRequest(caseID: caseID, question: question, modalities: modalities, candidates: candidates,
                                 contextSize: context, rerank: service.reranks)
        let echo = stream && !json
        let result = try service.ask(request, client: try llmOptions.client(), generation: sampling.generation(model: llmOptions.llmModel),
                                     stream: stream) { delta in
            if echo { FileHandle.standardError.write(Data(TerminalText.safe(delta).utf8)) }
        }
        if echo { FileHandle.standardError.write(Data("\n".utf8)) }
        if json {
            try JSONLines.emit(AskOutput(result))
            return
        }
        print("Diagnosis: \(result.answer.diagnosis.rawValue)")
        print(TerminalText.safe(result.answer.answer))
        print("Cited: \(result.answer.citedSubjectIDs.isEmpty ? "none" : result.answer.citedSubjectIDs.joined(separator: ", "))")
        print("Context given to the model:")
        for (i, c) in result.prepared.context.enumerated() { print("  \(i + 1). \(c.subjectID) (\(c.diagnosis))") }
        let t = result.timings
        print(String(format: "prompt %@, model %@; %.0f ms before the LLM (embed %.0f, search %.1f, rerank %.0f, prompt %.1f), LLM %.1f s",
                     result.prepared.promptVersion, TerminalText.safe(result.response.model ?? llmOptions.llmModel ?? "?"), t.beforeLLM * 1000,
                     t.embed * 1000, t.search * 1000, t.rerank * 1000, t.prompt * 1000, t.llm))
    }
}
