import Evaluation
import Foundation
import Testing
import TestSupport

/// SBERT cosine against sentence-transformers' embeddings in Fixtures/text/embeddings.json.
@Suite(.tags(.miniLM), .needsMiniLM)
struct SBERTSimilarityTests {
    struct EmbeddingFile: Decodable {
        struct Sentence: Decodable { let text: String; let embedding: [Double] }
        let sentences: [Sentence]
    }

    @Test func cosineMatchesSentenceTransformers() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("text/embeddings.json")))
        let golden = Array(try JSONDecoder().decode(EmbeddingFile.self, from: data).sentences.prefix(8))
        let similarity = try SBERTSimilarity(modelDirectory: #require(Fixtures.miniLMDirectory))
        let pairs = golden.indices.map { (golden[$0], golden[(3 * $0 + 1) % golden.count]) }
        let ours = try similarity.scores(candidates: pairs.map(\.0.text), references: pairs.map(\.1.text))
        for ((a, b), score) in zip(pairs, ours) {
            let expected = zip(a.embedding, b.embedding).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(score - expected) < 1e-5, "\(a.text) / \(b.text): \(score) vs \(expected)")
        }
        #expect(abs(try similarity.score(candidate: "MMSE is 24.", reference: "MMSE is 24.") - 1) < 1e-5)
    }
}
