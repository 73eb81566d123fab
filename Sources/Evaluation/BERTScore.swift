/// One candidate/reference pair's BERTScore: precision (candidate tokens matched into the
/// reference), recall (reference tokens matched into the candidate) and their harmonic mean.
public struct BERTScore: Sendable, Equatable, Codable {
    public var precision: Double
    public var recall: Double
    public var f1: Double

    public init(precision: Double, recall: Double, f1: Double) {
        (self.precision, self.recall, self.f1) = (precision, recall, f1)
    }

    /// Means over pairs (NaN components, possible only with idf weights that sum to 0, are skipped).
    public static func mean(_ scores: [BERTScore]) -> BERTScore {
        func average(_ values: [Double]) -> Double {
            let finite = values.filter { !$0.isNaN }
            return finite.isEmpty ? 0 : finite.reduce(0, +) / Double(finite.count)
        }
        return BERTScore(precision: average(scores.map(\.precision)), recall: average(scores.map(\.recall)),
                         f1: average(scores.map(\.f1)))
    }
}
