import Application
import ArgumentParser
import Cohort
import Foundation
import FusedEncoder

struct EvalPrognosis: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prognosis",
        abstract: "How often the neighbours' majority course matches a test subject's own, against the base rate (Wilson 95 % intervals).",
        discussion: """
        Queries are the test split's baseline cases of --group whose own outcome within --horizon months is known \
        (progressed, or followed that long without). Each is retrieved against the library; the first -k neighbours \
        of the same group with a known course vote. Needs a store ingested from a longitudinal table (ADNIMERGE; \
        `memoir synth` writes adnimerge.csv) and its index (`memoir index`).
        """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var indexOptions: IndexOptions

    @Option(help: "Baseline group: MCI (progression to dementia, default) or CN (progression to MCI).")
    var group = "MCI"

    @Option(name: .shortAndLong, help: "Neighbours that vote.")
    var k = 5

    @Option(help: "Months within which progression counts.")
    var horizon: Double = 24

    @Option(help: "Modalities of the query cases.")
    var modalities: ModalitySet = .all

    @Option(help: "Fused encoder directory (default: see `memoir encode --help`).")
    var encoder: String?

    @Option(help: "Also write the Markdown table to this file.")
    var out: String?

    @Flag(help: "Emit one JSON object.")
    var json = false

    func validate() throws {
        guard k >= 1, k <= 50 else { throw ValidationError("-k must be in 1…50") }
        guard horizon > 0, horizon <= 240 else { throw ValidationError("--horizon must be in 1…240 months") }
        guard Diagnosis(parsing: group) != nil else { throw ValidationError("--group must be CN or MCI") }
    }

    func run() throws {
        let retriever = try CaseRetriever(store: try store.open(), encoder: try EncoderLocator.load(explicit: encoder),
                                          indexDirectory: indexOptions.index)
        let bar = ProgressBar(label: "queries")
        let result = try PrognosisEvaluation.run(retriever: retriever, group: Diagnosis(parsing: group) ?? .mci, k: k,
                                                 horizonMonths: horizon, modalities: modalities) { bar.update($0, $1) }
        if let out {
            do { try result.markdown.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                throw ApplicationError.invalid("cannot write \(out): \(error.localizedDescription)")
            }
        }
        if json { try JSONLines.emit(result) } else { print(result.markdown) }
    }
}
