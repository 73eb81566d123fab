import Answering
import Testing

/// Rules 15: a comparison whose own numbers contradict its direction.
@Suite struct ComparisonClaimCheckerTests {
    @Test func aComparisonItsNumbersContradictIsCaught() {
        let wrong = ComparisonClaimChecker.issues(in: "However, the patient's MoCA score is lower (21/30) compared to the most similar subjects (20/30).")
        #expect(wrong == ["\"lower (21/30) compared to the most similar subjects (20/30)\" calls 21 lower than 20"])
        #expect(ComparisonClaimChecker.issues(in: "An MMSE of 28/30 is higher than the neighbours' (29/30).").count == 1)
        #expect(ComparisonClaimChecker.issues(in: "ADAS-Cog 13 (24.33) is lower than subject 2's (24.33).").isEmpty,
                "only a stated score or a parenthesised number comes first in the number-first form")
        #expect(ComparisonClaimChecker.issues(in: "Its ADAS-Cog 13 is lower (24.33) compared to the top neighbour (31).").isEmpty)
    }

    @Test func rightComparisonsAndOtherNumbersPass() {
        for sentence in [
            "The patient's MoCA score is higher (21/30) compared to the most similar subjects (20/30).",
            "An MMSE of 26/30 is lower than the neighbours' 29/30.",
            "The MMSE is lower than that of 3 of the 5 neighbours (MMSE 29 and 30).",
            "MMSE 24/30, lower than the mild band's upper end.",
        ] {
            #expect(ComparisonClaimChecker.issues(in: sentence).isEmpty, "\(sentence): \(ComparisonClaimChecker.issues(in: sentence))")
        }
    }
}
