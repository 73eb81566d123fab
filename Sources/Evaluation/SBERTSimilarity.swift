import Foundation
import Numerics
import TextModels

/// Sentence-level similarity of answers to references: the cosine of their sentence-encoder
/// embeddings (all-MiniLM-L6-v2: mean-pooled, L2-normalised), as sentence-transformers'
/// `util.cos_sim(model.encode(a), model.encode(b))` gives it. Identical texts are encoded once.
public struct SBERTSimilarity: Sendable {
    public let encoder: SentenceEncoder
    public var batchSize = 32

    public init(encoder: SentenceEncoder) { self.encoder = encoder }

    public init(modelDirectory: String) throws {
        self.init(encoder: try SentenceEncoder(directory: modelDirectory))
    }

    /// Cosine of each (candidate, reference) pair, in order.
    public func scores(candidates: [String], references: [String]) throws -> [Double] {
        guard candidates.count == references.count else {
            throw EvaluationError.invalidInput(source: "SBERT cosine", detail: "\(candidates.count) candidates but \(references.count) references")
        }
        var slot: [String: Int] = [:]
        var distinct: [String] = []
        for text in candidates + references where slot[text] == nil {
            slot[text] = distinct.count
            distinct.append(text)
        }
        var vectors = try encoder.encode(distinct, batchSize: batchSize)
        // Models without a Normalize module: normalise here, so the dot product is the cosine.
        if !encoder.normalizes { for i in vectors.indices { VectorOps.l2Normalize(&vectors[i]) } }
        return zip(candidates, references).map { c, r in
            let (a, b) = (vectors[slot[c]!], vectors[slot[r]!])
            var dot = 0.0
            for i in a.indices { dot += Double(a[i]) * Double(b[i]) }
            return dot
        }
    }

    public func score(candidate: String, reference: String) throws -> Double {
        try scores(candidates: [candidate], references: [reference])[0]
    }
}
