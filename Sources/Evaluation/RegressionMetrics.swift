/// Regression metrics as scikit-learn / SciPy compute them: mean absolute error, root mean squared
/// error and Pearson's r (checked against them in Fixtures/metrics).
public struct RegressionMetrics: Sendable, Equatable, Codable {
    public let count: Int
    public let meanAbsoluteError: Double
    public let rootMeanSquaredError: Double
    /// Pearson correlation of predictions with truth; nil when either has zero variance (undefined).
    public let pearsonR: Double?

    public init(truth: [Double], predicted: [Double]) throws {
        guard truth.count == predicted.count else {
            throw EvaluationError.invalidInput(source: "predictions", detail: "\(truth.count) true values but \(predicted.count) predictions")
        }
        guard !truth.isEmpty else { throw EvaluationError.emptyInput(what: "the list of values") }
        if let i = truth.indices.first(where: { !truth[$0].isFinite || !predicted[$0].isFinite }) {
            throw EvaluationError.invalidInput(source: "sample \(i)", detail: "value is not finite (truth \(truth[i]), prediction \(predicted[i]))")
        }
        let n = Double(truth.count)
        count = truth.count
        meanAbsoluteError = zip(truth, predicted).reduce(0) { $0 + abs($1.0 - $1.1) } / n
        rootMeanSquaredError = (zip(truth, predicted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / n).squareRoot()
        // Centred sums (two passes) for accuracy when values are large relative to their spread.
        let mt = truth.reduce(0, +) / n, mp = predicted.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (t, p) in zip(truth, predicted) {
            sxy += (t - mt) * (p - mp)
            sxx += (t - mt) * (t - mt)
            syy += (p - mp) * (p - mp)
        }
        pearsonR = sxx > 0 && syy > 0 ? max(-1, min(1, sxy / (sxx * syy).squareRoot())) : nil
    }
}
