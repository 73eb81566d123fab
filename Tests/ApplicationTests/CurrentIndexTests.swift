@testable import Application
import Cohort
import Foundation
import Retrieval
import Store
import Testing
import TestSupport

/// Retrieval and answering load the index only while it holds the store's current embeddings (issue #15: after
/// re-ingesting changed scores, `retrieve`/`ask` used to answer from the old vectors).
@Suite struct CurrentIndexTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    static func unit(_ seed: Int, _ d: Int = 512) -> [Float] {
        var state = UInt64(seed + 1) &* 0x9E37_79B9_7F4A_7C15 | 1
        let v = (0..<d).map { _ -> Float in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(Int64(bitPattern: state % 2001) - 1000) / 1000
        }
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / n }
    }

    /// A store of `count` training cases, each with a cached `.all` embedding, and its index.
    func library(count: Int) throws -> (CaseStore, [StoredCase], EmbeddingCache) {
        let store = try CaseStore(path: folder.file("m.sqlite"), access: .create)
        let cases = (0..<count).map { n in
            StoredCase(record: CaseRecord(subjectID: String(format: "S%06d", n), diagnosis: .cn, mmse: 28), split: .train,
                       measures: ImageMeasures(), caption: "")
        }
        try store.replaceCohort(cases, source: "t", splitSeed: 1)
        let cache = EmbeddingCache(store: store, encoderHash: "enc")
        try cache.store(cases.enumerated().map { EmbeddingCache.Entry(subjectID: $1.id, modalities: .all, vector: Self.unit($0)) })
        let ids = cases.map(\.id)
        _ = try CaseIndex.build(subjectIDs: ids, vectors: (0..<count).map { Self.unit($0) }, encoderHash: "enc",
                                modalities: ["t1", "fa", "clinical"], directory: StoreLayout.indexDirectory(explicit: nil, storePath: store.path))
        return (store, cases, cache)
    }

    @Test func reingestedScoresOrRecomputedEmbeddingsAreRefused() throws {
        let (store, cases, cache) = try library(count: 60)
        _ = try CurrentIndex.load(store: store, encoderHash: "enc", indexDirectory: nil)
        // A changed score deletes the case's embedding (store trigger): the index now holds a vector the store lost.
        var changed = cases
        changed[40].record.mmse = 12
        try store.replaceCohort(changed, source: "t", splitSeed: 1)
        #expect { _ = try CurrentIndex.load(store: store, encoderHash: "enc", indexDirectory: nil) } throws: { e in
            guard case CaseIndexError.stale = e else { return false }
            return "\(e)".contains(cases[40].id) && "\(e)".contains("re-run `memoir index")
        }
        // Re-encoded to a different vector: still not what was indexed.
        try cache.store(Self.unit(4000), for: cases[40].id, modalities: .all)
        #expect { _ = try CurrentIndex.load(store: store, encoderHash: "enc", indexDirectory: nil) } throws: { e in
            "\(e)".contains("embeddings of the indexed cases changed")
        }
        // The same vector again (an unchanged re-encode): current.
        try cache.store(Self.unit(40), for: cases[40].id, modalities: .all)
        _ = try CurrentIndex.load(store: store, encoderHash: "enc", indexDirectory: nil)
    }

    /// The check reads the embeddings one at a time in id order; embeddings the index does not hold (a test-split
    /// case sorted among the indexed ones, another modality subset) are passed over, and the digest is the one the
    /// index recorded.
    @Test func theStreamedDigestIsTheRecordedOne() throws {
        let (store, cases, cache) = try library(count: 30)
        let held = StoredCase(record: CaseRecord(subjectID: cases[10].id + "a", diagnosis: .mci, mmse: 25), split: .test,
                              measures: ImageMeasures(), caption: "")
        try store.replaceCohort(cases + [held], source: "t", splitSeed: 1)
        try cache.store(Self.unit(31), for: held.id, modalities: .all)
        try cache.store(Self.unit(998), for: cases[3].id, modalities: [.clinical])
        let index = try CurrentIndex.load(store: store, encoderHash: "enc", indexDirectory: nil)
        let streamed = try CurrentIndex.streamedDigest(cache: cache, modalities: .all, subjectIDs: index.manifest.subjectIDs)
        #expect(streamed != nil && streamed == index.manifest.embeddingsDigest)
        // A manifest listing the cases in another order than the store's is checked the long way.
        #expect(try CurrentIndex.streamedDigest(cache: cache, modalities: .all, subjectIDs: index.manifest.subjectIDs.reversed()) == nil)
    }

    /// The load-time cost of the check; `MEMOIR_DIGEST_BENCH_CASES=100000` measures a large library.
    @Test func checkCostIsMeasured() throws {
        let count = Int(ProcessInfo.processInfo.environment["MEMOIR_DIGEST_BENCH_CASES"] ?? "") ?? 2000
        let (store, _, cache) = try library(count: count)
        let start = Date()
        let embeddings = try cache.embeddings(modalities: .all)
        let read = Date().timeIntervalSince(start)
        let digestStart = Date()
        let ids = embeddings.keys.sorted()
        _ = CaseIndexManifest.digest(subjectIDs: ids, vectors: ids.map { embeddings[$0] ?? [] })
        let digest = Date().timeIntervalSince(digestStart)
        let loadStart = Date()
        let index = try CurrentIndex.load(store: store, encoderHash: "enc", indexDirectory: nil)
        let load = Date().timeIntervalSince(loadStart)
        #expect(index.count == count)
        print(String(format: "staleness check at %d×512: read %.3f s, digest %.3f s, whole load %.3f s", count, read, digest, load))
    }
}
