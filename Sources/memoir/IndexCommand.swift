import Answering
import ArgumentParser
import Cohort
import Foundation
import FusedEncoder
import Retrieval

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

    @Option(help: "FAISS index factory string: Flat (exact), or e.g. IVF64,Flat or HNSW32 for large case libraries.")
    var factory = "Flat"

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
        let model = try EncoderLocator.load(explicit: encoder)
        let cache = try EmbeddingCache(store: caseStore, encoder: model)
        let bar = ProgressBar(label: "encode")
        let start = Date()
        let summary = try cache.encodeAll(encoder: model, split: .train, subsets: [modalities]) { bar.update($0.done, $0.total) }
        if !summary.failures.isEmpty {
            for f in summary.failures { FileHandle.standardError.write(Data("failed: \(f.subjectID): \(f.message)\n".utf8)) }
            throw ValidationError("\(summary.failures.count) training case(s) could not be encoded; the index was not built")
        }
        let ids = try caseStore.subjectIDs(split: .train)
        let vectors = try cache.embeddings(modalities: modalities)
        let missing = ids.filter { vectors[$0] == nil }
        guard missing.isEmpty else {
            throw ValidationError("\(missing.count) training case(s) have no \(modalities.key) embedding (first: \(missing[0]))")
        }
        let directory = indexOptions.directory(forStore: caseStore.path)
        let index = try CaseIndex.build(subjectIDs: ids, vectors: ids.map { vectors[$0]! }, encoderHash: model.weightsHash,
                                        modalities: modalities.members.map(\.rawValue), factory: factory, directory: directory)
        let rerankStart = Date()
        let statesComputed = try warmRerankStates(store: caseStore)
        let report = Report(directory: directory, count: index.count, dimension: index.manifest.dimension, factory: factory,
                            modalities: modalities.key, encoderHash: model.weightsHash, encoded: summary.encoded,
                            rerankStatesComputed: statesComputed, rerankStatesSeconds: statesComputed.map { _ in Date().timeIntervalSince(rerankStart) },
                            seconds: Date().timeIntervalSince(start))
        if json {
            try JSONLines.emit(report)
        } else {
            print("indexed \(report.count) training cases (\(report.dimension)-d, \(factory), \(modalities.key)) in \(directory)"
                + String(format: " — %.1f s, %d embeddings computed", report.seconds, report.encoded)
                + (report.rerankStatesComputed.map { String(format: ", %d reranker caption states computed in %.1f s", $0, report.rerankStatesSeconds ?? 0) } ?? ""))
        }
    }

    /// Caption states of the training split for a late-interaction reranker; nil when skipped
    /// (asked to, no reranker installed and none named, or an ordinary cross-encoder).
    func warmRerankStates(store caseStore: CaseStore) throws -> Int? {
        guard !noRerankStates else { return nil }
        guard let loaded = try AskSetup.installedReranker(directory: reranker, otherwise: "no caption states computed") else { return nil }
        let caching = try loaded.cachingStates(in: caseStore)
        guard caching.crossEncoder.isLateInteraction else { return nil }
        let bar = ProgressBar(label: "rerank states")
        return try caching.warmStates(for: try caseStore.allCases(split: .train)) { bar.update($0, $1) }
    }

    struct Report: Encodable {
        let directory: String, count: Int, dimension: Int, factory: String, modalities: String, encoderHash: String
        let encoded: Int
        /// Caption states the reranker computed (nil: not a late-interaction reranker, or skipped).
        let rerankStatesComputed: Int?, rerankStatesSeconds: Double?
        let seconds: Double
    }
}
