@testable import Answering
import Cohort
import Foundation
import Testing

/// Rules 27: the four wrong answers of Qwen2.5-Coder-1.5B's held-out set (prompt v7) that rules 26 missed, and Qwen2.5-0.5B's
/// first grounded answers under prompt v8, on the demo case 158_S_0163 (the evidence of `RulesTwentySixTests`). Each
/// wrong phrasing is a model's; each right one beside it must pass.
@Suite struct RulesTwentySevenTests {
    static let ids = RulesTwentySixTests.ids

    func verdict(_ text: String, findings: [ParsedAnswer.Finding], question: String, diagnosis: Diagnosis? = nil,
                 evidence: Evidence? = nil) throws -> Verdict {
        let evidence = try evidence ?? JSONDecoder().decode(Evidence.self, from: Data(RulesTwentySixTests.evidenceJSON.utf8))
        let verifier = AnswerVerifier(evidence: evidence, contextIDs: Self.ids, question: question)
        return verifier.verify(ParsedAnswer(diagnosis: diagnosis, answer: text, findings: findings, citedSubjectIDs: [Self.ids[0]],
                                            source: .structured), finishReason: "stop")
    }

    static let diagnosisQuestion = "What is the most likely diagnosis for this subject, and which findings support it?"
    static let neighbourFinding = ParsedAnswer.Finding(source: "215_S_0257", finding: "215_S_0257, recorded Dementia, had MMSE 30 and MoCA 15.")

    @Test func aSuperlativeAmongTheFiveIsHeldToTheirValues() throws {
        // Qwen2.5-0.5B under prompt v8 on the demo case, grounded by rules 26: the case is the youngest of the six, and no
        // neighbour shares its MMSE.
        let wrong = try verdict(
            "The evidence points to Dementia because it is the most common diagnosis among the five most similar historical subjects. "
                + "The case's age is 74 years, which is the highest age in the list of subjects with their recorded diagnoses.",
            findings: [.init(source: "case", finding: "The case's MMSE of 26/30 is the most common among the five most similar historical subjects."),
                       Self.neighbourFinding],
            question: Self.diagnosisQuestion, diagnosis: .dementia)
        #expect(wrong.issues.contains { $0.hasPrefix("calls the case's age (74) the highest among the five") }, "\(wrong.issues)")
        #expect(wrong.issues.contains { $0.hasPrefix("calls the case's MMSE (26) the most common among the five") }, "\(wrong.issues)")
        #expect(!wrong.issues.contains { $0.contains("most common diagnosis") }, "a diagnosis is the vote's to count, not this rule's")
        let right = try verdict(
            "The evidence points to Dementia because 4 of the 5 most similar subjects were recorded Dementia. "
                + "At 74 the case is the youngest among the five most similar subjects.",
            findings: [.init(source: "case", finding: "The case's MMSE of 26/30 is in the mild-impairment band (NICE TA217)."),
                       Self.neighbourFinding],
            question: Self.diagnosisQuestion, diagnosis: .dementia)
        #expect(right.status == .grounded, "\(right.issues)")
    }

    @Test func superlativesReadTheirOwnMeasure() {
        let checker = NeighbourRankClaimChecker(ranked: [
            .init(measure: "age", caseValue: 74, neighbourValues: [79.6, 79.6, 76.8, 75.9, 81.8]),
            .init(measure: "MMSE", caseValue: 26, neighbourValues: [30, 26, 22, 28, 29]),
        ])
        #expect(checker.issues(in: "The case's MMSE of 26/30 is the lowest among its neighbours.").count == 1, "22 is lower")
        #expect(checker.issues(in: "The case has the highest MMSE among the five, 26/30.").count == 1)
        #expect(checker.issues(in: "The case is the youngest among the five similar subjects.").isEmpty, "no measure named: not read")
        #expect(checker.issues(in: "The case's age of 74 is the lowest among the five similar subjects.").isEmpty)
        #expect(checker.issues(in: "The case's MMSE of 26/30 is the lowest in the library's CN group.").isEmpty, "a library frame is another rule's")
        #expect(checker.issues(in: "The case's MMSE of 26/30 is not the highest among the five.").isEmpty, "denied")
        let shared = NeighbourRankClaimChecker(ranked: [.init(measure: "MMSE", caseValue: 26, neighbourValues: [26, 26, 22, 28, 29])])
        #expect(shared.issues(in: "The case's MMSE of 26/30 is the most common among the five.").isEmpty, "two of the five share it")
    }

    @Test func aValueBelowABandNamedBeforeItsBoundsIsCaught() {
        // Qwen2.5-Coder-1.5B under prompt v7 (246_S_0013, held out from rules 26): 26 lies in 21–26.
        let issues = ComparisonClaimChecker.issues(in: "The case's MMSE score of 26 is below the mild-impairment band (21–26).")
        #expect(issues.count == 1 && issues[0].contains("puts 26 outside 21–26"), "\(issues)")
        #expect(ComparisonClaimChecker.issues(in: "The case's MMSE score of 19 is below the mild-impairment band (21–26).").isEmpty)
        #expect(ComparisonClaimChecker.issues(in: "The MoCA score of 21 is below the normal range (26–30).").isEmpty)
    }

    @Test func inTheMiddleMeansTheGroupsMiddleHalf() throws {
        // Qwen2.5-Coder-1.5B under prompt v7 (265_S_0154, held out): the MMSE at CN's 69th percentile is in the middle half;
        // the MoCA at its 95th is not.
        let checker = TypicalityClaimChecker(placed: [
            .init(measure: "MMSE", text: "30/30", percentiles: [.cn: 69, .mci: 81, .dementia: 97]),
            .init(measure: "MoCA", text: "30/30", percentiles: [.cn: 95, .mci: 97, .dementia: 100]),
        ])
        #expect(checker.issues(in: "The case's MMSE score of 30/30 is in the middle of the library's CN group.").isEmpty)
        let wrong = checker.issues(in: "The case's MoCA score of 30/30 is in the middle of the library's CN group, with a percentile of 95.")
        #expect(wrong == ["calls the case's MoCA (30/30) in the middle, but it lies at percentile 95 of the library's CN subjects"], "\(wrong)")
    }

    @Test func theRepairMessageEchoedIsNoFinding() throws {
        // Qwen2.5-Coder-1.5B under prompt v7 after a repair round (279_S_0050, held out).
        let echoed = try verdict("The case's MMSE is 26/30, in the mild-impairment band (NICE TA217).", findings: [
            .init(source: "case", finding: "The case's ADAS-Cog 13 score is 7.33; the evidence does not hold for it."), Self.neighbourFinding,
        ], question: "Summarise the cognitive test results of this subject.")
        #expect(echoed.issues.contains { $0.hasPrefix("it echoes the verifier's repair message (\"the evidence does not hold for it") }, "\(echoed.issues)")
        let plain = try verdict("The case's MMSE is 26/30, in the mild-impairment band (NICE TA217).", findings: [
            .init(source: "case", finding: "The case's ADAS-Cog 13 score is 7.33/85."), Self.neighbourFinding,
        ], question: "Summarise the cognitive test results of this subject.")
        #expect(plain.status == .grounded, "\(plain.issues)")
    }

    @Test func aFindingTiedToADiagnosisTheEvidenceDoesNotLeadWithIsCaughtWithoutAField() throws {
        // The demo case's evidence leads with Dementia (vote, reading) and MCI (encoder); CN is neither.
        let apoe = "What is this patient's APOE genotype and what does it mean for Alzheimer's risk?"
        let wrong = try verdict(RulesTwentySixTests.apoeAnswer, findings: [
            .init(source: "case", finding: "The case's ADAS-Cog 13 of 7.33/85 is indicative of normal cognition."), Self.neighbourFinding,
        ], question: apoe)
        #expect(wrong.issues.contains { $0.hasPrefix("ties the case's findings to CN, which the evidence does not lead with") }, "\(wrong.issues)")
        let led = try verdict(RulesTwentySixTests.apoeAnswer, findings: [
            .init(source: "case", finding: "The case's MMSE of 26/30 is associated with mild cognitive impairment."), Self.neighbourFinding,
        ], question: apoe)
        #expect(!led.issues.contains { $0.hasPrefix("ties the case's findings") }, "the encoder leads with MCI: \(led.issues)")
    }
}
