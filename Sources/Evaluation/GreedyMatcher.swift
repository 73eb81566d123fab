import Foundation
import Numerics

/// bert-score's `greedy_cos_idf` for one candidate/reference pair.
///
/// Every token of one side is matched to its most similar token (cosine of the normalised
/// vectors) on the other side, [CLS] and [SEP] included as match targets; the matches are
/// averaged with the idf weights of the side being matched, which are 0 for [CLS] and [SEP],
/// so the special tokens never count as matched tokens themselves.
///
/// Two quirks of the package are kept because they change numbers:
/// - The package pads each batch of 64 pairs to its longest text and multiplies the similarity
///   matrix by the padding mask, so a padded position offers a similarity of 0: the best match
///   of a token is then never below 0 when the other side is shorter than the longest text on
///   its side of the batch (`otherSidePadded`).
/// - A text with nothing but [CLS] and [SEP] gives P = R = F = 0. When a side's weights sum to 0
///   otherwise (every piece occurs in every reference), its P or R is NaN, as in the package,
///   and F is 0.
public enum GreedyMatcher {
    public struct Side {
        public let tokens: TokenMatrix
        public let weights: [Double]
        /// Whether this text is shorter than the longest text on its side of the package's batch.
        public let padded: Bool

        public init(tokens: TokenMatrix, weights: [Double], padded: Bool) {
            precondition(weights.count == tokens.count, "\(weights.count) weights for \(tokens.count) tokens")
            (self.tokens, self.weights, self.padded) = (tokens, weights, padded)
        }
    }

    /// `scratch` must hold candidate.count × reference.count floats.
    public static func score(candidate c: Side, reference r: Side, scratch: UnsafeMutablePointer<Float>) -> BERTScore {
        let n = c.tokens.count, m = r.tokens.count, d = c.tokens.width
        precondition(d == r.tokens.width, "token widths differ")
        c.tokens.vectors.withUnsafeBufferPointer { a in
            r.tokens.vectors.withUnsafeBufferPointer { b in
                BLAS.gemm(m: n, n: m, k: d, a: a.baseAddress!, lda: d, b: b.baseAddress!, ldb: d, transposeB: true,
                          c: scratch, ldc: m)
            }
        }
        // Best match of each candidate token among the reference's (precision) and of each
        // reference token among the candidate's (recall).
        var rowBest = [Float](repeating: -.infinity, count: n)
        var columnBest = [Float](repeating: -.infinity, count: m)
        for i in 0..<n {
            let row = scratch + i * m
            var best = rowBest[i]
            for j in 0..<m {
                let s = row[j]
                if s > best { best = s }
                if s > columnBest[j] { columnBest[j] = s }
            }
            rowBest[i] = best
        }
        if r.padded { for i in 0..<n { rowBest[i] = max(rowBest[i], 0) } }
        if c.padded { for j in 0..<m { columnBest[j] = max(columnBest[j], 0) } }
        let precision = weightedMean(rowBest, c.weights)
        let recall = weightedMean(columnBest, r.weights)
        var f1 = 2 * precision * recall / (precision + recall)
        if f1.isNaN { f1 = 0 }
        if n == 2 || m == 2 { return BERTScore(precision: 0, recall: 0, f1: f1) }
        return BERTScore(precision: precision, recall: recall, f1: f1)
    }

    /// Σ value·weight / Σ weight (NaN when the weights sum to 0, as in the package).
    static func weightedMean(_ values: [Float], _ weights: [Double]) -> Double {
        let total = weights.reduce(0, +)
        var sum = 0.0
        for (v, w) in zip(values, weights) { sum += Double(v) * (w / total) }
        return total == 0 ? .nan : sum
    }
}
