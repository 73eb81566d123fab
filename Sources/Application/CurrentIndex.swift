import Cohort
import Retrieval
import Store

/// The case index retrieval and answering search, loaded only when it still describes the store: same encoder,
/// same training split, and the very embeddings it was built from. Re-ingesting changed scores deletes the changed
/// cases' embeddings, so an index that silently answered from old vectors is refused instead.
public enum CurrentIndex {
    public static func load(store: CaseStore, encoderHash: String, indexDirectory: String?) throws -> CaseIndex {
        let index = try CaseIndex(directory: StoreLayout.indexDirectory(explicit: indexDirectory, storePath: store.path),
                                  expectedHash: encoderHash, expectedIDs: Set(try store.libraryIDs()))
        let members = index.manifest.modalities.compactMap(Modality.init(rawValue:))
        guard members.count == index.manifest.modalities.count, !members.isEmpty else {
            throw CaseIndexError.corrupt(path: index.directory + "/manifest.json",
                                         reason: "modalities \(index.manifest.modalities) are not a set of t1, fa, clinical")
        }
        // One pass over the subset's embeddings in id order into one SHA-256 (measured in Fixtures/FAULTS.md), holding
        // one vector at a time. Where the store's order is not the manifest's, or an indexed case lacks its
        // embedding, the full check says precisely what is wrong.
        let cache = EmbeddingCache(store: store, encoderHash: encoderHash)
        let subset = ModalitySet(members)
        if let digest = try streamedDigest(cache: cache, modalities: subset, subjectIDs: index.manifest.subjectIDs) {
            try index.checkCurrent(digest: digest)
        } else {
            try index.checkCurrent(try cache.embeddings(modalities: subset))
        }
        return index
    }

    /// The indexed cases' embeddings digested in the manifest's order, or nil when the store does not list
    /// exactly those cases in that order.
    static func streamedDigest(cache: EmbeddingCache, modalities: ModalitySet, subjectIDs: [String]) throws -> String? {
        struct OutOfOrder: Error {}
        let indexed = Set(subjectIDs)
        var digest = CaseIndexManifest.EmbeddingsDigest()
        var next = 0
        do {
            try cache.forEach(modalities: modalities) { id, vector in
                guard indexed.contains(id) else { return }
                // Stop at the first disagreement: the full check reads everything again anyway.
                guard next < subjectIDs.count, subjectIDs[next] == id else { throw OutOfOrder() }
                digest.add(id, vector)
                next += 1
            }
        } catch is OutOfOrder {
            return nil
        }
        return next == subjectIDs.count ? digest.finish() : nil
    }
}
