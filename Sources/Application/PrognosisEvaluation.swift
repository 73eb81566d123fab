import Cohort
import Foundation
import FusedEncoder
import Store

/// `memoir eval prognosis`: for test subjects of one group at baseline whose own outcome is known, does the
/// neighbours' majority course match theirs? Compared with always predicting the training group's commoner
/// outcome (the base rate), each with a Wilson 95 % interval.
public struct PrognosisEvaluation: Sendable, Codable {
    public var group: Diagnosis
    public var target: Diagnosis
    public var horizonMonths: Double
    public var k: Int
    public var modalities: String
    /// Test subjects of the group with a known outcome, and those the neighbours gave a majority for.
    public var queries: Int
    public var decided: Int
    public var correct: Int
    public var accuracy: Double
    public var accuracyInterval: [Double]
    /// Share of training subjects of the group that progressed, and the accuracy of predicting its majority.
    public var trainingProgressionRate: Double
    public var baseRateAccuracy: Double
    public var baseRateInterval: [Double]
    public var testProgressed: Int
    /// Of the test subjects who progressed, those the neighbours' majority called progressing (sensitivity), and
    /// of those who stayed stable, those it called stable (specificity). The base rate predicts one outcome for
    /// everyone, so one of its two is 0: accuracy alone flatters it when progression is rare.
    public var sensitivity: Double
    public var sensitivityInterval: [Double]
    public var specificity: Double
    public var specificityInterval: [Double]
    /// The same neighbours read another way: progression predicted when the share of them who progressed
    /// (among those with a known course) exceeds the training group's progression rate, i.e. when the case's
    /// neighbourhood is enriched for progressors. Majority voting almost never calls a rare outcome.
    public var enriched: RuleScore

    /// Accuracy, sensitivity and specificity of one prediction rule, with Wilson intervals.
    public struct RuleScore: Sendable, Codable {
        public var accuracy: Double
        public var accuracyInterval: [Double]
        public var sensitivity: Double
        public var sensitivityInterval: [Double]
        public var specificity: Double
        public var specificityInterval: [Double]

        init(truePositives tp: Int, trueNegatives tn: Int, positives: Int, negatives: Int) {
            let n = positives + negatives
            accuracy = n > 0 ? Double(tp + tn) / Double(n) : 0
            accuracyInterval = PrognosisEvaluation.wilson(tp + tn, n)
            sensitivity = positives > 0 ? Double(tp) / Double(positives) : 0
            sensitivityInterval = PrognosisEvaluation.wilson(tp, positives)
            specificity = negatives > 0 ? Double(tn) / Double(negatives) : 0
            specificityInterval = PrognosisEvaluation.wilson(tn, negatives)
        }
    }

    /// Wilson score interval for `successes` of `n` at 95 % (z = 1.96).
    public static func wilson(_ successes: Int, _ n: Int, z: Double = 1.959964) -> [Double] {
        guard n > 0 else { return [0, 1] }
        let p = Double(successes) / Double(n), nn = Double(n)
        let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
        let half = z / (1 + z * z / nn) * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
        return [max(0, centre - half), min(1, centre + half)]
    }

    /// Runs over the store's test split with `retriever`'s index. A tie among the neighbours counts as wrong
    /// (no majority, no prediction), so `accuracy` is over every query.
    public static func run(retriever: CaseRetriever, group: Diagnosis = .mci, k: Int = 5, horizonMonths: Double = 24,
                           modalities: ModalitySet = .all, candidates: Int = 50,
                           progress: (Int, Int) -> Void = { _, _ in }) throws -> PrognosisEvaluation {
        guard let target = PrognosisEstimator.target(for: group) else {
            throw ApplicationError.invalid("\(group.rawValue) has no worse stage to progress to; choose CN or MCI")
        }
        let store = retriever.store
        let cases = try store.allCases().filter { $0.record.diagnosis == group && ($0.record.visit?.isBaseline ?? true) }
        let courses = try store.courses(of: cases.map(\.record.subject))
        guard !courses.isEmpty else {
            throw ApplicationError.invalid("the store holds no visits; ingest a longitudinal table (ADNIMERGE, e.g. memoir synth's adnimerge.csv)")
        }
        func outcome(_ c: StoredCase) -> SubjectCourse.Outcome? {
            courses[c.record.subject]?.outcome(reaching: target, withinMonths: horizonMonths, fromMonths: c.record.visit?.months ?? 0)
        }
        let training = cases.filter { $0.split == .train }.compactMap(outcome).filter { $0 != .censored }
        let trainingRate = training.isEmpty ? 0 : Double(training.filter { $0 == .progressed }.count) / Double(training.count)
        let basePrediction: SubjectCourse.Outcome = trainingRate > 0.5 ? .progressed : .stable
        let queries = cases.filter { $0.split == .test }.compactMap { c in outcome(c).flatMap { $0 == .censored ? nil : (c, $0) } }
        var correct = 0, decided = 0, baseCorrect = 0, flagged = 0, calledStable = 0, enrichedTP = 0, enrichedTN = 0
        for (n, (query, truth)) in queries.enumerated() {
            let hits = try retriever.neighbours(ofCase: query.id, modalities: modalities, k: candidates).neighbours.map(\.stored)
            // The query's diagnosis is `group` (the cases were chosen by it).
            let prognosis = PrognosisEstimator.prognosis(of: query.record, neighbours: hits,
                                                         courses: try store.courses(of: hits.map(\.record.subject)), k: k,
                                                         horizonMonths: horizonMonths)
            if let majority = prognosis?.majority {
                decided += 1
                if majority == truth { correct += 1 }
                if majority == truth, truth == .progressed { flagged += 1 }
                if majority == truth, truth == .stable { calledStable += 1 }
            }
            if let p = prognosis, p.progressed + p.stable > 0 {
                let share = Double(p.progressed) / Double(p.progressed + p.stable)
                if share > trainingRate, truth == .progressed { enrichedTP += 1 }
                if share <= trainingRate, truth == .stable { enrichedTN += 1 }
            } else if truth == .stable {
                enrichedTN += 1  // no known neighbour: no enrichment, so stable is predicted
            }
            if truth == basePrediction { baseCorrect += 1 }
            progress(n + 1, queries.count)
        }
        let n = queries.count
        let progressedCount = queries.filter { $0.1 == .progressed }.count, stableCount = n - progressedCount
        return PrognosisEvaluation(group: group, target: target, horizonMonths: horizonMonths, k: k, modalities: modalities.key, queries: n,
                                   decided: decided, correct: correct, accuracy: n > 0 ? Double(correct) / Double(n) : 0,
                                   accuracyInterval: wilson(correct, n), trainingProgressionRate: trainingRate,
                                   baseRateAccuracy: n > 0 ? Double(baseCorrect) / Double(n) : 0, baseRateInterval: wilson(baseCorrect, n),
                                   testProgressed: progressedCount,
                                   sensitivity: progressedCount > 0 ? Double(flagged) / Double(progressedCount) : 0,
                                   sensitivityInterval: wilson(flagged, progressedCount),
                                   specificity: stableCount > 0 ? Double(calledStable) / Double(stableCount) : 0,
                                   specificityInterval: wilson(calledStable, stableCount),
                                   enriched: RuleScore(truePositives: enrichedTP, trueNegatives: enrichedTN, positives: progressedCount,
                                                       negatives: stableCount))
    }

    public var markdown: String {
        func pct(_ v: Double) -> String { String(format: "%.1f %%", v * 100) }
        func interval(_ i: [Double]) -> String { i.count == 2 ? "\(pct(i[0]))–\(pct(i[1]))" : "–" }
        return """
            | measure | value | 95 % Wilson interval |
            |---|---|---|
            | \(group.rawValue) test subjects at baseline with a known \(Int(horizonMonths))-month outcome | \(queries) (\(testProgressed) progressed to \(target.rawValue)) | |
            | neighbours' majority course (k = \(k), same group, \(modalities)) matches | \(correct) / \(queries) = \(pct(accuracy)) | \(interval(accuracyInterval)) |
            | base rate: always the training group's commoner outcome (progression rate \(pct(trainingProgressionRate))) | \(pct(baseRateAccuracy)) | \(interval(baseRateInterval)) |
            | sensitivity: progressors the neighbours' majority called progressing | \(pct(sensitivity)) of \(testProgressed) | \(interval(sensitivityInterval)) |
            | specificity: stable subjects it called stable | \(pct(specificity)) of \(queries - testProgressed) | \(interval(specificityInterval)) |
            | queries with no majority (tie or no known neighbour), counted wrong | \(queries - decided) | |
            | enriched neighbourhood (share of neighbours who progressed > \(pct(trainingProgressionRate))) matches | \(pct(enriched.accuracy)) | \(interval(enriched.accuracyInterval)) |
            | its sensitivity | \(pct(enriched.sensitivity)) of \(testProgressed) | \(interval(enriched.sensitivityInterval)) |
            | its specificity | \(pct(enriched.specificity)) of \(queries - testProgressed) | \(interval(enriched.specificityInterval)) |

            """
    }
}
