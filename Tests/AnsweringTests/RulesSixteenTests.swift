@testable import Answering
import Cohort
import Testing

/// Rules 16, from the Qwen2.5-1.5B answers (prompt v5) that rules 15 still passed: each wrong phrasing is the model's,
/// each right one beside it must still pass.
@Suite struct RulesSixteenTests {
    let scores = ScoreClaimChecker(facts: [
        "MMSE": .init(caseValue: 26, others: [25, 30], scale: [21, 26, 27, 30]),
        "MoCA": .init(caseValue: nil, others: [24, 19], scale: [26, 30]),
    ])

    @Test func aScoreGivenToTheCaseIsTheCasesEvenInAFindingAboutANeighbour() {
        let wrong = scores.issues(in: "502_S_0183: The case's MMSE score of 25/30 is among the CN range in the reference library.")
        #expect(wrong.map(\.message) == ["gives MMSE 25 for the case, whose MMSE is 26 (25 is a neighbour's)"])
        #expect(scores.issues(in: "502_S_0183: Its MMSE score of 25/30 is close to the case's.").isEmpty, "the neighbour's own value")
        #expect(scores.issues(in: "502_S_0183 has MMSE 25, while the case's MMSE is 26.").isEmpty)
        // A MoCA the case does not have, in a sentence that only sounds comparative.
        let moca = scores.issues(in: "The MoCA score of 24 is also in the mild-impairment band, suggesting a similar level of cognitive impairment.")
        #expect(moca.first?.message == "gives MoCA 24 for the case, whose MoCA is not recorded (24 is a neighbour's)")
        #expect(scores.issues(in: "Similar subjects have MoCA 24 and 19.").isEmpty)
    }

    @Test func anAgeGivenToTheCaseIsTheCases() {
        let facts = CaseFactChecker(caseAge: 69, neighbourAges: [74.5], genotype: nil)
        #expect(facts.issues(in: "549_S_0340: The case has an age of 75 years, similar to this subject.").map(\.message)
            == ["gives the age as 75 (a neighbour's); the case is 69"])
        #expect(facts.issues(in: "549_S_0340: This subject is 75 years old, older than the case.").isEmpty)
    }

    @Test func aPercentileIsTheOneOfTheGroupItNames() {
        let placed = TypicalityClaimChecker(placed: [
            .init(measure: "ADAS-Cog 13", text: "26.33/85", percentiles: [.cn: 98, .mci: 80, .dementia: 30]),
            .init(measure: "ADAS-Cog 11", text: "18.33/70", percentiles: [.cn: 99, .mci: 92, .dementia: 40]),
        ])
        let text = "ADAS-Cog 13 26.33/85 (98th percentile among library CN), ADAS-Cog 11 18.33/70 (92nd percentile among library CN)."
        #expect(placed.issues(in: text)
            == ["gives the case's ADAS-Cog 11 (18.33/70) percentile 92 among the library's CN subjects; the evidence gives 99 (92 is its MCI percentile)"])
        #expect(placed.issues(in: "ADAS-Cog 11 18.33/70; percentile among library CN 99, MCI 92, Dementia 40.").isEmpty)
        #expect(placed.issues(in: "ADAS-Cog 11 18.33/70; percentile among library CN 92, MCI 92, Dementia 40.").count == 1)
        #expect(placed.issues(in: "ADAS-Cog 11 18.33/70 lies above the 90th percentile among library CN.").isEmpty, "a bound")
        #expect(placed.issues(in: "ADAS-13 26.33 is at the 80th percentile among library MCI.").isEmpty, "ADAS-13 is ADAS-Cog 13")
        #expect(placed.issues(in: "ADAS-13 26.33 is at the 81st percentile among library MCI.").count == 1)
    }

    @Test func aDiagnosisGivenToTheCaseInPassingIsCaught() {
        for wrong in ["The case has a MCI diagnosis, which is similar to the most similar historical subjects.",
                      "This patient shares some similarities with the most similar subjects, including having a MCI diagnosis.",
                      "The patient's MCI diagnosis is similar to the most similar historical subjects.",
                      "The patient shares a record diagnosis of CN with the subject 063_S_0116.",
                      "The case has a diagnosis of MCI (MMSE 28/30).",
                      "The case's recorded diagnosis Dementia, similarity 0.998, age 80."] {
            #expect(AnswerVerifier.recordedClaims(in: wrong).count == 1, "\(wrong)")
        }
        for right in ["The evidence points to MCI, as 3 of 5 similar subjects were recorded MCI.",
                      "Three of the five most similar subjects share a MCI diagnosis.",
                      "941_S_0001 has a recorded diagnosis of MCI and MMSE 27.",
                      "The case's most likely diagnosis is MCI, by Memoir's reading.",
                      "The case shares a similar MMSE with 002_S_0295, who has a recorded diagnosis of MCI.",
                      "The case shares a low MoCA with a subject with a Dementia diagnosis."] {
            #expect(AnswerVerifier.recordedClaims(in: right).isEmpty, "\(right): \(AnswerVerifier.recordedClaims(in: right))")
        }
    }

    @Test func aScoreIsNotComparedWithAPercentage() {
        #expect(ComparisonClaimChecker.issues(in: "The case's MMSE of 29/30 is significantly higher than the MCI estimate of 57%.").count == 1)
        #expect(ComparisonClaimChecker.issues(in: "The MMSE of 29/30 is higher than the neighbours' 26/30, and the vote gives MCI 57%.").isEmpty)
        #expect(ComparisonClaimChecker.issues(in: "The case's MMSE is 30, which is higher than the estimated MCI of 26% for CN.").count == 1)
        #expect(ComparisonClaimChecker.issues(in: "The case's MMSE is 19/30, which is above the threshold of 10-20: the moderate-impairment band.").count == 1)
        #expect(ComparisonClaimChecker.issues(in: "The case's MMSE is 22/30, above the range of 10–20.").isEmpty)
        #expect(CutOffClaimChecker(mmse: 28, moca: nil).issues(in: "The case's MMSE is 28/30, which is below the threshold for a mild cognitive impairment (MCI).").count == 1)
    }

    @Test func aTestIsNotADiagnosis() {
        #expect(AnswerVerifier.recordedClaims(in: "The evidence points to Dementia because of the presence of ADAS-Cog 13, which is a common diagnosis in Alzheimer's disease.").count == 1)
        #expect(AnswerVerifier.recordedClaims(in: "The MMSE is a screening test; ADAS-Cog 13 of 31 is high, as in the Dementia group.").isEmpty)
        #expect(AnswerVerifier.recordedClaims(in: "The MoCA of 21 supports the diagnosis of MCI.").isEmpty)
    }

    @Test func aGeneIsNotNamedAfterADiagnosis() {
        #expect(AnswerVerifier.recordedClaims(in: "558_S_0305 is a variant of the MCI gene, which is a genetic disorder.").count == 1)
        #expect(AnswerVerifier.recordedClaims(in: "The APOE ε4 allele raises the Alzheimer's risk; the case carries one ε4 allele.").isEmpty)
    }

    @Test func aBandIsAnImpairmentBandNotADiagnosis() {
        #expect(AnswerVerifier.recordedClaims(in: "The MMSE of 25/30 falls within the mild cognitive impairment (MCI) band.").count == 1)
        #expect(AnswerVerifier.recordedClaims(in: "The MMSE of 11/30 is in the moderate-impairment band, which is the range for the CN group.").count == 1)
        #expect(AnswerVerifier.recordedClaims(in: "The MMSE of 25/30 lies in the mild-impairment band (21–26), as in many MCI subjects.").isEmpty)
    }

    @Test func aLoweredOrPercentRiskIsCaught() {
        func issues(_ genotype: [Int], _ text: String) -> [String] {
            CaseFactChecker(caseAge: nil, neighbourAges: [], genotype: genotype).issues(in: text).map(\.message)
        }
        #expect(issues([3, 3], "The APOE genotype is ε3/ε3, a common variant associated with a reduced risk of Alzheimer's disease.")
            == ["says ε3/ε3 lowers the Alzheimer's risk; the evidence gives ε3/ε3 as the reference, and only ε2 lowers it"])
        #expect(issues([3, 3], "ε3/ε3 carries a lower risk than ε4 carriers.").isEmpty, "a comparison is right")
        #expect(issues([2, 3], "ε2/ε3 is associated with a reduced risk.").isEmpty)
        #expect(issues([3, 4], "The model's estimate indicates a 16% risk of Alzheimer's disease for this subject.").count == 1)
        #expect(issues([3, 3], "The MMSE of 29 suggests a lower risk of progression.").isEmpty, "not about the genotype")
        #expect(issues([3, 3], "ε3/ε3 confers neither an increased nor a reduced risk.").isEmpty, "denied")
        #expect(issues([3, 4], "The encoder gives Dementia a probability of 16%.").isEmpty)
    }
}
