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
        // One read of the subset's embeddings and one SHA-256 over them (measured in Fixtures/FAULTS.md).
        let current = try EmbeddingCache(store: store, encoderHash: encoderHash).embeddings(modalities: ModalitySet(members))
        try index.checkCurrent(current)
        return index
    }
}
