import Answering
import Application
import ArgumentParser
import Cohort
import Evaluation
import Foundation
import FusedEncoder
import TextModels

struct EvalVQA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vqa",
        abstract: "Ask every QA item through the answering pipeline, per LLM backbone and modality subset, and score the answers.",
        discussion: """
        Give one --llm URL per backbone (with a matching --model NAME where the server needs one). For each \
        question × backbone × --modalities subset: retrieval, rerank (unless --no-rerank) and the LLM as in `memoir ask` (every ask \
        is logged), the diagnosis read from the answer, then BERTScore (all-MiniLM-L6-v2, layer 5) and SBERT \
        cosine against the reference. Every table has an "evidence only (Memoir's reading)" row: Memoir's templated answer from \
        the same evidence, no LLM, scored the same way. Reports, per backbone, per category and per subset: VQA \
        diagnosis accuracy (the diagnosis the answer's text names; none or several is wrong) and its agreement \
        with the schema's diagnosis field, grounded / truncated / degenerate rates (each with a Wilson 95% \
        interval, flagged when n < 30), unsupported claims per answer, BERTScore, SBERT cosine, time to first \
        token and total time (answers are streamed); --report DIR writes report.md and report.html. \
        --concurrency N keeps N questions in flight per backbone.
        Answers are stored in the case store as they arrive (tables vqa_runs, vqa_answers) under a run id \
        hashed from every setting: re-running the same command resumes, skipping finished questions and \
        retrying failed ones. Bad QA lines, unknown case ids, LLM failures and empty answers are counted and \
        reported, never dropped silently. Build a QA set with `memoir qa build`.
        """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var indexOptions: IndexOptions

    @Option(help: "QA set (JSONL; schema in Fixtures/qa/README.md).")
    var qa: String

    @Option(help: "LLM endpoint of a backbone (repeat for several). Default: $MEMOIR_LLM_URL or the running llm.sh server.")
    var llm: [String] = []

    @Option(help: "Model name for the backbone at the same position (repeat; optional for llama.cpp).")
    var llmModel: [String] = []

    @OptionGroup var renamedModel: RenamedLLMModelOption

    @OptionGroup var subsetOptions: SubsetOptions

    @Option(help: "Only these categories (comma-separated: diagnosis, severity, cognition, apoe, similar_cases).")
    var categories: String?

    @Option(help: "Only the first N questions (after --categories).")
    var limit: Int?

    @OptionGroup var rerankOptions: RerankOptions

    @OptionGroup var sampling: SamplingOptions

    @Option(help: "Questions in flight at once against each backbone (llama.cpp's parallel slots: set MEMOIR_LLM_PARALLEL for Scripts/llm.sh). Results keep the QA order.")
    var concurrency = 1

    @Flag(help: "Ask nothing: score and report the answers this run (same settings) has stored so far — an interim report of a long run.")
    var storedOnly = false

    @Flag(help: "BERTScore with idf weights from the references.")
    var idf = false

    @Option(help: "Fused encoder directory.")
    var encoder: String?

    @Option(help: "all-MiniLM-L6-v2 directory (BERTScore and SBERT; default: $MEMOIR_MINILM_DIR, else $MEMOIR_HOME/models/all-MiniLM-L6-v2).")
    var textModel: String?

    @OptionGroup var promptOptions: PromptOptions

    @Option(help: "Write report.md and report.html (self-contained, SVG charts) into this folder.")
    var report: String?

    @Flag(help: "Emit the per-backbone summary and counts as one JSON object.")
    var json = false

    func validate() throws {
        if !llmModel.isEmpty && llmModel.count != max(1, llm.count) {
            throw ValidationError("give one --llm-model per --llm (\(llm.count) --llm, \(llmModel.count) --llm-model)")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if concurrency < 1 || concurrency > 64 { throw ValidationError("--concurrency must be 1 to 64") }
    }

    func run() throws {
        let service = try AskService.load(store: try store.open(), indexDirectory: indexOptions.index,
                                          models: ModelSet(encoder: encoder, reranker: rerankOptions.reranker, rerank: rerankOptions.rerank),
                                          prompts: promptOptions.prompts, promptVersion: promptOptions.promptVersion, note: Notes.print)
        let evaluator = VQAEvaluator(service: service)
        let wanted = categories.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let set = try evaluator.questions(path: qa, categories: wanted, limit: limit)
        for p in set.problems { FileHandle.standardError.write(Data("\(qa): \(p)\n".utf8)) }
        let urls: [String?] = llm.isEmpty ? [nil] : llm
        let endpoints = urls.enumerated().map { VQAEvaluator.Endpoint(url: $1, model: llmModel.isEmpty ? nil : llmModel[$0]) }
        let backbones = try VQAEvaluator.backbones(endpoints, sampling: sampling.generation(model: nil))
        let extra: [EvaluationResults.Setting] = [.init("QA selection", "categories \(categories ?? "all"), limit \(limit.map(String.init) ?? "none")")]
        let bar = ProgressBar(label: "vqa")
        let outcome = try evaluator.run(questions: set, backbones: backbones, subsets: subsetOptions.subsets, textModel: textModel, idf: idf, concurrency: concurrency,
                                        extraSettings: extra, storedOnly: storedOnly) { bar.update($0, $1) }
        let rendered = EvaluationReport(results: outcome.results)
        var written: [String] = []
        if let report { written = try rendered.write(to: report) }
        let summary = Summary(run: outcome.runID, questions: set.items.count, badQALines: set.problems.count, asked: outcome.asked,
                              resumed: outcome.resumed, failed: outcome.failed, backbones: rendered.backbones, categories: rendered.categories,
                              report: written)
        if json {
            try JSONLines.emit(summary)
        } else {
            print(rendered.markdown())
            print("run \(outcome.runID): \(set.items.count) questions, \(set.problems.count) bad QA line(s), \(outcome.asked) asked now, "
                + "\(outcome.resumed) resumed from an earlier run, \(outcome.failed) without a usable answer"
                + (written.isEmpty ? "" : "; report: \(written.joined(separator: ", "))"))
        }
        if let failure = VQAEvaluator.failure(of: outcome, questions: set.items.count, backbones: backbones.count,
                                              subsets: subsetOptions.subsets.count) {
            FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
            throw ExitCode(1)
        }
    }

    struct Summary: Encodable {
        let run: String, questions: Int, badQALines: Int, asked: Int, resumed: Int, failed: Int
        let backbones: [EvaluationSummary], categories: [EvaluationSummary]
        let report: [String]
    }
}
