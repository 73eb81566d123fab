import Foundation

/// Per-word-piece weights for BERTScore, as bert-score computes them.
///
/// With idf, each reference counts once per distinct piece id (its [CLS] and [SEP] included):
/// idf(t) = ln((M + 1) / (df(t) + 1)) over M references, and a piece no reference holds gets
/// ln(M + 1). [CLS] and [SEP] occur in every reference, so their idf is ln(1) = 0. Without idf,
/// every piece weighs 1 except [CLS] and [SEP], which weigh 0.
public struct IDFWeights: Sendable {
    public let documentCount: Int
    private let table: [Int32: Double]
    private let fallback: Double

    /// idf over the references' encoded piece ids ([CLS] … [SEP]).
    public init(references: [[Int32]]) {
        var documentFrequency: [Int32: Int] = [:]
        for ids in references {
            for id in Set(ids) { documentFrequency[id, default: 0] += 1 }
        }
        let m = Double(references.count)
        documentCount = references.count
        table = documentFrequency.mapValues { log((m + 1) / (Double($0) + 1)) }
        fallback = log(m + 1)
    }

    /// Uniform weights (idf off): 1, except 0 for the given special ids.
    public init(uniformExcept special: [Int32]) {
        documentCount = 0
        table = Dictionary(special.map { ($0, 0.0) }, uniquingKeysWith: { a, _ in a })
        fallback = 1
    }

    public func weight(_ id: Int32) -> Double { table[id] ?? fallback }
}
