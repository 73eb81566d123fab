import Answering
import Cohort
import Evaluation
import Testing

/// What `memoir eval vqa` scores: the diagnosis the answer's text names (not the schema's field), verdict
/// rates with Wilson intervals.
@Suite struct VQAScoringTests {
    @Test func wilsonIntervalsMatchKnownValues() throws {
        // statsmodels.stats.proportion.proportion_confint(8, 10, method="wilson") == (0.4902, 0.9433)
        let p = try #require(Proportion(8, of: 10))
        #expect(abs(p.low - 0.4902) < 5e-4 && abs(p.high - 0.9433) < 5e-4 && p.value == 0.8)
        #expect(p.smallSample && p.text == "0.800 [0.490, 0.943] (8/10, n<30)")
        // proportion_confint(0, 10, method="wilson") == (0.0, 0.2775); (30, 30) == (0.8865, 1.0)
        let none = try #require(Proportion(0, of: 10))
        #expect(none.low == 0 && abs(none.high - 0.2775) < 5e-4)
        let all = try #require(Proportion(30, of: 30))
        #expect(abs(all.low - 0.8865) < 5e-4 && all.high == 1 && !all.smallSample)
        #expect(Proportion(0, of: 0) == nil && Proportion(3, of: 2) == nil)
    }

    @Test func theDiagnosisIsReadFromTheText() {
        #expect(QuestionResult.diagnosis(inText: "Diagnosis: Dementia. The MMSE of 18/30 is in the moderate band.") == .dementia)
        #expect(QuestionResult.diagnosis(inText: "The scores resemble the MCI subjects.") == .mci)
        #expect(QuestionResult.diagnosis(inText: "The most likely diagnosis is CN: 3 of the 5 were CN. The encoder estimates MCI.") == .cn)
        #expect(QuestionResult.diagnosis(inText: "Either CN or MCI.") == nil, "two groups named: ambiguous")
        #expect(QuestionResult.diagnosis(inText: "MCI.") == .mci)
        #expect(QuestionResult.diagnosis(inText: "Unclear from the evidence.") == nil)
    }

    static func row(_ backbone: String, expected: Diagnosis?, text: Diagnosis?, field: Diagnosis?, verdict: Verdict.Status?,
                    category: QAItem.Category = .diagnosis) -> QuestionResult {
        QuestionResult(qaID: "q", caseID: "S", backbone: backbone, modalities: "clinical", category: category, textDiagnosis: text,
                       fieldDiagnosis: field, expectedDiagnosis: expected, answer: "a", reference: "r", latencySeconds: 1,
                       ttftSeconds: 0.5, verdict: verdict.map { Verdict(status: $0, issues: ["x"], unsupportedClaims: 1) })
    }

    @Test func accuracyIsTheTextsAndAgreementWithTheFieldIsReported() throws {
        let rows = [
            // The field says MCI, the text Dementia (as the shipped SmolLM2 run did): scored as Dementia, a disagreement.
            Self.row("m", expected: .dementia, text: .dementia, field: .mci, verdict: .unsupported),
            Self.row("m", expected: .mci, text: .mci, field: .mci, verdict: .grounded),
            Self.row("m", expected: .cn, text: nil, field: .cn, verdict: .truncated),
            Self.row("m", expected: nil, text: nil, field: nil, verdict: .degenerate, category: .apoe),
            Self.row("m", expected: nil, text: nil, field: nil, verdict: nil, category: .apoe),
        ]
        let s = EvaluationSummary(backbone: "m", results: rows)
        #expect(s.diagnosisCorrect == 2 && s.accuracy?.n == 3)
        #expect(s.fieldAgreement?.successes == 1 && s.fieldAgreement?.n == 3)
        #expect(s.grounded?.successes == 1 && s.grounded?.n == 5)
        #expect(s.truncated?.successes == 1 && s.degenerate?.successes == 1)
        #expect(s.unsupportedClaimsPerAnswer == 1 && s.ttftP50 == 0.5)
        #expect(s.undiagnosed == [1, 0, 0] && s.confusion[2][2] == 1)
        let byCategory = EvaluationSummary.byCategory(rows.reversed())
        #expect(byCategory.map(\.category) == ["diagnosis", "apoe"], "categories keep QAItem.Category's order")
    }
}
