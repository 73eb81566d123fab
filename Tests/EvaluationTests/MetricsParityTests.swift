import Evaluation
import Foundation
import Testing
import TestSupport

/// ClassificationMetrics and RegressionMetrics against scikit-learn / SciPy
/// (Fixtures/metrics/make_metrics_goldens.py → expected.json).
@Suite struct MetricsParityTests {
    let golden: [String: Any]
    init() throws { golden = try #require(try Fixtures.json("metrics/expected.json") as? [String: Any]) }

    func close(_ a: Double?, _ b: Double?, _ what: String) {
        switch (a, b) {
        case let (x?, y?): #expect(abs(x - y) <= 1e-12, "\(what): \(x) vs sklearn \(y)")
        case (nil, nil): break
        default: Issue.record("\(what): \(String(describing: a)) vs sklearn \(String(describing: b))")
        }
    }

    @Test func classificationMatchesScikitLearn() throws {
        let cases = try #require(golden["classification"] as? [[String: Any]])
        #expect(cases.count == 6)
        for c in cases {
            let name = c["name"] as! String
            let labels = c["labels"] as! [String]
            let scores = c["scores"] as? [[Double]]
            let m = try ClassificationMetrics(truth: c["truth"] as! [String], predicted: c["predicted"] as! [String], labels: labels,
                                              scores: scores)
            #expect(m.confusion == c["confusion"] as! [[Int]], "\(name) confusion")
            #expect(m.count == (c["truth"] as! [String]).count)
            close(m.accuracy, c["accuracy"] as? Double, "\(name) accuracy")
            close(m.balancedAccuracy, c["balanced_accuracy"] as? Double, "\(name) balanced accuracy")
            close(m.macroF1, c["macro_f1"] as? Double, "\(name) macro-F1")
            for (k, stats) in m.perClass.enumerated() {
                close(stats.precision, (c["precision"] as! [Double])[k], "\(name) precision \(labels[k])")
                close(stats.recall, (c["recall"] as! [Double])[k], "\(name) recall \(labels[k])")
                close(stats.f1, (c["f1"] as! [Double])[k], "\(name) F1 \(labels[k])")
                if scores != nil { close(stats.rocAUC, (c["auc"] as! [Any])[k] as? Double, "\(name) AUC \(labels[k])") }
            }
            if let macro = c["macro_auc"] as? Double { close(m.macroROCAUC, macro, "\(name) macro AUC") }
        }
    }

    @Test func integerClassIndicesGiveTheSameMetrics() throws {
        let c = try #require((golden["classification"] as? [[String: Any]])?.first { $0["name"] as? String == "three_class_informative" })
        let labels = c["labels"] as! [String]
        let index = { (s: String) in labels.firstIndex(of: s)! }
        let byName = try ClassificationMetrics(truth: c["truth"] as! [String], predicted: c["predicted"] as! [String], labels: labels,
                                               scores: c["scores"] as? [[Double]])
        let byIndex = try ClassificationMetrics(labels: labels, truth: (c["truth"] as! [String]).map(index),
                                                predicted: (c["predicted"] as! [String]).map(index), scores: c["scores"] as? [[Double]])
        #expect(byName == byIndex)
    }

    @Test func regressionMatchesScikitLearnAndSciPy() throws {
        let cases = try #require(golden["regression"] as? [[String: Any]])
        for c in cases {
            let name = c["name"] as! String
            let m = try RegressionMetrics(truth: c["truth"] as! [Double], predicted: c["predicted"] as! [Double])
            close(m.meanAbsoluteError, c["mae"] as? Double, "\(name) MAE")
            close(m.rootMeanSquaredError, c["rmse"] as? Double, "\(name) RMSE")
            close(m.pearsonR, c["pearson_r"] as? Double, "\(name) Pearson r")
        }
    }

    @Test func aucHandlesTiesAsHalfAndEdgeCases() throws {
        // One positive tied with one of two negatives: U = 0.5 + 1 = 1.5 of 2 pairs.
        #expect(ClassificationMetrics.rocAUC(positives: [0.5], negatives: [0.5, 0.1]) == 0.75)
        #expect(ClassificationMetrics.rocAUC(positives: [0.9, 0.8], negatives: [0.1]) == 1)
        #expect(ClassificationMetrics.rocAUC(positives: [0.3, 0.3], negatives: [0.3, 0.3]) == 0.5)
        #expect(ClassificationMetrics.rocAUC(positives: [], negatives: [0.3]) == nil)
    }

    @Test func badInputIsAClearError() throws {
        #expect(throws: EvaluationError.self) { try ClassificationMetrics(truth: ["a", "b"], predicted: ["a"]) }
        let unknown = #expect(throws: EvaluationError.self) { try ClassificationMetrics(truth: ["a"], predicted: ["z"], labels: ["a", "b"]) }
        #expect("\(unknown!)".contains("prediction 'z'"))
        let rows = #expect(throws: EvaluationError.self) {
            try ClassificationMetrics(truth: ["a", "b"], predicted: ["a", "b"], labels: ["a", "b"], scores: [[0.5, 0.5], [1]])
        }
        #expect("\(rows!)".contains("scores row 1"))
        #expect(throws: EvaluationError.self) { try RegressionMetrics(truth: [], predicted: []) }
        #expect(throws: EvaluationError.self) { try RegressionMetrics(truth: [1, .nan], predicted: [1, 2]) }
    }
}
