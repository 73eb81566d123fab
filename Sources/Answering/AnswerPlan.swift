import Cohort
import Foundation

/// How a v7 answer is laid out for one kind of question: the words the answer and each finding open with (written by
/// the grammar, continued by the model) and whom the second finding is about. Memoir picks the measures from the
/// case's own record, so each part opens on a different fact:
///
/// - diagnosis: "The evidence points to <reading> because …"; the case's finding on a measure of the model's choice;
///   the second on one of the five subjects, by id (v6's layout).
/// - cognition: the answer opens on the case's first recorded cognitive score, the findings on the next ones (MMSE,
///   MoCA, ADAS-Cog 13), or on another measure and a neighbour when fewer are recorded.
/// - severity: the findings open on the MMSE and the MoCA (or the next recorded score, else a neighbour).
/// - APOE: the answer opens on the case's genotype, the first finding on another measure, the second on a neighbour.
/// - similar cases, prognosis: the case's finding on a measure of the model's choice, the second on a neighbour.
/// - other: v6's freedom.
///
/// Under v6 two findings about the case opened the same way, and 29 of Qwen2.5-0.5B's 39 degenerate replies among 123
/// questions were cognition, severity and APOE answers whose two findings were one sentence, or whose answer listed
/// the case's age and education as its "cognitive test scores" (run 33297359e125a356).
public struct AnswerPlan: Sendable, Equatable {
    /// The answer's first words, followed by a space; empty: the model writes the whole answer.
    public var answerOpening: String
    /// The diagnosis a diagnosis answer opens with (Memoir's reading), when it opens with one.
    public var answerDiagnosis: Diagnosis?
    /// The first finding opens with one of these (it is always about the case).
    public var firstFindingOpenings: [String]
    /// The second finding opens with one of these; empty: the model chooses its first words.
    public var secondFindingOpenings: [String]
    /// The sources the second finding may give: the five ids when it opens with one, else "case" (and the ids when free).
    public var secondFindingSources: [String]
    /// Citations the answer must hold: one when the second finding names a neighbour.
    public var minimumCitations: Int
    /// The second finding opens with a subject's id (`secondFindingOpenings[i]` is `secondFindingSources[i]` and a space).
    public var secondFindingNamesSubject: Bool { minimumCitations > 0 }

    /// The case's cognitive scores in the order a clinician reads them.
    public static let cognitiveScores = ["MMSE", "MoCA", "ADAS-Cog 13"]
    public static let genotype = "APOE genotype"

    /// - Parameters:
    ///   - caseMeasures: what the case's evidence records (`PromptTemplate.caseMeasures`), in the evidence's order.
    ///   - supported: the diagnoses the evidence leads with; only a single one opens a diagnosis answer.
    public init(kind: QuestionKind, citing subjectIDs: [String], supported: [Diagnosis], caseMeasures: [String]) {
        func about(_ measure: String) -> String { "The case's \(measure) " }
        let anyOf = PromptTemplate.caseFindingOpenings
        let neighbours = subjectIDs.map { "\($0) " }
        let offered = PromptTemplate.offeredDiagnoses(supported)
        let cognitive = Self.cognitiveScores.filter(caseMeasures.contains)

        var answer = ""
        var first = anyOf(caseMeasures)
        // What the second finding opens on: a case measure, else a neighbour, else (no neighbours) the model's choice.
        var secondMeasure: String?
        var secondOnNeighbour = false
        switch kind {
        case .diagnosis:
            if offered.count == 1 { answer = PromptTemplate.answerOpening(offered[0]) + " "; answerDiagnosis = offered[0] }
            secondOnNeighbour = true
        case .similarCases, .prognosis:
            secondOnNeighbour = true
        case .cognition where !cognitive.isEmpty:
            answer = about(cognitive[0])
            first = cognitive.count > 1 ? [about(cognitive[1])] : anyOf(caseMeasures.filter { $0 != cognitive[0] })
            if cognitive.count > 2 { secondMeasure = cognitive[2] } else { secondOnNeighbour = true }
        case .severity where !cognitive.isEmpty:
            first = [about(cognitive[0])]
            if cognitive.count > 1 { secondMeasure = cognitive[1] } else { secondOnNeighbour = true }
        case .apoe where caseMeasures.contains(Self.genotype):
            answer = about(Self.genotype) + "is "
            first = anyOf(caseMeasures.filter { $0 != Self.genotype })
            secondOnNeighbour = true
        case .cognition, .severity, .apoe, .other:
            break
        }
        answerOpening = answer
        firstFindingOpenings = first
        if let secondMeasure {
            (secondFindingOpenings, secondFindingSources, minimumCitations) = ([about(secondMeasure)], ["case"], 0)
        } else if secondOnNeighbour && !subjectIDs.isEmpty {
            (secondFindingOpenings, secondFindingSources, minimumCitations) = (neighbours, subjectIDs, 1)
        } else {
            // With no subjects to name (an empty library) a neighbour finding falls back to the model's choice.
            (secondFindingOpenings, secondFindingSources, minimumCitations) = ([], ["case"] + subjectIDs, 0)
        }
    }
}
