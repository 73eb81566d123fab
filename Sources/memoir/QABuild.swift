import Answering
import Application
import ArgumentParser
import Store
import Cohort
import Evaluation
import Foundation

struct QABuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Write questions with reference answers for each subject of a split, from the case store.",
        discussion: """
        Per subject: diagnosis (with expected_diagnosis), severity (the MMSE and MoCA bands), cognition scores, \
        APOE risk, and a comparison with the 5 subjects retrieval gives the LLM for that question (so the case index \
        and encoder are needed, and the reranker when installed); a question whose facts are not recorded is \
        skipped. References hold only what the answering evidence shows (never CDR-SB, which the LLM is not given). JSONL to --out (written atomically) or standard output. With --out and --json, prints a \
        summary {"out","questions","subjects","by_category","sha256"}.
        """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var rerankOptions: RerankOptions

    @Option(help: "Fused encoder directory.")
    var encoder: String?

    @Option(help: "Modalities the query case is encoded with when retrieving its similar cases (as `memoir eval vqa --modalities`).")
    var modalities: ModalitySet = .all

    @Option(help: "Split whose subjects are asked about (test or train).")
    var split: Split = .test

    @Option(help: "Output JSONL file (default: standard output).")
    var out: String?

    @Option(help: "Seed choosing among equivalent phrasings.")
    var seed: UInt64 = 1

    @Flag(help: "Emit the summary as JSON (with --out).")
    var json = false

    func run() throws {
        let service = try AskService.load(store: try store.open(), indexDirectory: indexOptions.index,
                                          models: ModelSet(encoder: encoder, reranker: rerankOptions.reranker, rerank: rerankOptions.rerank),
                                          prompts: nil, promptVersion: PromptTemplate.currentVersion, note: Notes.print)
        let items = try QASetBuilder(seed: seed).build(store: service.pipeline.store, split: split,
                                                       neighbours: { [modalities] in
            try service.contextNeighbours(caseID: $0, question: $1, modalities: modalities)
        })
        guard let out else {
            FileHandle.standardOutput.write(try QASet.jsonLines(items))
            return
        }
        try QASet.write(items, to: out)
        let written = try QASet.load(path: out, knownCaseIDs: nil)
        var byCategory: [String: Int] = [:]
        for item in items { byCategory[item.category.rawValue, default: 0] += 1 }
        let summary = Summary(out: out, questions: items.count, subjects: Set(items.map(\.caseID)).count,
                              by_category: byCategory, sha256: written.sha256)
        if json {
            try JSONLines.emit(summary)
        } else {
            let groups = byCategory.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("wrote \(summary.questions) questions about \(summary.subjects) \(split.rawValue) subjects to \(out) (\(groups))")
        }
    }

    struct Summary: Encodable { let out: String; let questions: Int; let subjects: Int; let by_category: [String: Int]; let sha256: String }
}
