import Answering
import Application
import Cohort
import Foundation
import Retrieval
@_spi(Testing) import Store
import Testing
import TestSupport
import TextModels

/// The shipped late-interaction reranker keeps library captions' states in the case store: warmed once,
/// read back instead of recomputed, scoring exactly as freshly computed states do, dropped when a caption changes.
@Suite(.tags(.miniLM), .needsMiniLM) struct RerankStateCacheTests {
    static let shipped = Fixtures.repositoryRoot + "/Models/reranker-minilm-adni"

    @Test func statesAreComputedOnceAndScoreAsFreshOnes() throws {
        let fixture = try PipelineFixture(subjects: 25)
        let plain = try CaseReranker(directory: Self.shipped)
        let cache = RerankStateCache(store: fixture.store, crossEncoder: plain.crossEncoder)
        let caching = plain.keepingStates(in: cache)
        let training = try fixture.store.allCases(split: .train)
        let library = training.map { (subjectID: $0.id, caption: $0.caption) }
        #expect(try caching.warmStates(for: library, batch: 7) == training.count)
        #expect(try cache.storedSubjects() == Set(training.map(\.id)))
        #expect(try caching.warmStates(for: library) == 0, "a second warm-up finds every state")

        let query = "What is the most likely diagnosis? " + training[0].caption
        let candidates = training.map { CaseReranker.Candidate(subjectID: $0.id, caption: $0.caption, retrievalScore: 0) }
        let fromCache = try caching.rerank(query: query, candidates: candidates)
        let fresh = try plain.rerank(query: query, candidates: candidates)
        // Same states (rounded alike); only the GEMM blocking of different batches differs.
        #expect(fromCache.map(\.subjectID) == fresh.map(\.subjectID), "cached and freshly computed states must rank alike")
        #expect(zip(fromCache, fresh).allSatisfy { abs($0.rerankScore - $1.rerankScore) < 1e-5 })

        // A pipeline reranks with it.
        let pipeline = try fixture.pipeline(index: fixture.index, reranker: caching)
        let prepared = try pipeline.prepare(AskRequest(caseID: fixture.testCaseIDs[0], question: "What is the most likely diagnosis?", rerank: true))
        #expect(prepared.reranked?.count == prepared.retrieved.count)
        #expect(prepared.reranked.map { Set($0.map(\.subjectID)) } == Set(prepared.retrieved.map(\.subjectID)))

        // A changed caption drops its stale state; another reranker's rows are separate.
        try fixture.store.executeForTesting("UPDATE subjects SET caption = caption || ' Edited.' WHERE id = '\(training[0].id)'")
        #expect(!(try cache.storedSubjects()).contains(training[0].id))
        let other = RerankStateCache(store: fixture.store, key: "another-reranker", width: 384)
        #expect(try other.storedSubjects().isEmpty)
        try other.store([training[1].id: try plain.crossEncoder.segmentStates([training[1].caption])[0]])
        #expect(try cache.removeOtherRerankers() == 1)
    }

    @Test func corruptStoredStatesNameTheSubject() throws {
        let fixture = try PipelineFixture(subjects: 10)
        let cache = RerankStateCache(store: fixture.store, key: "k", width: 384)
        let id = fixture.trainCaseIDs[0]
        try fixture.store.executeForTesting("INSERT INTO rerank_states (subject_id, reranker_key, rows, states) VALUES ('\(id)', 'k', 3, zeroblob(10))")
        #expect { try cache.states(for: [id]) } throws: { "\($0)".contains(id) && "\($0)".contains("10 bytes") }
    }
}
