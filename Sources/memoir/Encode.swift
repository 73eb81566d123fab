import Application
import ArgumentParser
import Cohort
import Foundation
import FusedEncoder
import Numerics

struct Encode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill the embedding cache: encode the store's cases with the fused encoder (cached ones are skipped).",
        discussion: """
        The encoder resolves from --encoder, then $MEMOIR_ENCODER_DIR, then $MEMOIR_HOME/models/fused-encoder \
        (Scripts/setup.sh links the shipped Models/fused-encoder-w16 there). Embeddings are keyed by the \
        encoder's weights hash and the requested modality subset; a case lacking a requested modality is \
        encoded with what it has. Written in batches, so an interrupted run keeps what it finished.
        """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Fused encoder directory (config.json + model.safetensors).")
    var encoder: String?

    @Option(help: "Only this split (train or test); default: every case.")
    var split: Split?

    @OptionGroup var subsetOptions: SubsetOptions

    @Option(help: "Cases per database transaction.")
    var batchSize = 16

    @Flag(help: "Emit the summary as JSON.")
    var json = false

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        let caseStore = try store.open()
        let model = try EncoderLocator.load(explicit: encoder)
        let subsets = subsetOptions.subsets
        let bar = ProgressBar(label: "encode")
        let start = Date()
        let worked = Locked(0)
        let summary = try LibraryEncoder(store: caseStore, encoder: model)
            .encodeAll(split: split, subsets: subsets, batchSize: batchSize,
                       progress: { p in worked.withLock { $0 = p.total }; bar.update(p.done, p.total) }, note: Notes.print)
        let seconds = Date().timeIntervalSince(start)
        let cases = worked.withLock { $0 }
        let report = Report(db: caseStore.path, encoderHash: model.weightsHash, subsets: subsets.map(\.key),
                            split: split?.rawValue, encoded: summary.encoded, alreadyCached: summary.alreadyCached,
                            skipped: summary.skipped, failed: summary.failures.count, casesEncoded: cases, seconds: seconds,
                            casesPerSecond: seconds > 0 ? Double(cases) / seconds : 0,
                            failures: summary.failures.map { Report.Failure(subject: $0.subjectID, error: $0.message) })
        if json {
            try JSONLines.emit(report)
        } else {
            print(String(format: "encoded %d embeddings of %d cases in %.1f s (%.2f cases/s); %d already cached, %d skipped (nothing to encode), %d failed",
                         report.encoded, cases, seconds, report.casesPerSecond, report.alreadyCached, report.skipped, report.failed))
        }
        for f in summary.failures { FileHandle.standardError.write(Data("failed: \(f.subjectID): \(f.message)\n".utf8)) }
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }

    struct Report: Encodable {
        struct Failure: Encodable { let subject: String; let error: String }
        let db: String
        let encoderHash: String
        let subsets: [String]
        let split: String?
        let encoded: Int
        let alreadyCached: Int
        let skipped: Int
        let failed: Int
        let casesEncoded: Int
        let seconds: Double
        let casesPerSecond: Double
        let failures: [Failure]
    }
}
