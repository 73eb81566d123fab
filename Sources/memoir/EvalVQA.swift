import Answering
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
        cosine against the reference. Reports VQA diagnosis accuracy (diagnosis questions), BERTScore P/R/F, \
        SBERT cosine and latency per backbone and per subset; --report DIR writes report.md and report.html.
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
    var model: [String] = []

    @Option(help: "Modality subsets: 'complete', 'all' (the 7 non-empty subsets) or keys like t1+fa+clinical,clinical.")
    var modalities: SubsetList = .complete

    @Option(help: "Only these categories (comma-separated: diagnosis, severity, cognition, apoe, similar_cases).")
    var categories: String?

    @Option(help: "Only the first N questions (after --categories).")
    var limit: Int?

    @OptionGroup var rerankOptions: RerankOptions

    @Option(help: "Sampling temperature (0 for reproducible runs).")
    var temperature = 0.0

    @Option(help: "Sampling seed.")
    var seed = 2363

    @Option(help: "Maximum tokens per answer.")
    var maxTokens = 400

    @Flag(help: "BERTScore with idf weights from the references.")
    var idf = false

    @Option(help: "Fused encoder directory.")
    var encoder: String?

    @Option(help: "all-MiniLM-L6-v2 directory (BERTScore and SBERT).")
    var textModel: String?

    @Option(help: "Prompt templates directory.")
    var prompts: String?

    @Option(help: "Prompt version.")
    var promptVersion = "v1"

    @Option(help: "Write report.md and report.html (self-contained, SVG charts) into this folder.")
    var report: String?

    @Flag(help: "Emit the per-backbone summary and counts as one JSON object.")
    var json = false

    func validate() throws {
        if !model.isEmpty && model.count != max(1, llm.count) {
            throw ValidationError("give one --model per --llm (\(llm.count) --llm, \(model.count) --model)")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let pipeline = try AskSetup(store: store, index: indexOptions, encoder: encoder, reranker: rerankOptions.reranker, rerank: rerankOptions.rerank,
                                    prompts: prompts, promptVersion: promptVersion).pipeline()
        var set = try QASet.load(path: qa, knownCaseIDs: Set(try pipeline.store.subjectIDs()))
        for p in set.problems { FileHandle.standardError.write(Data("\(qa): \(p)\n".utf8)) }
        var items = set.items
        if let categories {
            let wanted = Set(categories.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let unknown = wanted.subtracting(QAItem.Category.allCases.map(\.rawValue))
            guard unknown.isEmpty else { throw ValidationError("unknown categor(ies): \(unknown.sorted().joined(separator: ", "))") }
            items = items.filter { wanted.contains($0.category.rawValue) }
        }
        if let limit { items = Array(items.prefix(limit)) }
        set = set.selecting(items)

        let endpoints = llm.isEmpty ? [nil] : llm.map { Optional($0) }
        var backbones: [VQABackbone] = []
        for (i, url) in endpoints.enumerated() {
            let name = model.isEmpty ? nil : model[i]
            let generation = GenerationOptions(model: name, temperature: temperature, maxTokens: maxTokens, seed: seed)
            let client = try LLMOptions.client(url: url)
            let served = name ?? (try? client.listModels().first).flatMap { $0 }.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
            backbones.append(VQABackbone(name: served ?? client.configuration.baseURL, client: client, generation: generation))
        }
        let textDirectory = try ModelLocator.sentenceModelDirectory(explicit: textModel)
        let evaluation = VQAEvaluation(pipeline: pipeline, backbones: backbones, subsets: modalities.subsets, rerank: pipeline.reranker != nil,
                                       bertScorer: try BERTScorer(modelDirectory: textDirectory),
                                       sbert: try SBERTSimilarity(modelDirectory: textDirectory), idf: idf)
        let extra: [EvaluationResults.Setting] = [.init("QA selection", "categories \(categories ?? "all"), limit \(limit.map(String.init) ?? "none")")]
        let bar = ProgressBar(label: "vqa")
        let outcome = try evaluation.run(qa: set, runs: try VQARunStore(store: pipeline.store), extraSettings: extra) { bar.update($0, $1) }
        let rendered = EvaluationReport(results: outcome.results)
        var written: [String] = []
        if let report { written = try rendered.write(to: report) }
        let summary = Summary(run: outcome.runID, questions: set.items.count, badQALines: set.problems.count, asked: outcome.asked,
                              resumed: outcome.resumed, failed: outcome.failed, backbones: rendered.backbones,
                              report: written)
        if json {
            try JSONLines.emit(summary, keys: .convertToSnakeCase)
        } else {
            print(rendered.markdown())
            print("run \(outcome.runID): \(set.items.count) questions, \(set.problems.count) bad QA line(s), \(outcome.asked) asked now, "
                + "\(outcome.resumed) resumed from an earlier run, \(outcome.failed) without a usable answer"
                + (written.isEmpty ? "" : "; report: \(written.joined(separator: ", "))"))
        }
    }

    struct Summary: Encodable {
        let run: String, questions: Int, badQALines: Int, asked: Int, resumed: Int, failed: Int
        let backbones: [EvaluationSummary]
        let report: [String]

        enum CodingKeys: String, CodingKey {
            case run, questions, badQALines = "bad_qa_lines", asked, resumed, failed, backbones, report
        }
    }
}
