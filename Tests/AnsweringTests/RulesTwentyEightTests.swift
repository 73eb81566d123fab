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
