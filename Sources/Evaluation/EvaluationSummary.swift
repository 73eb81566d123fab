import Answering
import Cohort
import Foundation

/// Aggregates of a group of `QuestionResult`s (one backbone; or one backbone × modality subset or category).
///
/// - Diagnosis accuracy: diagnosis questions whose answer *text* names the expected diagnosis; a text that
///   names none or several (or a failed LLM call) counts as wrong.
/// - Field agreement: answers with a diagnosis field whose text names the same diagnosis.
/// - Grounded / truncated / degenerate rates: verdicts over every question of the group (a question with no
///   reply has no verdict, so it is never grounded).
/// - Unsupported claims per answer: mean over answers with a verdict.
/// - Every rate carries a Wilson 95 % interval (`Proportion`) and a small-sample flag (n < 30).
/// - BERTScore and SBERT cosine: means over questions that have them (failed ones have none).
/// - Time to first token and total time: p50 (and total p95) over successful questions, linearly
///   interpolated percentiles (numpy's default).
/// - Confusion: 3×3 (CN, MCI, Dementia) over diagnosis questions whose text names a diagnosis;
///   `undiagnosed[t]` counts those of true class t without one.
public struct EvaluationSummary: Sendable, Equatable, Encodable {
    public let backbone: String
    public let modalities: String?
    public let category: String?
    public let questions: Int
    public let failed: Int
    public let diagnosisQuestions: Int
    public let diagnosisCorrect: Int
    public let diagnosisAccuracy: Double?
    public let accuracy: Proportion?
    public let fieldAgreement: Proportion?
    /// Prognosis questions whose answer text states the subject's recorded course (none or both counts as wrong).
    public let courseAccuracy: Proportion?
    public let grounded: Proportion?
    public let truncated: Proportion?
    public let degenerate: Proportion?
    public let repaired: Int
    public let unsupportedClaimsPerAnswer: Double?
    public let bertScore: BERTScore?
    public let sbertCosine: Double?
    public let ttftP50: Double?
    public let latencyP50: Double?
    public let latencyP95: Double?
    /// Confusion, balanced accuracy and macro-F1 over the answers whose text names a diagnosis.
    public let classification: ClassificationMetrics?
    public let undiagnosed: [Int]
    public var confusion: [[Int]] { classification?.confusion ?? [[0, 0, 0], [0, 0, 0], [0, 0, 0]] }
    /// True when any rate above rests on fewer than 30 questions.
    public var smallSample: Bool { questions < Proportion.smallSampleSize }

    public static let labels = Diagnosis.allCases

    public init(backbone: String, modalities: String? = nil, category: String? = nil, results: [QuestionResult]) {
        self.backbone = backbone
        self.modalities = modalities
        self.category = category
        questions = results.count
        failed = results.filter { $0.error != nil }.count
        let diagnostic = results.filter { $0.expectedDiagnosis != nil }
        diagnosisQuestions = diagnostic.count
        diagnosisCorrect = diagnostic.filter { $0.textDiagnosis != nil && $0.textDiagnosis == $0.expectedDiagnosis }.count
        diagnosisAccuracy = diagnostic.isEmpty ? nil : Double(diagnosisCorrect) / Double(diagnostic.count)
        accuracy = Proportion(diagnosisCorrect, of: diagnostic.count)
        let withField = results.filter { $0.fieldDiagnosis != nil }
        fieldAgreement = Proportion(withField.filter { $0.textDiagnosis == $0.fieldDiagnosis }.count, of: withField.count)
        let prognostic = results.filter { $0.expectedCourse != nil }
        courseAccuracy = Proportion(prognostic.filter { $0.textCourse == $0.expectedCourse }.count, of: prognostic.count)
        func rate(_ status: Verdict.Status) -> Proportion? {
            Proportion(results.filter { $0.verdict == status }.count, of: results.count)
        }
        grounded = rate(.grounded)
        truncated = rate(.truncated)
        degenerate = rate(.degenerate)
        repaired = results.filter { $0.repaired == true }.count
        let claims = results.compactMap(\.unsupportedClaims)
        unsupportedClaimsPerAnswer = claims.isEmpty ? nil : Double(claims.reduce(0, +)) / Double(claims.count)
        let scores = results.compactMap(\.bertScore)
        bertScore = scores.isEmpty ? nil : BERTScore.mean(scores)
        let cosines = results.compactMap(\.sbertCosine).filter { !$0.isNaN }
        sbertCosine = cosines.isEmpty ? nil : cosines.reduce(0, +) / Double(cosines.count)
        let answered = results.filter { $0.error == nil }
        ttftP50 = Self.percentile(answered.compactMap(\.ttftSeconds).sorted(), 0.50)
        let latencies = answered.map(\.latencySeconds).sorted()
        latencyP50 = Self.percentile(latencies, 0.50)
        latencyP95 = Self.percentile(latencies, 0.95)
        var missing = [0, 0, 0]
        for r in diagnostic where r.textDiagnosis == nil { missing[r.expectedDiagnosis!.index] += 1 }
        undiagnosed = missing
        let named = diagnostic.filter { $0.textDiagnosis != nil }
        classification = named.isEmpty ? nil : try? ClassificationMetrics(
            labels: Self.labels.map(\.rawValue), truth: named.map { $0.expectedDiagnosis!.index },
            predicted: named.map { $0.textDiagnosis!.index })
    }

    /// Linear interpolation between closest ranks of sorted values (numpy.percentile's default).
    public static func percentile(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = q * Double(sorted.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - Double(lo))
    }

    /// One summary per backbone (in first-seen order), and per backbone × modality subset or × category.
    public static func byBackbone(_ results: [QuestionResult]) -> [EvaluationSummary] {
        ordered(results.map(\.backbone)).map { b in EvaluationSummary(backbone: b, results: results.filter { $0.backbone == b }) }
    }

    public static func byModalities(_ results: [QuestionResult]) -> [EvaluationSummary] {
        grouped(results, by: \.modalities) { EvaluationSummary(backbone: $0, modalities: $1, results: $2) }
    }

    /// Categories in `QAItem.Category` order, so every backbone's rows line up.
    public static func byCategory(_ results: [QuestionResult]) -> [EvaluationSummary] {
        ordered(results.map(\.backbone)).flatMap { b in
            let mine = results.filter { $0.backbone == b }
            return QAItem.Category.allCases.compactMap { c in
                let these = mine.filter { $0.category == c }
                return these.isEmpty ? nil : EvaluationSummary(backbone: b, category: c.rawValue, results: these)
            }
        }
    }

    private static func grouped(_ results: [QuestionResult], by key: (QuestionResult) -> String,
                                _ make: (String, String, [QuestionResult]) -> EvaluationSummary) -> [EvaluationSummary] {
        ordered(results.map(\.backbone)).flatMap { b in
            let mine = results.filter { $0.backbone == b }
            return ordered(mine.map(key)).map { k in make(b, k, mine.filter { key($0) == k }) }
        }
    }

    static func ordered(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
