import ArgumentParser
import Store
import Evaluation
import Foundation

struct QACheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a QA file: report every bad line (missing fields, unknown case ids, duplicates).",
        discussion: "Exits non-zero when any line is bad. With --json: {\"file\",\"questions\",\"bad_lines\",\"problems\":[{\"line\",\"reason\"}],\"sha256\"}.")

    @Argument(help: "QA set (JSONL).")
    var file: String

    @OptionGroup var store: StoreOptions

    @Flag(help: "Skip the check that case ids exist in the store.")
    var noStore = false

    @Flag(help: "Emit the report as JSON.")
    var json = false

    func run() throws {
        let known = noStore ? nil : Set(try store.open(.readOnly).subjectIDs())
        let set = try QASet.load(path: file, knownCaseIDs: known)
        if json {
            try JSONLines.emit(Report(file: file, questions: set.items.count, bad_lines: set.problems.count,
                                      problems: set.problems.map { .init(line: $0.line, reason: $0.reason) }, sha256: set.sha256))
        } else {
            print("\(file): \(set.items.count) questions, \(set.problems.count) bad lines")
            for p in set.problems { print("\(file):\(p.line): \(p.reason)") }
        }
        if !set.problems.isEmpty { throw ExitCode(1) }
    }

    struct Report: Encodable {
        struct Problem: Encodable { let line: Int; let reason: String }
        let file: String; let questions: Int; let bad_lines: Int; let problems: [Problem]; let sha256: String
    }
}
