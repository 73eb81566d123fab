/// Multi-class classification metrics computed as scikit-learn 1.9 computes them (checked against it
/// in Fixtures/metrics): confusion matrix, accuracy, balanced accuracy, macro-F1 and one-vs-rest ROC AUC.
///
/// Labels are any strings (a diagnosis, a VQA answer) or class indices into `labels`; scores
/// (e.g. probabilities) are optional and only needed for AUC.
///
///     let m = try ClassificationMetrics(truth: ["CN", "MCI"], predicted: ["CN", "CN"], labels: ["CN", "MCI", "Dementia"])
///     m.balancedAccuracy  // 0.5
public struct ClassificationMetrics: Sendable, Equatable, Encodable {
    /// Class names in matrix order.
    public let labels: [String]
    /// `confusion[t][p]`: samples of true class t predicted as p (sklearn's `confusion_matrix(labels=)`).
    public let confusion: [[Int]]
    public let perClass: [ClassStatistics]

    public struct ClassStatistics: Sendable, Equatable, Codable {
        public let label: String
        /// True samples of this class.
        public let support: Int
        /// tp / (tp + fp); 0 when the class was never predicted (sklearn's zero_division=0).
        public let precision: Double
        /// tp / (tp + fn); 0 when the class has no true samples.
        public let recall: Double
        /// 2tp / (2tp + fp + fn); 0 when the class is absent from truth and predictions.
        public let f1: Double
        /// One-vs-rest ROC AUC of this class's score; nil without scores or when the class has no
        /// true samples or no others (undefined).
        public let rocAUC: Double?
    }

    /// Builds the metrics from class indices into `labels`. `scores[i][k]` is sample i's score for
    /// class k (higher = more likely); pass nil when there are none.
    public init(labels: [String], truth: [Int], predicted: [Int], scores: [[Double]]? = nil) throws {
        guard !labels.isEmpty else { throw EvaluationError.emptyInput(what: "the label list") }
        guard Set(labels).count == labels.count else {
            throw EvaluationError.invalidInput(source: "labels", detail: "repeated label in \(labels)")
        }
        guard truth.count == predicted.count else {
            throw EvaluationError.invalidInput(source: "predictions", detail: "\(truth.count) true labels but \(predicted.count) predictions")
        }
        for (name, list) in [("true label", truth), ("prediction", predicted)] {
            if let i = list.firstIndex(where: { !labels.indices.contains($0) }) {
                throw EvaluationError.invalidInput(source: "sample \(i)", detail: "\(name) index \(list[i]) is not one of \(labels.count) classes")
            }
        }
        if let scores {
            guard scores.count == truth.count else {
                throw EvaluationError.invalidInput(source: "scores", detail: "\(scores.count) score rows for \(truth.count) samples")
            }
            if let i = scores.firstIndex(where: { $0.count != labels.count || $0.contains { !$0.isFinite } }) {
                throw EvaluationError.invalidInput(source: "scores row \(i)", detail: "needs \(labels.count) finite scores, got \(scores[i])")
            }
        }
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (t, p) in zip(truth, predicted) { matrix[t][p] += 1 }
        self.labels = labels
        confusion = matrix
        perClass = labels.indices.map { k in
            let tp = matrix[k][k]
            let support = matrix[k].reduce(0, +)
            let predictedCount = matrix.reduce(0) { $0 + $1[k] }
            let fp = predictedCount - tp, fn = support - tp
            let auc = scores.flatMap { s in Self.rocAUC(positives: truth.indices.filter { truth[$0] == k }.map { s[$0][k] },
                                                         negatives: truth.indices.filter { truth[$0] != k }.map { s[$0][k] }) }
            return ClassStatistics(label: labels[k], support: support,
                                   precision: predictedCount > 0 ? Double(tp) / Double(predictedCount) : 0,
                                   recall: support > 0 ? Double(tp) / Double(support) : 0,
                                   f1: 2 * tp + fp + fn > 0 ? Double(2 * tp) / Double(2 * tp + fp + fn) : 0,
                                   rocAUC: auc)
        }
    }

    /// Builds the metrics from string labels. `labels` fixes the class order (default: the sorted
    /// union of truth and predictions, as sklearn); every label seen must be in it.
    public init(truth: [String], predicted: [String], labels: [String]? = nil, scores: [[Double]]? = nil) throws {
        let names = labels ?? Array(Set(truth).union(predicted)).sorted()
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() { index[name] = i }
        func indices(_ list: [String], _ what: String) throws -> [Int] {
            try list.enumerated().map { i, name in
                guard let k = index[name] else {
                    throw EvaluationError.invalidInput(source: "sample \(i)", detail: "\(what) '\(name)' is not one of the labels \(names)")
                }
                return k
            }
        }
        try self.init(labels: names, truth: try indices(truth, "true label"), predicted: try indices(predicted, "prediction"), scores: scores)
    }

    /// Samples counted (the confusion matrix's sum).
    public var count: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }

    public var accuracy: Double {
        count > 0 ? Double(labels.indices.reduce(0) { $0 + confusion[$1][$1] }) / Double(count) : 0
    }

    /// Mean recall over the classes that have true samples (sklearn's `balanced_accuracy_score`).
    public var balancedAccuracy: Double { mean(perClass.filter { $0.support > 0 }.map(\.recall)) ?? 0 }

    /// Mean F1 over the classes present in truth or predictions (sklearn's `f1_score(average="macro")`
    /// with its default labels); a class of `labels` never seen does not drag the mean to zero.
    public var macroF1: Double {
        mean(labels.indices.filter { k in perClass[k].support > 0 || confusion.contains { $0[k] > 0 } }.map { perClass[$0].f1 }) ?? 0
    }

    /// Unweighted mean of the defined one-vs-rest AUCs (sklearn's `roc_auc_score(multi_class="ovr",
    /// average="macro")` when every class is present); nil when none is defined.
    public var macroROCAUC: Double? { mean(perClass.compactMap(\.rocAUC)) }

    /// The AUC of one class against the rest, e.g. `rocAUC(for: "Dementia")` in a binary task.
    public func rocAUC(for label: String) -> Double? { perClass.first { $0.label == label }?.rocAUC }

    /// ROC AUC as the Mann–Whitney U statistic: the probability that a random positive scores above a
    /// random negative, ties counting one half (identical to the trapezoidal ROC area sklearn computes).
    /// nil when either side is empty.
    public static func rocAUC(positives: [Double], negatives: [Double]) -> Double? {
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        // Mid-ranks of the pooled scores; U = rank sum of the positives − n₁(n₁+1)/2.
        let pooled = (positives.map { ($0, true) } + negatives.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSum = 0.0
        var i = 0
        while i < pooled.count {
            var j = i
            while j + 1 < pooled.count && pooled[j + 1].0 == pooled[i].0 { j += 1 }
            let midRank = Double(i + j) / 2 + 1
            for k in i...j where pooled[k].1 { rankSum += midRank }
            i = j + 1
        }
        let n1 = Double(positives.count), n0 = Double(negatives.count)
        return (rankSum - n1 * (n1 + 1) / 2) / (n1 * n0)
    }

    enum CodingKeys: String, CodingKey {
        case labels, confusion, perClass, count, accuracy, balancedAccuracy, macroF1, macroROCAUC
    }

    /// The stored counts plus the derived metrics, so a JSON report carries both.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(labels, forKey: .labels)
        try c.encode(confusion, forKey: .confusion)
        try c.encode(perClass, forKey: .perClass)
        try c.encode(count, forKey: .count)
        try c.encode(accuracy, forKey: .accuracy)
        try c.encode(balancedAccuracy, forKey: .balancedAccuracy)
        try c.encode(macroF1, forKey: .macroF1)
        try c.encodeIfPresent(macroROCAUC, forKey: .macroROCAUC)
    }

    private func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
}
