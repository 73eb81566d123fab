import ArgumentParser
import Store
import Cohort
import Evaluation
import Foundation
import FusedEncoder

struct EvalEncoder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encoder",
        abstract: "Score the fused encoder's heads on a split, for each of the 7 non-empty modality subsets.",
        discussion: """
        Reports per subset: 3-class diagnosis balanced accuracy, macro-F1, one-vs-rest ROC AUC and confusion \
        matrix; CN-vs-Dementia (binary head, CN and Dementia cases) balanced accuracy, AUC and confusion; \
        age and CDR-SB mean absolute error; sex accuracy. A case lacking a modality of a subset is evaluated \
        with what it has; "had all" counts the cases that had every requested modality.
        """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Split to evaluate (train or test).")
    var split: Split = .test

    @Option(help: "Fused encoder directory (config.json + model.safetensors).")
    var encoder: String?

    @Flag(help: "Emit the results as JSON.")
    var json = false

    @Option(help: "Also write the Markdown report to this file (atomically).")
    var out: String?

    func run() throws {
        let caseStore = try store.open(.readOnly)
        let model = try EncoderLocator.load(explicit: encoder)
        let bar = ProgressBar(label: "eval encoder")
        let result = try EncoderEvaluation.run(store: caseStore, encoder: model, split: split, progress: bar.update)
        if let out {
            let header = "Fused encoder \(model.weightsHash.prefix(12)) on the \(split.rawValue) split of \(caseStore.path) "
                + "(\(result.cases) cases, \(String(format: "%.0f", result.seconds)) s).\n\n"
            do { try Data((header + result.markdown).utf8).write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                throw ValidationError("cannot write \(out): \(error.localizedDescription)")
            }
        }
        if json { try JSONLines.emit(result) } else { print(result.markdown, terminator: "") }
        if !result.failures.isEmpty { throw ExitCode(1) }
    }
}
