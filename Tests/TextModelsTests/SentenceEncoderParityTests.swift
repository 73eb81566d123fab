import Foundation
import Testing
import TestSupport
import TextModels

/// Embeddings must match sentence-transformers' `SentenceTransformer.encode` (mean pooling,
/// L2 normalisation) on every golden sentence: cosine ≥ 0.99999.
@Suite(.tags(.miniLM), .needsMiniLM) struct SentenceEncoderParityTests {
    static let minimumCosine = 0.99999

    @Test func encoderIsConfiguredLikeSentenceTransformers() throws {
        let encoder = try TextGoldens.encoder()
        let golden = try TextGoldens.embeddings()
        #expect(encoder.maxLength == golden.max_seq_length)
        #expect(encoder.dimension == golden.dimension)
        #expect(encoder.pooling == .mean)
        #expect(encoder.normalizes)
    }

    @Test(arguments: [32, 1, 7])
    func embeddingsMatchReference(batchSize: Int) throws {
        let encoder = try TextGoldens.encoder()
        let golden = try TextGoldens.embeddings().sentences
        let vectors = try encoder.encode(golden.map(\.text), batchSize: batchSize)
        #expect(vectors.count == golden.count)
        var worst = (cosine: 1.0, text: "", maxAbs: Float(0))
        var failures: [String] = []
        for (reference, vector) in zip(golden, vectors) {
            #expect(vector.count == reference.embedding.count)
            let c = TextGoldens.cosine(vector, reference.embedding)
            let maxAbs = zip(vector, reference.embedding).map { abs($0 - $1) }.max() ?? 0
            if c < worst.cosine { worst = (c, reference.text, maxAbs) }
            if !(c >= Self.minimumCosine) { failures.append("\(TextGoldens.show(reference.text)): cosine \(c), max |Δ| \(maxAbs)") }
        }
        let summary = "batch \(batchSize): minimum cosine \(worst.cosine) over \(golden.count) sentences (on \(TextGoldens.show(worst.text)), max |Δ| there \(worst.maxAbs))"
        print("embedding parity, \(summary)")
        #expect(failures.isEmpty, "embeddings below cosine \(Self.minimumCosine), \(summary):\n\(failures.joined(separator: "\n"))")
    }

    @Test func embeddingsAreUnitVectorsAndBatchIndependent() throws {
        let encoder = try TextGoldens.encoder()
        let texts = try TextGoldens.sentences()
        let batched = try encoder.encode(texts, batchSize: 32)
        for (text, vector) in zip(texts, batched) {
            let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-5, "\(TextGoldens.show(text)): norm \(norm)")
            let single = try encoder.encode(text)
            #expect(TextGoldens.cosine(single, vector) > 0.999999, "\(TextGoldens.show(text)): batching changed the embedding")
        }
    }

    @Test func emptyInputGivesNoVectors() throws {
        #expect(try TextGoldens.encoder().encode([], batchSize: 32).isEmpty)
    }
}
