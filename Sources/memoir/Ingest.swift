import Application
import ArgumentParser
import Cohort
import Foundation
import Store

extension VisitSelection: ExpressibleByArgument {}
extension CaseStore.LibraryVisits: ExpressibleByArgument {}

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a cohort table and its volumes, then store cases, captions and a stratified 80/20 split.",
        discussion: """
        Two formats, told apart by their columns (README, 'Cohort CSV format'): the one-row-per-subject cohort CSV, \
        and ADNIMERGE as downloaded (one row per visit, a VISCODE column), whose volumes come from --images; or a BIDS dataset (--bids DIR). \
        Every row and volume is checked before anything is written, and every problem is listed (up to 50); the \
        database changes in one transaction, so a failed or interrupted ingest leaves it as it was. Volumes must \
        be registered to MNI152 2 mm space (checked against the templates Scripts/setup.sh installs). \
        Re-running with the same file is a no-op.
        """)

    @Argument(help: "Cohort CSV or ADNIMERGE.csv (columns: see README, 'Cohort CSV format'); omit with --bids.")
    var csv: String?

    @Option(help: "A BIDS dataset folder instead of a table: participants.tsv, sub-*/sub-*_sessions.tsv, T1w in anat/ (or an MNI152-space derivative), FA from derivatives/ (README, 'BIDS datasets').")
    var bids: String?

    @Option(help: "With --bids: a JSON map from Memoir's fields (ADNIMERGE names: DX, AGE, PTGENDER, MMSE, ...) to the dataset's column names, e.g. {\"DX\": \"clinical_group\"}.")
    var columnMap: String?

    @OptionGroup var store: StoreOptions

    @Option(help: "Seed of the stratified split (by subject: visits of one subject share a side).")
    var splitSeed: UInt64 = 2363

    @Option(help: "ADNIMERGE or BIDS: which visits become cases: bl (baseline, default), all, or latest (each subject's last visit with a diagnosis).")
    var visit: VisitSelection = .baseline

    @Option(help: "ADNIMERGE only: image map CSV (PTID, VISCODE, T1_PATH, FA_PATH; paths relative to it).")
    var images: String?

    @Option(help: "Retrieval library when subjects have several visits: baseline (default) or all training visits.")
    var library: CaseStore.LibraryVisits = .baseline

    @Flag(help: "Accept volumes that fail the MNI152 registration check; their cases are marked and their captions warn.")
    var allowUnregistered = false

    @Flag(help: "Emit the summary as JSON.")
    var json = false

    func run() throws {
        let bar = ProgressBar(label: "ingest")
        let source: CohortIngest.Source
        switch (csv, bids) {
        case let (path?, nil): source = .table(path)
        case let (nil, root?): source = .bids(root, columnMap: columnMap)
        case (nil, nil): throw ValidationError("give a cohort CSV or ADNIMERGE table, or --bids DIR")
        case (_?, _?): throw ValidationError("give either a table or --bids DIR, not both")
        }
        if columnMap != nil, bids == nil { throw ValidationError("--column-map goes with --bids") }
        let summary = try CohortIngest.run(source, storePath: store.path, splitSeed: splitSeed, visits: visit, imageMap: images,
                                           allowUnregistered: allowUnregistered, library: library, progress: bar.update, note: Notes.print)
        for warning in summary.warnings ?? [] { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        if json {
            try JSONLines.emit(summary)
        } else {
            let groups = summary.byDiagnosis.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let cases = summary.cases.map { $0 == summary.subjects ? "" : " (\($0) visits as cases)" } ?? ""
            print("ingested \(summary.subjects) subjects\(cases) into \(store.path) (\(groups)); train \(summary.train), test \(summary.test); T1 \(summary.withT1), DTI-FA \(summary.withFA)")
        }
    }
}
