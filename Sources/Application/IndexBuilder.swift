import Cohort
import Foundation
import FusedEncoder
import Retrieval
import Store

/// `memoir index`: the library's (training split, baseline visits unless ingested with `--library all`) fused embeddings (missing ones computed first) into a FAISS index
/// with its manifest, then the reranker's caption states for the indexed cases.
public struct IndexBuilder: Sendable {
    public let store: CaseStore
    public let encoder: FusedEncoder
    /// A late-interaction reranker whose caption states to precompute; nil skips that step.
    public let reranker: CaseReranker?

    public init(store: CaseStore, encoder: FusedEncoder, reranker: CaseReranker?) {
        self.store = store
        self.encoder = encoder
        self.reranker = reranker.map { $0.keepingStates(in: RerankStateCache(store: store, crossEncoder: $0.crossEncoder)) }
    }

    /// What a build did.
    public struct Report: Encodable, Sendable {
        public let directory: String, count: Int, dimension: Int, factory: String, searchBreadth: Int?, modalities: String, encoderHash: String
        public let encoded: Int
        /// Caption states the reranker computed (nil: not a late-interaction reranker, or skipped).
        public let rerankStatesComputed: Int?, rerankStatesSeconds: Double?
        public let seconds: Double
    }

    public enum Stage: String, Sendable { case encode, rerankStates = "rerank states" }

    /// Holds the store's writer lock throughout (`note` hears when it must wait for another writer). The index is
    /// written beside its old version and swapped in; staging folders that a killed build left are removed first.
    /// `factory` nil: chosen by library size (`CaseIndex.defaultFactory`); `searchBreadth` nil: the factory's default.
    public func build(directory: String, modalities: ModalitySet = .all, factory: String? = nil, searchBreadth: Int? = nil,
                      progress: @escaping @Sendable (Stage, Int, Int) -> Void = { _, _, _ in },
                      note: (String) -> Void = { _ in }) throws -> Report {
        let start = Date()
        let lock = try StoreWriterLock.acquire(storePath: store.path, purpose: "memoir index", waiting: note)
        defer { lock.release() }
        let library = LibraryEncoder(store: store, encoder: encoder)
        let summary = try library.encodeAllHoldingLock(split: .train, subsets: [modalities]) { progress(.encode, $0.done, $0.total) }
        guard summary.failures.isEmpty else { throw ApplicationError.encodingFailed(summary.failures) }
        let ids = try store.libraryIDs()
        let vectors = try library.cache.embeddings(modalities: modalities)
        let missing = ids.filter { vectors[$0] == nil }
        guard missing.isEmpty else {
            throw ApplicationError.incomplete("\(missing.count) training case(s) have no \(modalities.key) embedding (first: \(missing[0]))")
        }
        let index = try CaseIndex.build(subjectIDs: ids, vectors: ids.compactMap { vectors[$0] }, encoderHash: encoder.weightsHash,
                                        modalities: modalities.members.map(\.rawValue), factory: factory, searchBreadth: searchBreadth,
                                        directory: directory)
        let statesStart = Date()
        var statesComputed: Int?
        if let reranker, reranker.crossEncoder.isLateInteraction {
            let library = Set(ids)
            let training = try store.allCases(split: .train).filter { library.contains($0.id) }.map { (subjectID: $0.id, caption: $0.caption) }
            statesComputed = try reranker.warmStates(for: training) { progress(.rerankStates, $0, $1) }
        }
        return Report(directory: directory, count: index.count, dimension: index.manifest.dimension, factory: index.manifest.factory,
                      searchBreadth: index.manifest.searchBreadth,
                      modalities: modalities.key, encoderHash: encoder.weightsHash, encoded: summary.encoded,
                      rerankStatesComputed: statesComputed, rerankStatesSeconds: statesComputed.map { _ in Date().timeIntervalSince(statesStart) },
                      seconds: Date().timeIntervalSince(start))
    }
}
