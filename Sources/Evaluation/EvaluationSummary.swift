import Cohort
import Foundation

/// Aggregates of a group of `QuestionResult`s (one backbone, or one backbone × modality subset).
///
/// - Diagnosis accuracy: correct / diagnosis questions; a question with no diagnosis read from
///   the answer (or a failed LLM call) counts as wrong.
/// - BERTScore and SBERT cosine: means over questions that have them (failed ones have none).
/// - Latency p50/p95: over successful questions, linearly interpolated percentiles (numpy's default).
/// - Confusion: 3×3 (CN, MCI, Dementia) over diagnosis questions with a predicted diagnosis;
///   `undiagnosed[t]` counts those of true class t without one.
public struct EvaluationSummary: Sendable, Equatable, Encodable {
    public let backbone: String
    public let modalities: String?
    public let questions: Int
    public let failed: Int
    public let diagnosisQuestions: Int
    public let diagnosisCorrect: Int
    public let diagnosisAccuracy: Double?
    public let bertScore: BERTScore?
    public let sbertCosine: Double?
    public let latencyP50: Double?
    public let latencyP95: Double?
    /// Confusion, balanced accuracy and macro-F1 over the answers with a diagnosis.
    public let classification: ClassificationMetrics?
    public let undiagnosed: [Int]
    public var confusion: [[Int]] { classification?.confusion ?? [[0, 0, 0], [0, 0, 0], [0, 0, 0]] }

    public static let labels = Diagnosis.allCases

    public init(backbone: String, modalities: String?, results: [QuestionResult]) {
        self.backbone = backbone
        self.modalities = modalities
        questions = results.count
        failed = results.filter { $0.error != nil }.count
        let diagnostic = results.filter { $0.expectedDiagnosis != nil }
        diagnosisQuestions = diagnostic.count
        diagnosisCorrect = diagnostic.filter { $0.predictedDiagnosis != nil && $0.predictedDiagnosis == $0.expectedDiagnosis }.count
        diagnosisAccuracy = diagnostic.isEmpty ? nil : Double(diagnosisCorrect) / Double(diagnostic.count)
        let scores = results.compactMap(\.bertScore)
        bertScore = scores.isEmpty ? nil : BERTScore.mean(scores)
        let cosines = results.compactMap(\.sbertCosine).filter { !$0.isNaN }
        sbertCosine = cosines.isEmpty ? nil : cosines.reduce(0, +) / Double(cosines.count)
        let latencies = results.filter { $0.error == nil }.map(\.latencySeconds).sorted()
        latencyP50 = Self.percentile(latencies, 0.50)
        latencyP95 = Self.percentile(latencies, 0.95)
        var missing = [0, 0, 0]
        for r in diagnostic where r.predictedDiagnosis == nil { missing[r.expectedDiagnosis!.index] += 1 }
        undiagnosed = missing
        let answered = diagnostic.filter { $0.predictedDiagnosis != nil }
        classification = answered.isEmpty ? nil : try? ClassificationMetrics(
            labels: Self.labels.map(\.rawValue), truth: answered.map { $0.expectedDiagnosis!.index },
            predicted: answered.map { $0.predictedDiagnosis!.index })
    }

    /// Linear interpolation between closest ranks of sorted values (numpy.percentile's default).
    public static func percentile(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = q * Double(sorted.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - Double(lo))
    }

    /// One summary per backbone (in first-seen order), and per backbone × modality subset.
    public static func byBackbone(_ results: [QuestionResult]) -> [EvaluationSummary] {
        ordered(results.map(\.backbone)).map { b in EvaluationSummary(backbone: b, modalities: nil, results: results.filter { $0.backbone == b }) }
    }

    public static func byModalities(_ results: [QuestionResult]) -> [EvaluationSummary] {
        ordered(results.map(\.backbone)).flatMap { b in
            let mine = results.filter { $0.backbone == b }
            return ordered(mine.map(\.modalities)).map { m in
                EvaluationSummary(backbone: b, modalities: m, results: mine.filter { $0.modalities == m })
            }
        }
    }

    static func ordered(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
