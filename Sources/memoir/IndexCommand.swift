import Application
import ArgumentParser
import Cohort
import Foundation

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build the case index: FAISS over the training split's fused embeddings, with a manifest.",
        discussion: """
        Embeddings missing from the cache are computed first (see `memoir encode`). The index directory holds \
        index.faiss and manifest.json (encoder hash, modalities, count, dimension, factory, subject ids, \
        created-at); it is written beside the old one and swapped in, so a reader never sees half an index. \
        `memoir retrieve` and `memoir ask` refuse an index whose manifest does not match the store and encoder.

        When the reranker is late-interaction (Memoir's domain reranker is), the indexed cases' caption states \
        are computed into the store too, so the first questions rerank as fast as later ones (--no-rerank-states \
        skips this; `ask` then computes missing states as it meets them).
        """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var indexOptions: IndexOptions

    @Option(help: "Fused encoder directory (default: see `memoir encode --help`).")
    var encoder: String?

    @Option(help: "FAISS index factory string (default: Flat below 10,000 training cases, HNSW32,Flat above; measured in Benchmarks/results/index.md), e.g. Flat, IVF1024,Flat, HNSW32,Flat.")
    var factory: String?

    @Option(help: "nprobe (IVF) or efSearch (HNSW) to search with (default: 32 for IVF, 128 for HNSW; ignored by Flat).")
    var searchBreadth: Int?

    func validate() throws {
        if let searchBreadth, !(1...65_536).contains(searchBreadth) {
            throw ValidationError("--search-breadth must lie in 1...65536, got \(searchBreadth)")
        }
    }

    @Option(help: "Modalities of the library embeddings.")
    var modalities: ModalitySet = .all

    @Option(help: "Reranker whose caption states to precompute (default: $MEMOIR_RERANKER_DIR, else $MEMOIR_HOME/models/reranker-minilm-adni; skipped when none is installed).")
    var reranker: String?

    @Flag(help: "Do not precompute the reranker's caption states.")
    var noRerankStates = false

    @Flag(help: "Emit the summary as JSON.")
    var json = false

    func run() throws {
        let caseStore = try store.open()
        let models = ModelSet(encoder: encoder, reranker: reranker, rerank: noRerankStates ? false : nil)
        let builder = IndexBuilder(store: caseStore, encoder: try models.loadEncoder(),
                                   reranker: try models.loadReranker(otherwise: "no caption states computed", note: Notes.print))
        let bars = [IndexBuilder.Stage.encode: ProgressBar(label: "encode"), .rerankStates: ProgressBar(label: "rerank states")]
        let directory = StoreLayout.indexDirectory(explicit: indexOptions.index, storePath: caseStore.path)
        let report = try builder.build(directory: directory, modalities: modalities, factory: factory, searchBreadth: searchBreadth,
                                       progress: { stage, done, total in bars[stage]?.update(done, total) }, note: Notes.print)
        if json {
            try JSONLines.emit(report)
        } else {
            let breadth = report.searchBreadth.map { ", search breadth \($0)" } ?? ""
            print("indexed \(report.count) training cases (\(report.dimension)-d, \(report.factory)\(breadth), \(modalities.key)) in \(directory)"
                + String(format: " — %.1f s, %d embeddings computed", report.seconds, report.encoded)
                + (report.rerankStatesComputed.map { String(format: ", %d reranker caption states computed in %.1f s", $0, report.rerankStatesSeconds ?? 0) } ?? ""))
        }
    }
}
