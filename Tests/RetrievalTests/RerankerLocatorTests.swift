import Foundation
import Retrieval
import Testing
import TestSupport
import TextModels

/// `CaseReranker(directory:)` finds and loads the shipped domain reranker (an overlay over all-MiniLM-L6-v2)
/// and orders candidates by the logits transformers gives (Fixtures/reranker/scores.json).
@Suite(.tags(.miniLM), .needsMiniLM) struct RerankerLocatorTests {
    static let shipped = Fixtures.repositoryRoot + "/Models/reranker-minilm-adni"

    struct Goldens: Decodable {
        struct Pair: Decodable { let query: String; let passage: String; let score: Double }
        let pairs: [Pair]
    }

    @Test func rerankerOrdersCandidatesByReferenceLogits() throws {
        let golden = try JSONDecoder().decode(Goldens.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("reranker/scores.json"))))
        let query = golden.pairs[0].query
        let pairs = golden.pairs.filter { $0.query == query }
        #expect(pairs.count >= 4)
        let reranker = try CaseReranker(directory: Self.shipped)
        #expect(reranker.retrievalWeight == 32, "the weight the shipped manifest records")
        let candidates = pairs.enumerated().map { CaseReranker.Candidate(subjectID: "case\($0.offset)", caption: $0.element.passage, retrievalScore: Float($0.offset) / 10) }
        // The cross-encoder alone (weight 0) orders as the reference logits do.
        let alone = try CaseReranker(crossEncoder: reranker.crossEncoder, retrievalWeight: 0).rerank(query: query, candidates: candidates)
        #expect(alone.map(\.subjectID) == pairs.indices.sorted { pairs[$0].score > pairs[$1].score }.map { "case\($0)" })
        // As shipped: logit + weight × retrieval score.
        let ranked = try reranker.rerank(query: query, candidates: candidates)
        let fused = pairs.indices.map { pairs[$0].score + 32 * Double($0) / 10 }
        #expect(ranked.map(\.subjectID) == pairs.indices.sorted { fused[$0] > fused[$1] }.map { "case\($0)" })
        for r in ranked {
            let i = Int(r.subjectID.dropFirst(4))!
            #expect(abs(Double(r.crossEncoderScore) - pairs[i].score) <= 1e-4)
            #expect(abs(Double(r.rerankScore) - fused[i]) <= 1e-4)
            #expect(r.retrievalScore == Float(i) / 10)
        }
    }

    @Test func missingDirectoryIsNamedWithTheFix() throws {
        let missing = NSTemporaryDirectory() + "memoir-no-reranker-\(UUID().uuidString)"
        let error = #expect(throws: TextModelError.self) { try CaseReranker(directory: missing) }
        #expect(error == .modelNotFound(searched: [missing + " (--reranker)"], hint: RerankerLocator.fetchHint))
        #expect(error?.description.contains("MEMOIR_RERANKER_DIR") == true)
    }

    @Test func incompleteDirectoryNamesTheMissingFile() throws {
        let folder = try TemporaryFolder(), directory = folder.path
        try FileManager.default.copyItem(atPath: Self.shipped + "/config.json", toPath: directory + "/config.json")
        let error = #expect(throws: TextModelError.self) { try RerankerLocator.directory(explicit: directory) }
        #expect(error == .missingFile(path: directory + "/model.safetensors", hint: RerankerLocator.fetchHint))
    }

    @Test func defaultDirectoryIsUnderMemoirHome() {
        #expect(RerankerLocator.defaultDirectory == ModelLocator.memoirHome + "/models/reranker-minilm-adni")
        #expect(TextProjectionLocator.defaultDirectory == ModelLocator.memoirHome + "/models/text-projection")
    }
}
