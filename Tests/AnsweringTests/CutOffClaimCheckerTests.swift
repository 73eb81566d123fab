import Answering
import Testing

/// Rules 15: what a sentence about the case says of its MMSE or MoCA against the score's own cut-off, and cut-offs
/// claimed for measures the evidence gives none. The wrong phrasings are Qwen2.5-1.5B's; the right ones pass.
@Suite struct CutOffClaimCheckerTests {
    let unimpaired = CutOffClaimChecker(mmse: 28, moca: 29)
    let impaired = CutOffClaimChecker(mmse: 24, moca: 21)

    @Test func anUnimpairedScoreCalledImpairedIsCaught() {
        #expect(unimpaired.issues(in: "The MMSE score of 28 is in the borderline range (27–30), indicating a mild cognitive impairment (MCI).")
            == ["says MMSE 28/30 is \"indicating a mild cognitive impairment\", but 27–30 is no impairment by the cut-off the evidence gives"])
        let both = unimpaired.issues(in: "The case's MMSE score of 28/30 is below the usual cut-off for MCI, and its MoCA score of 29/30 is also below the usual cut-off.")
        #expect(both.count == 2 && both[1].hasPrefix("says MoCA 29/30 is \"below the usual cut-off\""), "\(both)")
        #expect(unimpaired.issues(in: "A Mini-Mental score of 28 points to dementia.").count == 1)
    }

    @Test func aCutOffForAMeasureWithoutOneIsCaught() {
        #expect(unimpaired.issues(in: "ADAS-Cog 13 23.33/85 (lower than the usual cut-off), ADAS-Cog 11 16.67/70.")
            == ["speaks of a cut-off for ADAS-Cog, which the evidence gives none"])
        // A reading of such a measure is no cut-off claim.
        #expect(unimpaired.issues(in: "An ADAS-Cog 13 of 23.33 suggests MCI.").isEmpty)
    }

    /// Rules 17, the converse: an impaired score said to show no impairment.
    @Test func anImpairedScoreCalledUnimpairedIsCaught() {
        let issues = CutOffClaimChecker(mmse: 29, moca: 21).issues(in:
            "The MoCA score of 21 is below the threshold for mild cognitive impairment (Nasreddine et al. 2005), indicating no cognitive impairment.")
        #expect(issues == ["says MoCA 21/30 is \"indicating no cognitive impairment\", but below 26 is impaired by the cut-off the evidence gives"])
        #expect(CutOffClaimChecker(mmse: 29, moca: 21).issues(in: "The MMSE of 29 is in the normal range, indicating no cognitive impairment.").isEmpty)
        #expect(impaired.issues(in: "The MMSE of 24 suggests normal cognition.").count == 1)
    }

    @Test func rightReadingsDenialsAndNeighboursPass() {
        let mixed = CutOffClaimChecker(mmse: 28, moca: 21)
        for sentence in [
            "The patient's MMSE is 28/30 and its MoCA 21/30, neither indicating impairment on the MMSE's cut-off alone.",
            "MMSE 28/30 does not indicate impairment, but the MoCA of 21 suggests MCI.",
            "The MMSE of 28/30 is in the no-impairment band; the neighbours' vote points to MCI.",
            "Subject 941_S_0001 has MMSE 29, consistent with MCI.",
            "The MMSE is 28 and the MoCA 21/30, suggesting mild cognitive impairment.",
        ] {
            #expect(mixed.issues(in: sentence).isEmpty, "\(sentence): \(mixed.issues(in: sentence))")
        }
        #expect(mixed.issues(in: "An MMSE of 28 may indicate MCI.").count == 1, "the base form is a claim too")
        // With scores in their impaired bands, the same claims are right.
        #expect(impaired.issues(in: "The MMSE score of 24 indicates a mild cognitive impairment, and the MoCA of 21 is below the usual cut-off.").isEmpty)
        #expect(CutOffClaimChecker(mmse: nil, moca: nil).issues(in: "The MMSE of 28 indicates MCI.").isEmpty, "no MMSE in the evidence: no band to hold it to")
    }
}
