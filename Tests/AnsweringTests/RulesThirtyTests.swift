@testable import Answering
import Cohort
import Foundation
import Testing

/// Rules 30, from Qwen2.5-0.5B's 40 answers under prompt v9 (run 9e1d2c897a76c998) that rules 29 called grounded, on the demo
/// case's evidence (`RulesTwentySixTests`) with the case's MMSE set as each answer's was.
@Suite struct RulesThirtyTests {
    func verdict(_ text: String, kind: QuestionKind = .cognition, mmse: Double = 26) throws -> Verdict {
        var evidence = try JSONDecoder().decode(Evidence.self, from: Data(RulesTwentySixTests.evidenceJSON.utf8))
        if let index = evidence.readings.firstIndex(where: { $0.measure == "MMSE" }) {
            evidence.readings[index].value = mmse
            evidence.readings[index].text = "\(EvidenceBuilder.number(mmse))/30"
            evidence.readings[index].interpretation = ClinicalInterpretation.mmse(mmse)
        }
        let question = kind == .similarCases ? "What diagnoses and scores do the subjects most similar to this case have?"
            : "What are this patient's cognitive test scores?"
        let verifier = AnswerVerifier(evidence: evidence, contextIDs: RulesTwentySixTests.ids, question: question, kind: kind)
        return verifier.verify(ParsedAnswer(diagnosis: nil, answer: text, findings: [], citedSubjectIDs: [], source: .structured),
                               finishReason: "stop")
    }

    @Test func anUnimpairedMMSECalledAnImpairmentIsCaught() throws {
        for wrong in ["The case's MMSE of 30/30 is 27–30, which is a mild cognitive impairment.",
                      "The case's MMSE of 30/30 is 27–30, which is normal for a mild cognitive impairment (MCI)."] {
            let v = try verdict(wrong, mmse: 30)
            #expect(v.issues.contains { $0.contains("27–30 is no impairment") }, "\(wrong): \(v.issues)")
        }
        let right = try verdict("The case's MMSE of 30/30 is 27–30, which is no impairment by the usual cut-off.", mmse: 30)
        #expect(right.isGrounded, "\(right.issues)")
        let mild = try verdict("The case's MMSE of 26/30 is 21–26, which is the mild-impairment band (NICE TA217).")
        #expect(mild.isGrounded, "\(mild.issues)")
        // What the claim is bound to is the article's noun, not any label after "which is" (review of rules 30).
        let estimate = try verdict("The case's MMSE is 30/30, and the encoder's leading estimate, which is MCI (55%), is a prediction.", mmse: 30)
        #expect(!estimate.issues.contains { $0.contains("27–30 is no impairment") }, "\(estimate.issues)")
    }

    @Test func aGroupAverageTheEvidenceDoesNotGiveIsCaught() throws {
        let v = try verdict("The case's MMSE of 26/30 is significantly higher than the library's average of 16.")
        #expect(v.issues.contains { $0.hasPrefix("speaks of \"library's average\"") }, "\(v.issues)")
        #expect(try verdict("The case's MMSE of 26/30 is at percentile 16 among library MCI subjects.").isGrounded)
        // Qwen2.5-Coder-1.5B under prompt v10.
        let other = try verdict("The case's MMSE of 26/30 is lower than the average for cognitively normal subjects (CN) (5).")
        #expect(other.issues.contains { $0.hasPrefix("speaks of \"average for cognitively normal\"") }, "\(other.issues)")
    }

    @Test func theFivesValuesListedRespectivelyMustBeTheirsInOrder() throws {
        // The demo case's five have MMSE 30, 26, 22, 28, 29 (Qwen2.5-Coder-1.5B under prompt v10 gave the first as 29).
        let wrong = try verdict("The most similar subjects to this case have a diagnosis of Dementia, with MMSE scores of 29, 26, 22, 28, and 29, respectively.",
                                kind: .similarCases)
        #expect(wrong.issues.contains { $0.hasPrefix("lists MMSE 29, 26, 22, 28, 29 for the five in order, but theirs are 30, 26, 22, 28, 29") }, "\(wrong.issues)")
        let right = try verdict("The most similar subjects have MMSE scores of 30, 26, 22, 28, and 29, respectively.", kind: .similarCases)
        #expect(!right.issues.contains { $0.hasPrefix("lists MMSE") }, "\(right.issues)")
        let named = try verdict("413_S_0205, 215_S_0257, 308_S_0344, 695_S_0084 and 745_S_0309 have MMSE scores of 26, 30, 22, 28 and 29, respectively.", kind: .similarCases)
        #expect(!named.issues.contains { $0.hasPrefix("lists MMSE") }, "a list that names its subjects may take any order: \(named.issues)")
        // (Rules 32) A decimal point before the list starts no sentence: the ids still name its subjects.
        let decimal = try verdict("413_S_0205 (similarity 0.996), 215_S_0257, 308_S_0344, 695_S_0084 and 745_S_0309 have MMSE scores of 26, 30, 22, 28 and 29, respectively.", kind: .similarCases)
        #expect(!decimal.issues.contains { $0.hasPrefix("lists MMSE") }, "\(decimal.issues)")
    }

    @Test func aMeasureListedAmongDiagnosesIsCaught() throws {
        let v = try verdict("The subjects most similar to this case are MCI, Dementia, and white-matter FA.", kind: .similarCases)
        #expect(v.issues.contains { $0.hasPrefix("lists a measure among diagnoses") }, "\(v.issues)")
        let right = try verdict("The subjects most similar to this case were recorded Dementia and MCI, with MMSE from 22 to 30.", kind: .similarCases)
        #expect(!right.issues.contains { $0.hasPrefix("lists a measure") }, "\(right.issues)")
    }
}

/// Rules 31, from SmolLM2's 40 answers under prompt v10 (run decbd2fb7b670aa7) that rules 30 called grounded.
@Suite struct RulesThirtyOneTests {
    func verdict(_ text: String) throws -> Verdict {
        try RulesThirtyTests().verdict(text, kind: .similarCases)
    }

    @Test func aNumberRunOntoAFullStopIsDegenerate() throws {
        for glued in ["The case under review is one of the most similar subjects, compared to the others.5% of the cases share it.",
                      "The case's APOE genotype is ε4/ε4, which is associated with Alzheimer's disease.1,2,3,4,5."] {
            let v = try verdict(glued)
            #expect(v.status == .degenerate && v.issues.first?.hasPrefix("it runs words together") == true, "\(glued): \(v.issues)")
        }
        #expect(try verdict("The five have MMSE scores from 22 to 30 and a similarity of 0.998 at most (Farrer et al. 1997).").status != .degenerate)
    }

    @Test func aSentenceThatRepeatsItsOpeningIsALoop() throws {
        let v = try verdict("The most similar subjects in the library are not the same as the case, but rather the most similar subjects in the library are not the same as the case.")
        #expect(v.status == .degenerate && v.issues.first?.hasPrefix("the answer repeats itself") == true, "\(v.issues)")
    }

    @Test func aChangeOverAPreviousResultIsHistory() throws {
        let v = try verdict("The case's MMSE of 26/30 was a significant improvement over the previous one.")
        #expect(v.issues.contains { $0.hasPrefix("speaks of the case's history") }, "\(v.issues)")
        for right in ["Three of the five showed a decline from their baseline within 24 months.",
                      "215_S_0257 is more similar to the case than the previous one in the list.",
                      "There is no previous visit to compare the case's MMSE of 26/30 with."] {
            #expect(!(try verdict(right)).issues.contains { $0.hasPrefix("speaks of the case's history") }, "\(right)")
        }
    }
}
