import Answering
import Application
import ArgumentParser
import Cohort
import Foundation
import Numerics

struct Ask: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer a question about a stored case, grounded in the most similar training cases.",
        discussion: """
        The case's fused embedding retrieves --candidates neighbours from the case index; the reranker \
        (when installed; --no-rerank skips it) reorders them by its relevance of each caption to the question and the \
        case's own description (without its diagnosis) plus the retrieval score. Memoir computes the evidence (the case's \
        values with their cut-offs and library percentiles, the top --context neighbours and their vote, the encoder's \
        estimate) and the local LLM reads it with the question (prompt v2 on; v1 reads captions), never images. Every \
        reply is verified (ids, numbers, diagnosis, truncation, loops; one repair round) and anything not grounded is \
        shown as UNVERIFIED (--strict: exit 3). Every ask, answered or failed, is logged in the store's `asks` table \
        with the evidence, verdict, retrieved ids and scores, the prompt version, the model and the seconds per stage \
        (`--json` prints the same).
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

    @OptionGroup var promptOptions: PromptOptions

    @Flag(help: "Show the answer text as it is generated (on standard error).")
    var stream = false

    @Flag(help: "Exit non-zero unless the answer is verified grounded.")
    var strict = false

    @Flag(help: "Skip the repair round the verifier otherwise gives a reply it does not pass.")
    var noRepair = false

    @Flag(help: "Emit one JSON object with the evidence, the answer, its verdict, the neighbours and the seconds per stage.")
    var json = false

    func run() throws {
        let service = try AskService.load(store: try store.open(), indexDirectory: indexOptions.index,
                                          models: ModelSet(encoder: encoder, reranker: rerankOptions.reranker, rerank: rerankOptions.rerank),
                                          prompts: promptOptions.prompts, promptVersion: promptOptions.promptVersion, note: Notes.print)
        let request = AskRequest(caseID: caseID, question: question, modalities: modalities, candidates: candidates,
                                 contextSize: context, rerank: service.reranks)
        let echo = stream && !json
        let waiting = ElapsedIndicator(label: "waiting for the model", enabled: !echo && isatty(STDERR_FILENO) != 0)
        let reader = Locked(AnswerTextStream())
        // Always streamed from the server (time to first token is measured); shown only with --stream.
        let result: AskResult
        do {
            result = try service.ask(request, client: try llmOptions.client(), generation: sampling.generation(model: llmOptions.llmModel),
                                     stream: true, repair: !noRepair) { delta in
                guard echo else { return }
                let text = reader.withLock { $0.feed(delta) }
                if !text.isEmpty { FileHandle.standardError.write(Data(TerminalText.safe(text).utf8)) }
            }
        } catch {
            waiting.stop()
            throw error
        }
        waiting.stop()
        if echo { FileHandle.standardError.write(Data("\n".utf8)) }
        if json {
            try JSONLines.emit(AskReport(result))
        } else {
            AskPrinter(result: result, model: llmOptions.llmModel).print()
        }
        if strict && !result.verdict.isGrounded { throw ExitCode(3) }
    }
}
