import Application
import ArgumentParser
import Cohort
import Foundation

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a cohort CSV and its volumes, then store subjects, captions and a stratified 80/20 split.",
        discussion: """
        Every row and volume is checked before anything is written; the database changes in one transaction, \
        so a failed or interrupted ingest leaves it as it was. Re-running with the same file is a no-op.
        """)

    @Argument(help: "Cohort CSV (columns: see README, 'Cohort CSV format').")
    var csv: String

    @OptionGroup var store: StoreOptions

    @Option(help: "Seed of the stratified split.")
    var splitSeed: UInt64 = 2363

    @Flag(help: "Emit the summary as JSON.")
    var json = false

    func run() throws {
        let bar = ProgressBar(label: "ingest")
        let summary = try CohortIngest.run(csvPath: csv, storePath: store.path, splitSeed: splitSeed, progress: bar.update,
                                           note: Notes.print)
        if json {
            try JSONLines.emit(summary)
        } else {
            let groups = summary.byDiagnosis.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("ingested \(summary.subjects) subjects into \(store.path) (\(groups)); train \(summary.train), test \(summary.test); T1 \(summary.withT1), DTI-FA \(summary.withFA)")
        }
    }
}
