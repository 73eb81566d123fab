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
        Per subject: diagnosis (with expected_diagnosis), severity (CDR-SB), cognition scores, APOE risk, and a \
        comparison with the 5 nearest training subjects by clinical inputs; a question whose facts are not recorded \
        is skipped. JSONL to --out (written atomically) or standard output. With --out and --json, prints a \
        summary {"out","questions","subjects","by_category","sha256"}.
        """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Split whose subjects are asked about (test or train).")
    var split: Split = .test

    @Option(help: "Output JSONL file (default: standard output).")
    var out: String?

    @Option(help: "Seed choosing among equivalent phrasings.")
    var seed: UInt64 = 1

    @Flag(help: "Emit the summary as JSON (with --out).")
    var json = false

    func run() throws {
        let items = try QASetBuilder(seed: seed).build(store: try store.open(.readOnly), split: split)
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
