import Answering
import Cohort
import Foundation
import GRDB
import Retrieval
import Testing
import TestSupport
import TextModels

/// The shipped late-interaction reranker keeps library captions' states in the case store: warmed once,
/// read back instead of recomputed, scoring exactly as freshly computed states do, dropped when a caption changes.
@Suite struct RerankStateCacheTests {
    static let shipped = Fixtures.repositoryRoot + "/Models/reranker-minilm-adni"

    @Test func statesAreComputedOnceAndScoreAsFreshOnes() throws {
        let fixture = try PipelineFixture(subjects: 25)
        let plain = try CaseReranker(directory: Self.shipped)
        let caching = try plain.cachingStates(in: fixture.store)
        let cache = try #require(caching.stateStore as? RerankStateCache)
        let training = try fixture.store.allCases(split: .train)
        #expect(try caching.warmStates(for: training, batch: 7) == training.count)
        #expect(try cache.cachedSubjects() == Set(training.map(\.id)))
        #expect(try caching.warmStates(for: training) == 0, "a second warm-up finds every state")

        let query = "What is the most likely diagnosis? " + training[0].caption
        let candidates = training.map { CaseReranker.Candidate(subjectID: $0.id, caption: $0.caption, retrievalScore: 0) }
        let fromCache = try caching.rerank(query: query, candidates: candidates)
        let fresh = try plain.rerank(query: query, candidates: candidates)
        // Same states (rounded alike); only the GEMM blocking of different batches differs.
        #expect(fromCache.map(\.subjectID) == fresh.map(\.subjectID), "cached and freshly computed states must rank alike")
        #expect(zip(fromCache, fresh).allSatisfy { abs($0.rerankScore - $1.rerankScore) < 1e-5 })

        // A pipeline attaches the cache itself and uses it.
        let pipeline = try AnswerPipeline(store: fixture.store, encoder: fixture.encoder, index: fixture.index, reranker: plain, prompt: fixture.prompt)
        let prepared = try pipeline.prepare(AskRequest(caseID: fixture.testCaseIDs[0], question: "What is the most likely diagnosis?", rerank: true))
        #expect(prepared.reranked?.count == prepared.retrieved.count)
        #expect(prepared.reranked.map { Set($0.map(\.subjectID)) } == Set(prepared.retrieved.map(\.subjectID)))

        // A changed caption drops its stale state; another reranker's rows are separate.
        try fixture.store.write { db in try db.execute(sql: "UPDATE subjects SET caption = caption || ' Edited.' WHERE id = ?", arguments: [training[0].id]) }
        #expect(!(try cache.cachedSubjects()).contains(training[0].id))
        let other = try RerankStateCache(store: fixture.store, key: "another-reranker", width: 384)
        #expect(try other.cachedSubjects().isEmpty)
        try other.store([training[1].id: try plain.crossEncoder.segmentStates([training[1].caption])[0]])
        #expect(try cache.removeOtherRerankers() == 1)
    }

    @Test func corruptStoredStatesNameTheSubject() throws {
        let fixture = try PipelineFixture(subjects: 10)
        let cache = try RerankStateCache(store: fixture.store, key: "k", width: 384)
        let id = fixture.trainCaseIDs[0]
        try fixture.store.write { db in
            try db.execute(sql: "INSERT INTO rerank_states (subject_id, reranker_key, rows, states) VALUES (?, 'k', 3, ?)", arguments: [id, Data(count: 10)])
        }
        #expect { try cache.states(for: [id]) } throws: { "\($0)".contains(id) && "\($0)".contains("10 bytes") }
    }
}
