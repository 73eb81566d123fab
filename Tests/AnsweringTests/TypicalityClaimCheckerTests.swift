@testable import Answering
import Cohort
import Testing

/// "Characteristic of Dementia" is checked against where the evidence places the case's value among the library's
/// Dementia subjects.
@Suite struct TypicalityClaimCheckerTests {
    /// The demo case (158_S_0163): BPF 0.826 at CN 26, MCI 48, Dementia 96; FA 0.320 at CN 0, MCI 4, Dementia 41;
    /// MMSE 26 at CN 5, MCI 16, Dementia 88.
    let checker = TypicalityClaimChecker(placed: [
        .init(measure: "brain parenchymal fraction", text: "0.826", percentiles: [.cn: 26, .mci: 48, .dementia: 96]),
        .init(measure: "white-matter FA", text: "0.320", percentiles: [.cn: 0, .mci: 4, .dementia: 41]),
        .init(measure: "MMSE", text: "26/30", percentiles: [.cn: 5, .mci: 16, .dementia: 88]),
    ])

    @Test func qwen15bsDemoAnswerIsCaught() {
        // Rules 12 called this grounded: every number is the evidence's.
        let answer = "The findings that support this diagnosis include a high brain parenchymal fraction (0.826), which is characteristic "
            + "of Dementia, and a white-matter FA (0.320), which is also indicative of Dementia."
        let issues = checker.issues(in: answer)
        #expect(issues.count == 1)
        #expect(issues.first?.contains("brain parenchymal fraction (0.826) typical of Dementia, but it lies at percentile 96") == true)
    }

    @Test func eachClaimCoversTheMeasuresOfItsOwnClause() {
        #expect(checker.issues(in: "The MMSE of 26/30 is consistent with MCI, and the BPF of 0.826 is typical of CN.").isEmpty)
        #expect(checker.issues(in: "The MMSE of 26/30 is consistent with MCI, and the FA of 0.320 is typical of cognitively normal ageing.").count == 1)
        #expect(checker.issues(in: "The FA of 0.320 is low, and the MMSE of 26/30 is consistent with MCI.").isEmpty)
        #expect(checker.issues(in: "An FA of 0.320 is in keeping with Alzheimer's disease.").isEmpty)
        #expect(checker.issues(in: "Its MMSE of 26/30 is typical of normal cognition.").count == 1)
        #expect(checker.issues(in: "A BPF of 0.826 is consistent with AD.").count == 1)
        #expect(checker.issues(in: "A BPF of 0.826 is consistent with CNS ageing.").isEmpty)
    }

    /// CN and Dementia lean one way: a value worse than almost all CN subjects is not typical of CN, a value better
    /// than almost all Dementia subjects not typical of Dementia; the other side is.
    @Test func onlyTheSideAGroupDoesNotLeanToIsAtypical() {
        let low = TypicalityClaimChecker(placed: [
            .init(measure: "MMSE", text: "17/30", percentiles: [.cn: 0, .mci: 1, .dementia: 4]),
            .init(measure: "ADAS-Cog 13", text: "3/85", percentiles: [.cn: 2, .mci: 0, .dementia: 0]),
        ])
        #expect(low.issues(in: "An MMSE of 17/30 is consistent with dementia.").isEmpty)
        #expect(low.issues(in: "An MMSE of 17/30 is typical of CN.").count == 1)
        #expect(low.issues(in: "An MMSE of 17/30 is typical of MCI.").count == 1)
        #expect(low.issues(in: "An ADAS-Cog 13 of 3/85 is typical of CN.").isEmpty)
        #expect(low.issues(in: "An ADAS-Cog 13 of 3/85 is characteristic of Dementia.").count == 1)
    }

    @Test func negationsComparisonsAndNeighboursAreNotTheCasesTypicality() {
        for hedged in ["The brain parenchymal fraction of 0.826 is not typical of Dementia.", "A BPF of 0.826 is less typical of dementia.",
                       "A BPF of 0.826 isn't typical of Dementia.", "The BPF of 0.826 does not appear consistent with dementia.",
                       "The BPF of 0.826 is higher than typically seen in Dementia.", "The BPF of 0.826 lies above the range typical of Dementia."] {
            #expect(checker.issues(in: hedged).isEmpty, "\(hedged)")
        }
        #expect(checker.issues(in: "The neighbours' brain parenchymal fractions are typical of Dementia.").isEmpty)
        #expect(checker.issues(in: "Dementia is consistent with the neighbours' vote.").isEmpty)
    }

    @Test func fromTheEvidence() {
        let evidence = Evidence(caseID: "c", demographics: "", readings: [
            .init(measure: "MMSE", value: 29, text: "29/30", interpretation: nil, percentiles: ["CN": 60, "MCI": 85, "Dementia": 99]),
        ], apoe: nil, neighbours: [], vote: .init(shares: [:], counts: [:], leading: .cn), encoder: nil, notes: [])
        let checker = TypicalityClaimChecker(evidence: evidence)
        #expect(checker.issues(in: "An MMSE of 29/30 is characteristic of dementia.").count == 1)
        #expect(checker.issues(in: "An MMSE of 29/30 is characteristic of cognitively normal subjects.").isEmpty)
    }

    @Test func theVerifierReportsItAsUnsupported() {
        let evidence = Evidence(caseID: "c", demographics: "", readings: [
            .init(measure: "MMSE", value: 29, text: "29/30", interpretation: nil, percentiles: ["CN": 60, "MCI": 85, "Dementia": 99]),
        ], apoe: nil, neighbours: [], vote: .init(shares: [:], counts: [:], leading: .cn), encoder: nil, notes: [])
        let verifier = AnswerVerifier(evidence: evidence, contextIDs: [], question: "How is this subject's cognition?")
        let answer = ParsedAnswer(diagnosis: nil, answer: "The MMSE is 29/30, which is typical of dementia.", findings: [],
                                  citedSubjectIDs: [], source: .structured)
        let verdict = verifier.verify(answer, finishReason: "stop")
        #expect(!verdict.isGrounded && verdict.issues.contains { $0.contains("typical of Dementia, but it lies at percentile 99") }, "\(verdict.issues)")
        // The same sentence in a finding about a neighbour is that neighbour's.
        let neighbour = ParsedAnswer(diagnosis: nil, answer: "The MMSE is 29/30.", findings: [.init(source: "941_S_0002", finding: "The MMSE is 29/30, which is typical of dementia.")],
                                     citedSubjectIDs: [], source: .structured)
        let second = AnswerVerifier(evidence: evidence, contextIDs: ["941_S_0002"], question: "How is this subject's cognition?")
        #expect(!second.verify(neighbour, finishReason: "stop").issues.contains { $0.contains("typical of") })
    }

    /// Rules 15: "among the lowest" above a named group's median (Qwen2.5-1.5B: a MoCA at the Dementia group's 94th
    /// percentile), or "among the highest" below it; no group named means all three.
    @Test func aRankClaimIsHeldToThePercentiles() {
        let moca = TypicalityClaimChecker(placed: [
            .init(measure: "MMSE", text: "14/30", percentiles: [.cn: 0, .mci: 0, .dementia: 20]),
            .init(measure: "MoCA", text: "24/30", percentiles: [.cn: 31, .mci: 70, .dementia: 94]),
        ])
        let wrong = moca.issues(in: "The case's MoCA score of 24/30 is among the lowest in the library's cognitively normal (CN), "
                                    + "mild cognitive impairment (MCI), and dementia groups, with percentile values of 31, 70, and 94.")
        #expect(wrong == ["calls the case's MoCA (24/30) among the lowest, but it lies at percentile 70 of the library's MCI subjects",
                          "calls the case's MoCA (24/30) among the lowest, but it lies at percentile 94 of the library's Dementia subjects"])
        #expect(moca.issues(in: "The case's MMSE of 14/30 is among the lowest in the library's CN, MCI and dementia groups.").isEmpty)
        #expect(moca.issues(in: "Its MoCA of 24/30 is among the highest of the library's Dementia subjects.").isEmpty)
        #expect(moca.issues(in: "Its MoCA of 24/30 is among the highest.").count == 1, "no group named: all three, CN's 31 is below the median")
        #expect(moca.issues(in: "Its MoCA of 24/30 is not among the lowest in the Dementia group.").isEmpty)
    }
}
