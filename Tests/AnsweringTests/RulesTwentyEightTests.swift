@testable import Answering
import Cohort
import Foundation
import Testing

/// Rules 28, from Qwen2.5-0.5B's first 25 answers under prompt v8 (run 7f081a61fd14fd56) that rules 27 called grounded, on the
/// demo case's evidence (`RulesTwentySixTests`: vote Dementia 87% / MCI 13%, encoder MCI 55% / Dementia 40% / CN 5%, reading
/// Dementia 64% / MCI 34% / CN 3%; genotype ε4/ε4).
@Suite struct RulesTwentyEightTests {
    static let evidence = try! JSONDecoder().decode(Evidence.self, from: Data(RulesTwentySixTests.evidenceJSON.utf8))

    @Test func aPercentageBesideADiagnosisIsThatDiagnosissOwn() {
        let checker = DiagnosisShareChecker(evidence: Self.evidence)
        #expect(checker.issues(in: "The subjects most similar to this case are Dementia, 87%, and MCI, 64%.")
            == ["gives MCI 64%; the evidence's figures for MCI are 13%, 55%, 34%"])
        for right in ["The vote gives Dementia 87% and MCI 13%.", "The encoder estimates MCI (55%), a prediction.",
                      "Memoir's reading: CN 3%, MCI 34%, Dementia 64%.", "64% Dementia with the vote and the estimate averaged.",
                      "MMSE 26/30 lies at the MCI group's 16th percentile."] {
            #expect(checker.issues(in: right).isEmpty, "\(right)")
        }
        #expect(checker.issues(in: "The encoder gives 40% CN.").count == 1, "40% is Dementia's probability")
    }

    @Test func aGenotypeIsNotWhatIsRisked() {
        let checker = CaseFactChecker(caseAge: 74, neighbourAges: [], genotype: [3, 3])
        let wrong = checker.issues(in: "This genotype is associated with a higher risk of ε3/ε3 (Farrer et al. 1997).").map(\.message)
        #expect(wrong.contains { $0.hasPrefix("gives \"risk of ε3/ε3\" as what is risked") }, "\(wrong)")
        let carrier = CaseFactChecker(caseAge: 74, neighbourAges: [], genotype: [3, 4])
        #expect(carrier.issues(in: "The case's genotype ε3/ε4 carries about 3 times the Alzheimer's risk of ε3/ε3 (Farrer et al. 1997).").isEmpty)
        #expect(carrier.issues(in: "ε3/ε4 carries about 3 times the risk of ε3/ε3.").isEmpty)
    }

    @Test func aHighRiskForAGenotypeWithoutE4IsCaught() {
        // Qwen2.5-0.5B under prompt v8 (102_S_0094/apoe), grounded by rules 27.
        let checker = CaseFactChecker(caseAge: 74, neighbourAges: [], genotype: [3, 3])
        let wrong = checker.issues(in: "This genotype is associated with a high risk of Alzheimer's disease.").map(\.message)
        #expect(wrong.contains { $0.hasPrefix("says the case's genotype raises the Alzheimer's risk") }, "\(wrong)")
        #expect(checker.issues(in: "ε3/ε3 is not a high-risk genotype; it is the reference.").isEmpty)
    }
}

extension RulesTwentyEightTests {
    @Test func respectiveSharesAfterTwoLabelsAreNotReadAsTheLastLabels() {
        let checker = DiagnosisShareChecker(shares: [.mci: [0.59], .dementia: [0.41]])
        #expect(checker.issues(in: "three recorded as MCI and two as Dementia (59% and 41% of the weighted vote)").isEmpty)
        #expect(checker.issues(in: "two as Dementia (59%)").count == 1)
    }
}

/// Rules 29, from SmolLM2's 40 answers under prompt v8 (run 1f88cd5c13d53f2f), four of which rules 28 called grounded.
@Suite struct RulesTwentyNineTests {
    func verdict(_ text: String, _ findings: [String]) throws -> Verdict {
        let evidence = try JSONDecoder().decode(Evidence.self, from: Data(RulesTwentySixTests.evidenceJSON.utf8))
        let verifier = AnswerVerifier(evidence: evidence, contextIDs: RulesTwentySixTests.ids, question: "Summarise the cognitive test results of this subject.")
        return verifier.verify(ParsedAnswer(diagnosis: nil, answer: text, findings: findings.map { .init(source: "case", finding: $0) },
                                            citedSubjectIDs: [], source: .structured), finishReason: "stop")
    }

    @Test func aFindingThatLoopsIsDegenerate() throws {
        let loop = (1...12).map { _ in "MICADC-MICADC" }.joined(separator: ", ")
        let v = try verdict("The case's MMSE of 26/30 is in the mild-impairment band (NICE TA217).",
                            ["The case's ADAS-Cog 13 of 7.33/85 is recorded.", "The case's white-matter FA of 0.320 is low, \(loop)"])
        #expect(v.status == .degenerate && v.issues.first?.hasPrefix("a finding repeats itself") == true, "\(v.issues)")
    }

    @Test func wordsStrungOnCommasAreRunTogether() throws {
        let v = try verdict("The case's MMSE of 26/30 is in the mild-impairment band, and it's,in,a.",
                            ["The case's ADAS-Cog 13 of 7.33/85 is recorded.", "The case's white-matter FA is 0.320."])
        #expect(v.status == .degenerate && v.issues.first?.contains("it's,in,a") == true, "\(v.issues)")
        let listed = try verdict("The case's MMSE of 26/30 is in the mild-impairment band (21–26, NICE TA217).",
                                 ["The case's ADAS-Cog 13 of 7.33/85 is recorded.", "The case's white-matter FA is 0.320."])
        #expect(listed.status == .grounded, "\(listed.issues)")
    }
}

extension RulesTwentyNineTests {
    @Test func aMangledIDIsNoSubject() throws {
        let v = try verdict("The five most similar subjects are 215_S_0257 and 655_S_024, recorded Dementia.",
                            ["The case's ADAS-Cog 13 of 7.33/85 is recorded.", "The case's white-matter FA is 0.320."])
        #expect(v.issues.contains { $0.hasPrefix("names 655_S_024, which is no subject id") }, "\(v.issues)")
    }
}
