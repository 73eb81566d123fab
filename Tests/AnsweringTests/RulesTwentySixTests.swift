@testable import Answering
import Cohort
import Foundation
import Testing

/// Rules 26, from Qwen2.5-Coder-1.5B's answers under prompt v7 that rules 25 called grounded: each wrong phrasing is the
/// model's, on the evidence it was shown (case 158_S_0163 of the demo-400 store); each right one beside it must pass.
@Suite struct RulesTwentySixTests {
    static let evidenceJSON = #"""
    {"apoe":"APOE ε4/ε4 (two ε4 alleles: about 15 times the Alzheimer's risk of ε3/ε3 (Farrer et al. 1997))","caseID":"158_S_0163","demographics":"74-year-old woman, 19 years of education","encoder":{"cdrsb":2.5,"cdrsbTestError":1.1,"modalities":"t1+fa+clinical","predicted":"MCI","probabilities":{"CN":0.05,"Dementia":0.4,"MCI":0.55}},"neighbours":[{"adas13":31,"age":79.6,"apoeE4":2,"diagnosis":"Dementia","mmse":30,"moca":15,"rank":1,"similarity":0.998,"subjectID":"215_S_0257"},{"adas13":26.33,"age":79.6,"apoeE4":2,"diagnosis":"Dementia","mmse":26,"moca":22,"rank":2,"similarity":0.996,"subjectID":"413_S_0205"},{"adas13":20.33,"age":76.8,"apoeE4":0,"diagnosis":"Dementia","mmse":22,"moca":21,"rank":3,"similarity":0.992,"subjectID":"308_S_0344"},{"adas13":15.67,"age":75.9,"apoeE4":1,"diagnosis":"Dementia","mmse":28,"moca":26,"rank":4,"similarity":0.991,"subjectID":"695_S_0084"},{"adas13":23.67,"age":81.8,"apoeE4":1,"diagnosis":"MCI","mmse":29,"moca":19,"rank":5,"similarity":0.991,"subjectID":"745_S_0309"}],"notes":["MoCA not recorded","CDR-SB withheld: it all but states the diagnosis"],"readings":[{"interpretation":"21–26: the mild-impairment band (NICE TA217)","measure":"MMSE","percentiles":{"CN":5,"Dementia":88,"MCI":16},"text":"26/30","value":26},{"measure":"ADAS-Cog 13","percentiles":{"CN":66,"Dementia":0,"MCI":30},"text":"7.33/85","value":7.33},{"measure":"ADAS-Cog 11","percentiles":{"CN":7,"Dementia":0,"MCI":5},"text":"0.33/70","value":0.33},{"measure":"brain parenchymal fraction","percentiles":{"CN":26,"Dementia":96,"MCI":48},"text":"0.826","value":0.8256477983215754},{"measure":"white-matter FA","percentiles":{"CN":0,"Dementia":41,"MCI":4},"text":"0.320","value":0.3198312647284956}],"vote":{"counts":{"CN":0,"Dementia":4,"MCI":1},"leading":"Dementia","shares":{"CN":0,"Dementia":0.87,"MCI":0.13}}}
    """#
    static let ids = ["215_S_0257", "413_S_0205", "308_S_0344", "695_S_0084", "745_S_0309"]

    func verdict(_ text: String, findings: [ParsedAnswer.Finding], question: String, diagnosis: Diagnosis? = nil) throws -> Verdict {
        let evidence = try JSONDecoder().decode(Evidence.self, from: Data(Self.evidenceJSON.utf8))
        let verifier = AnswerVerifier(evidence: evidence, contextIDs: Self.ids, question: question)
        return verifier.verify(ParsedAnswer(diagnosis: diagnosis, answer: text, findings: findings, citedSubjectIDs: [Self.ids[1]], source: .structured),
                               finishReason: "stop")
    }

    static let apoeQuestion = "What is this patient's APOE genotype and what does it mean for Alzheimer's risk?"
    static let apoeAnswer = "The case's APOE genotype is ε4/ε4, which is about 15 times the Alzheimer's risk of ε3/ε3 (Farrer et al. 1997)."

    @Test func aBandQuotedForAMeasureWithoutOneIsCaught() throws {
        let banded = try verdict(Self.apoeAnswer, findings: [
            .init(source: "case", finding: "The case's ADAS-Cog 13 score is 7.33/85, which is in the mild-impairment band (NICE TA217)."),
            .init(source: "413_S_0205", finding: "413_S_0205 has a recorded diagnosis of Dementia and a similarity of 0.996 to the case."),
        ], question: Self.apoeQuestion)
        #expect(banded.issues.contains { $0.hasPrefix("quotes \"mild-impairment band\" for ADAS-Cog 13, but it is the MMSE's") }, "\(banded.issues)")
        let right = try verdict(Self.apoeAnswer, findings: [
            .init(source: "case", finding: "The case's MMSE score is 26/30, which is in the mild-impairment band (NICE TA217)."),
            .init(source: "413_S_0205", finding: "413_S_0205 has a recorded diagnosis of Dementia and a similarity of 0.996 to the case."),
        ], question: Self.apoeQuestion)
        #expect(right.status == .grounded, "\(right.issues)")
    }

    @Test func rangesBelongToTheirMeasure() {
        let checker = CutOffClaimChecker(mmse: 26, moca: nil)
        #expect(checker.bandIssues(in: "The ADAS-Cog 13 score is 2.67, which is below the normal range for MCI (27–30).")
            == ["quotes \"27–30\" for ADAS-Cog 13, but it is the MMSE's; the evidence gives ADAS-Cog 13 no band or cut-off"])
        #expect(checker.bandIssues(in: "A MoCA score of 19/22 (21–26).").count == 1)
        #expect(checker.bandIssues(in: "The MoCA of 29/30 shows no impairment by the usual cut-off.").isEmpty)
        // A range that is no measure's band is a spread of values (a reference answer on the five neighbours).
        #expect(checker.bandIssues(in: "The patient's MMSE of 14 is lower than any of theirs (16 to 21), while the patient's MoCA of 24 is higher than any of theirs (15 to 20).").isEmpty)
        #expect(checker.bandIssues(in: "102_S_0123 has a MMSE score of 27/30, which is also in the mild-impairment band (NICE TA217).")
            == ["puts MMSE 27 in the mild-impairment band, but it lies in the no-impairment band (NICE TA217)"])
        #expect(checker.bandIssues(in: "102_S_0123 has a MMSE score of 19/30, which is in the moderate-impairment band (NICE TA217).").isEmpty)
        #expect(checker.bandIssues(in: "The case's MMSE of 26/30 is below the usual cut-off (Nasreddine et al. 2005).").count == 1)
        for right in ["The MMSE score of 28 (27–30: no impairment by the usual cut-off) and MoCA score of 21 (below 26: impaired).",
                      "The case's MMSE is 26/30 (21–26, the mild-impairment band, NICE TA217).",
                      "The MoCA score of 21 is below the usual cut-off of 26 (Nasreddine et al. 2005).",
                      "The ADAS-Cog 13 is 24 out of 0–85, and the subject is 70-80 years old.", "MMSE 26/30, the case is 74 years old.",
                      // Qwen2.5-Coder-1.5B on the neighbours: a spread of values, not a band.
                      "The subjects most similar to this case have a diagnosis of Dementia, with MMSE scores ranging from 26 to 30.",
                      "They differ in MoCA scores, which range from 15 to 22.", "745_S_0309's MoCA (15–22) is lower."] {
            #expect(checker.bandIssues(in: right).isEmpty, "\(right)")
        }
    }

    @Test func aPercentileInTheEvidencesListFormIsHeldToItsMeasure() throws {
        let checker = TypicalityClaimChecker(placed: [
            .init(measure: "MMSE", text: "28/30", percentiles: [.cn: 19, .mci: 62, .dementia: 93]),
            .init(measure: "MoCA", text: "21/30", percentiles: [.cn: 3, .mci: 40, .dementia: 80]),
        ])
        #expect(checker.issues(in: "The MoCA score is 21, which is also in the lower range of CN subjects (library CN 19).")
            == ["gives the case's MoCA (21/30) percentile 19 among the library's CN subjects; the evidence gives 3"])
        #expect(checker.issues(in: "The case's MMSE score is 28, which is in the lower range of CN subjects (library CN 19).").isEmpty)
        // A percentile with no group must still be one of the measure's: "26th" was the MoCA's cut-off, read as a percentile.
        #expect(checker.issues(in: "The MoCA score is 21/30, which is below the usual cut-off (26th percentile).")
            == ["gives the case's MoCA (21/30) the \"26th percentile\"; the evidence places it at CN 3, MCI 40, Dementia 80"])
        #expect(checker.issues(in: "The MMSE is 28/30 (19th percentile), and the MoCA 21/30 (40th percentile); below the 10th percentile is rare.").isEmpty)
        // "The lower range" of a group holds values below its median.
        let adas = TypicalityClaimChecker(placed: [.init(measure: "ADAS-Cog 13", text: "19.67/85", percentiles: [.cn: 68, .mci: 36, .dementia: 9])])
        #expect(adas.issues(in: "The case's ADAS-Cog 13 score of 19.67/85 is in the lower range of cognitively normal (CN) subjects (library CN 68).")
            == ["calls the case's ADAS-Cog 13 (19.67/85) in the lower range, but it lies at percentile 68 of the library's CN subjects"])
        #expect(adas.issues(in: "The case's ADAS-Cog 13 score of 19.67/85 is in the lower range of Dementia subjects (library Dementia 9).").isEmpty)
    }

    @Test func aPercentileInAFindingAboutANeighbourIsCaught() throws {
        let question = "What is the most likely diagnosis for this subject?"
        let answer = "The evidence points to Dementia because 4 of 5 similar subjects were Dementia."
        let given = try verdict(answer, findings: [
            .init(source: "case", finding: "The case's MMSE score is 26/30, which is in the mild-impairment band (NICE TA217)."),
            .init(source: "413_S_0205", finding: "413_S_0205 has a recorded diagnosis of Dementia, which is within the range for Dementia subjects (88th percentile)."),
        ], question: question, diagnosis: .dementia)
        #expect(given.issues.contains { $0.hasPrefix("a finding about 413_S_0205 quotes a percentile (\"88th percentile\")") }, "\(given.issues)")
        let right = try verdict(answer, findings: [
            .init(source: "case", finding: "The case's MMSE score is 26/30, which lies at the 88th percentile among the library's Dementia subjects."),
            .init(source: "413_S_0205", finding: "413_S_0205 has a recorded diagnosis of Dementia and a similarity of 0.996."),
        ], question: question, diagnosis: .dementia)
        #expect(right.status == .grounded, "\(right.issues)")
    }

    @Test func aHighMMSEGivenAsASignOfDementiaIsCaught() throws {
        #expect(DirectionClaimChecker.issues(in: "The evidence points to Dementia because the case has a high risk of Alzheimer's disease (APOE ε4/ε4), a high MMSE score, and a high ADAS-Cog score.").count == 1)
        #expect(DirectionClaimChecker.issues(in: "413_S_0205 has a high MMSE score (26) and ADAS-Cog score (26.33), which are both indicative of dementia.").count == 1)
        #expect(DirectionClaimChecker.issues(in: "A low ADAS-Cog 13 of 7.33 is consistent with dementia.").count == 1)
        for right in ["The evidence points to Dementia because 4 of 5 similar subjects were Dementia and the ADAS-Cog is high.",
                      "A high MMSE is not indicative of dementia.", "Despite a high MMSE, the vote points to Dementia.",
                      "A normal MMSE is consistent with MCI.", "A low MMSE is a sign of dementia.",
                      "The evidence points to Dementia, but the high MMSE argues against it."] {
            #expect(DirectionClaimChecker.issues(in: right).isEmpty, "\(right)")
        }
    }

    @Test func theCasesMeasureGivenToTheNeighboursByAPronounIsCaught() {
        let checker = MeasureClaimChecker(caseValues: [.fa: [0.324]], neighbourValues: [:], scale: [])
        #expect(checker.issues(in: "They also have a white-matter FA of 0.324, which is lower than the case's value.").map(\.message)
            == ["gives the case's white-matter FA 0.324 to the neighbours; the evidence gives them none"])
        #expect(checker.issues(in: "The most similar subjects are MCI, unlike the case, whose white-matter FA is 0.324.").isEmpty)
        #expect(checker.issues(in: "The case's white-matter FA is 0.324.").isEmpty)
        #expect(checker.issues(in: "These findings rest on a white-matter FA of 0.324.").isEmpty)
        #expect(checker.issues(in: "Their diagnoses differ; the case's white-matter FA is 0.324.").isEmpty)
    }

    @Test func wordsRunTogetherAreDegenerate() throws {
        let question = "What is the most likely diagnosis for this subject?"
        let finding = ParsedAnswer.Finding(source: "case", finding: "The case's MMSE score is 26/30, which is in the mild-impairment band (NICE TA217).")
        for glued in ["The evidence points to Dementia because it has the highest MMSE among_CN,MCI,DD.",
                      "The evidence points to Dementia because of a lowMoCA/30 and an MMSE of 26/30.",
                      "The evidence points to Dementia because the MMSE is lower than in mild cognitiveImpairment, subjects."] {
            let v = try verdict(glued, findings: [finding], question: question, diagnosis: .dementia)
            #expect(v.status == .degenerate && v.issues.first?.hasPrefix("it runs words together") == true, "\(glued): \(v.issues)")
        }
        let clean = try verdict("The evidence points to Dementia because 4 of 5 similar subjects, 215_S_0257 among them, were Dementia (MoCA, ADAS-Cog 13).",
                                findings: [finding], question: question, diagnosis: .dementia)
        #expect(clean.status != .degenerate, "\(clean.issues)")
    }

    @Test func aBandCalledADiagnosisAndAGenotypeThatPlacesACaseAreCaught() {
        #expect(AnswerVerifier.bandNamedAfterGroup.matches(in: "Both scores fall within the mild-impairment band, which is considered mild cognitive impairment (MCI)."))
        #expect(!AnswerVerifier.bandNamedAfterGroup.matches(in: "Both scores fall within the mild-impairment band (NICE TA217)."))
        #expect(AnswerVerifier.recordedClaims(in: "The patient has two ε4 alleles, which places them in the MCI category.").count == 1)
        #expect(AnswerVerifier.recordedClaims(in: "Two ε4 alleles place the risk at about 15 times that of ε3/ε3.").isEmpty)
    }

    @Test func aFoldRiskAgainstOneOrNoE4AlleleIsCaught() {
        let checker = CaseFactChecker(caseAge: 74, neighbourAges: [], genotype: [4, 4])
        let wrong = checker.riskIssues(in: "The case's APOE genotype is two ε4 alleles, which increases the risk of Alzheimer's disease by about 15 times compared to having one or no ε4 allele.")
        #expect(wrong.map(\.message).contains { $0.hasPrefix("states the risk against \"having one or no ε4 allele") }, "\(wrong)")
        #expect(checker.riskIssues(in: "Two ε4 alleles raise the risk about 15 times compared to no ε4 allele.").isEmpty)
        #expect(checker.riskIssues(in: "Two ε4 alleles raise the risk about 15 times compared to ε3/ε3.").isEmpty)
    }
}
