@testable import Answering
import Cohort
import Foundation
import Testing

/// Rules 25, from Qwen2.5-0.5B's answers under prompt v7: each wrong phrasing is the model's, each right one beside it
/// must still pass.
@Suite struct RulesTwentyFiveTests {
    static let ids = ["941_S_0001", "941_S_0002"]
    let verifier = AnswerVerifier(contextIDs: ids, evidenceText: "MMSE 29/30. [1] 941_S_0001: recorded diagnosis MCI, MMSE 29. [2] 941_S_0002: recorded diagnosis MCI.",
                                  question: "How severe is the impairment?", kind: .severity)

    func verdict(_ text: String, findings: [ParsedAnswer.Finding]) -> Verdict {
        verifier.verify(ParsedAnswer(diagnosis: nil, answer: text, findings: findings, citedSubjectIDs: Self.ids, source: .structured),
                        finishReason: "stop")
    }

    @Test func aFindingThatNamesAnotherSubjectThanItsSourceIsCaught() {
        let swapped = verdict("The MMSE is 29/30, with no impairment by the usual cut-off.",
                              findings: [.init(source: "case", finding: "The case's MMSE is 29/30."),
                                         .init(source: "941_S_0002", finding: "941_S_0001 has a recorded diagnosis MCI and MMSE 29.")])
        #expect(swapped.issues.contains("a finding about 941_S_0001 gives 941_S_0002 as its source"), "\(swapped.issues)")
        let right = verdict("The MMSE is 29/30, with no impairment by the usual cut-off.",
                            findings: [.init(source: "case", finding: "The case's MMSE is 29/30."),
                                       .init(source: "941_S_0001", finding: "941_S_0001 has a recorded diagnosis MCI and MMSE 29, like 941_S_0002.")])
        #expect(right.status == .grounded, "\(right.issues)")
    }

    @Test func aSeverityAnswerGivesNoDiagnosisLabel() {
        let labelled = verdict("The MMSE and MoCA say that this subject's impairment is from a mild cognitive impairment (MCI).",
                               findings: [.init(source: "case", finding: "The case's MMSE is 29/30.")])
        #expect(labelled.issues.contains { $0.hasPrefix("a severity answer gives the diagnosis label MCI") }, "\(labelled.issues)")
        let banded = verdict("The MMSE of 29/30 shows no impairment by the usual cut-off.",
                             findings: [.init(source: "case", finding: "The case's MMSE is 29/30.")])
        #expect(banded.status == .grounded, "\(banded.issues)")
    }

    @Test func aValueCalledBelowABareNumberItExceedsIsCaught() {
        #expect(ComparisonClaimChecker.issues(in: "The case's MMSE score is 29/30, which is below 26: impaired.")
            == ["\"29/30, which is below 26\" calls 29 below 26"])
        #expect(ComparisonClaimChecker.issues(in: "MMSE 24 is above the cut-off of 26.").count == 1)
        for right in ["The case's MMSE score is 14/30, which is below 26.", "MoCA 27, above the cut-off of 26.",
                      "MMSE 19/30, which is above the threshold of 10–20.",  // a range: rules 23's
                      "MoCA 21/30 is below 92% of the group.", "The MoCA score is below 26, which is below 26.", "ε3/ε4, 3 times the risk, over 2 years."] {
            #expect(ComparisonClaimChecker.issues(in: right).filter { $0.contains("calls") }.isEmpty, "\(right)")
        }
    }

    @Test func anAnswerThatOnlyAnnouncesAListIsDegenerate() {
        let announced = verdict("The subjects most similar to this case are as follows:",
                                findings: [.init(source: "case", finding: "The case's MMSE is 29/30."),
                                           .init(source: "941_S_0001", finding: "941_S_0001 has MMSE 29.")])
        #expect(announced.status == .degenerate, "\(announced.issues)")
        let answered = verdict("The MMSE of 29/30 shows no impairment. The findings that support this are as follows:",
                               findings: [.init(source: "case", finding: "The case's MMSE is 29/30.")])
        #expect(answered.status != .degenerate, "\(answered.issues)")
    }

    @Test func aCaseThatHasADiagnosisOrNoRiskIsCaught() {
        #expect(AnswerVerifier.recordedClaims(in: "It means that the patient has a mild cognitive impairment.").count == 1)
        #expect(AnswerVerifier.recordedClaims(in: "The patient has a mild impairment by the MMSE band.").isEmpty, "a band, not a diagnosis")
        let facts = CaseFactChecker(caseAge: nil, neighbourAges: [], genotype: [3, 3])
        #expect(facts.issues(in: "APOE ε3/ε3 means the patient is not at risk of Alzheimer's disease.").count == 1)
        #expect(facts.issues(in: "APOE ε3/ε3 is the usual risk, the reference the evidence compares against.").isEmpty)
    }

    @Test func aReplyThatLeavesEnglishOrStopsMidSentenceIsDegenerate() {
        let finding = [ParsedAnswer.Finding(source: "case", finding: "The case's MMSE is 29/30.")]
        // The demo's question under v7: the 0.5B drifted into Chinese and the 30-word bound closed the string.
        let drifted = verdict("The MMSE of 29/30 shows no impairment, with their estimatedimates,以及ne", findings: finding)
        #expect(drifted.status == .degenerate && drifted.issues == ["it leaves English (\"以及\")"], "\(drifted.issues)")
        let cut = verdict("The MMSE of 29/30 shows no impairment by the usual", findings: finding)
        #expect(cut.status == .degenerate && cut.issues.first?.hasPrefix("the answer stops mid-sentence") == true, "\(cut.issues)")
        #expect(verdict("The APOE genotype ε3/ε3 (no ε4 allele) is the reference (Farrer et al. 1997).", findings: finding).status != .degenerate)
        #expect(AnswerVerifier.recordedClaims(in: "The case's MMSE of 26/30 is the most likely diagnosis for this subject.").count == 1)
    }

    @Test func oneListOfDenyingWords() {
        #expect(NSRegularExpression.negation.matches(in: "ε3/ε3 is neither raised nor reduced"))
        #expect(NSRegularExpression.negation.matches(in: "MMSE 28 does not indicate impairment"))
        #expect(!NSRegularExpression.negation.matches(in: "MMSE 24 indicates mild impairment"))
    }
}
