@testable import Answering
import Cohort
import Foundation
import Testing

/// Rules 32 (`NeighbourSummaryClaimChecker`), from Qwen2.5-Coder-1.5B's wrong sentences under prompt v10 that rules 31 passed,
/// on the demo case's evidence: its five were recorded Dementia, Dementia, Dementia, Dementia, MCI, with MMSE 30, 26, 22, 28,
/// 29, MoCA 15, 22, 21, 26, 19 and ADAS-Cog 13 31, 26.33, 20.33, 15.67, 23.67.
@Suite struct RulesThirtyTwoTests {
    func verdict(_ text: String, kind: QuestionKind = .similarCases) throws -> Verdict {
        try RulesThirtyTests().verdict(text, kind: kind)
    }

    @Test func oneDiagnosisGivenToFiveWhoseRecordsDifferIsCaught() throws {
        for wrong in ["The most similar subjects to this case have a diagnosis of Dementia, with MMSE scores of 30 and 26.",
                      "The subjects most similar to this case are Dementia.",
                      "Of the 5 most similar subjects, all 5 were recorded Dementia.",
                      "All five similar subjects were diagnosed with dementia."] {
            let v = try verdict(wrong)
            #expect(v.issues.contains { $0.hasPrefix("gives the five most similar subjects one diagnosis, Dementia") }, "\(wrong): \(v.issues)")
        }
        for right in ["4 of the 5 most similar subjects were recorded Dementia (87% of the similarity-weighted vote).",
                      "The most similar subjects have diagnoses of Dementia and MCI.",
                      "Most of the most similar subjects were recorded Dementia."] {
            let v = try verdict(right)
            #expect(!v.issues.contains { $0.hasPrefix("gives the five") }, "\(right): \(v.issues)")
        }
    }

    @Test func aCountOfTheFiveMustBeTheirs() throws {
        let wrong = try verdict("Of the 5 most similar subjects, 3 were recorded Dementia and 2 were recorded MCI.")
        #expect(wrong.issues.contains { $0.hasPrefix("says 3 of the five were recorded Dementia") }, "\(wrong.issues)")
        #expect(wrong.issues.contains { $0.hasPrefix("says 2 of the five were recorded MCI") }, "\(wrong.issues)")
        let right = try verdict("Of the 5 most similar subjects, 4 were recorded Dementia and 1 was recorded MCI.")
        #expect(right.isGrounded, "\(right.issues)")
        let words = try verdict("Among the similar subjects, four of them were diagnosed with dementia and one was recorded CN.")
        #expect(words.issues.contains { $0.hasPrefix("says 1 of the five were recorded CN") }, "\(words.issues)")
        #expect(!words.issues.contains { $0.hasPrefix("says 4") }, "\(words.issues)")
    }

    @Test func aRangeOfTheFivesScoresMustBeTheirs() throws {
        let wrong = try verdict("Of the 5 most similar subjects, 4 were recorded Dementia and 1 was recorded MCI; their MMSE ranges from 22 to 29.")
        #expect(wrong.issues.contains { $0.hasPrefix("gives the five's MMSE as ranging from 22 to 29; it ranges from 22 to 30") }, "\(wrong.issues)")
        let moca = try verdict("Their MoCA scores range from 19 to 26.")
        #expect(moca.issues.contains { $0.hasPrefix("gives the five's MoCA as ranging from 19 to 26; it ranges from 15 to 26") }, "\(moca.issues)")
        let right = try verdict("Their MMSE ranges from 22 to 30, their MoCA ranges from 15 to 26 and their ADAS-Cog 13 ranges from 15.67 to 31.")
        #expect(right.isGrounded, "\(right.issues)")
    }

    @Test func oneSubjectsValueGivenAsTheFivesIsCaught() throws {
        let wrong = try verdict("The subjects most similar to this case have a diagnosis of Dementia and MCI, with a MMSE score of 26 and a MoCA score of 22.")
        #expect(wrong.issues.contains { $0.hasPrefix("gives the five most similar subjects MMSE 26 as if all had it") }, "\(wrong.issues)")
        #expect(wrong.issues.contains { $0.hasPrefix("gives the five most similar subjects MoCA 22 as if all had it") }, "\(wrong.issues)")
        for right in ["The most similar subjects have MMSE scores of 30, 26, 22, 28 and 29.",
                      "The most similar subjects have MMSE scores of 30, 26, 22, 28, and 29, respectively.",
                      "Their MMSE ranges from 22 to 30 among the similar subjects.",
                      "Among the most similar subjects, 413_S_0205 has an MMSE of 26."] {
            let v = try verdict(right)
            #expect(!v.issues.contains { $0.contains("as if all had it") }, "\(right): \(v.issues)")
        }
    }

    @Test func theCasePlacedInAGroupIsCaught() throws {
        for wrong in ["The case's MMSE of 26/30 is in the mild cognitive impairment (MCI) group, which has a percentile of 16 among library CN, MCI, and Dementia subjects.",
                      "The case's MMSE of 26/30 is in the library's Dementia group, with a percentile of 88."] {
            let v = try verdict(wrong, kind: .cognition)
            #expect(v.issues.contains { $0.hasPrefix("places the case in the") }, "\(wrong): \(v.issues)")
        }
        let right = try verdict("The case's MMSE is 26/30; percentile among library CN 5, MCI 16, Dementia 88.", kind: .cognition)
        #expect(right.isGrounded, "\(right.issues)")
    }

    /// Right sentences a review found the first rules 32 flagged, and wrong ones they let through.
    @Test func reviewedFalseAlarmsPassAndReviewedBypassesAreCaught() throws {
        for right in ["4 of the 5 closest neighbours were recorded Dementia.",
                      "Of the similar subjects, all but one were recorded Dementia.",
                      "Not all of the similar subjects were recorded Dementia.",
                      "Of the similar subjects, all five were recorded MCI or Dementia.",
                      "The most similar subjects were recorded Dementia (4) and MCI (1).",
                      "Among the similar subjects, the closest one was recorded Dementia.",
                      "The most similar subjects have MMSE scores of 22 or above.",
                      "The most similar subjects with an MMSE of 22 were recorded Dementia.",
                      "The case's MMSE of 26/30 places it in the MCI group's 16th percentile.",
                      "The case's ADAS-Cog 13 of 7.33/85 is at percentile 30 among the library's MCI subjects."] {
            let v = try verdict(right)
            #expect(!v.issues.contains { $0.hasPrefix("gives the five") || $0.hasPrefix("says ") || $0.hasPrefix("places the case") }, "\(right): \(v.issues)")
        }
        for (wrong, issue) in [("Their MMSE is 26.", "gives the five most similar subjects MMSE 26 as if all had it"),
                               ("Three neighbours were diagnosed with MCI.", "says 3 of the five were recorded MCI"),
                               ("Among the similar subjects, 3 had Dementia.", "says 3 of the five were recorded Dementia"),
                               ("Their MoCA ranged from 19 to 26.", "gives the five's MoCA as ranging from 19 to 26"),
                               ("The case falls in the MCI group.", "places the case in the MCI group"),
                               ("The case's ADAS-Cog 13 of 7.33/85 is in the library's CN group.", "places the case in the CN group")] {
            let v = try verdict(wrong)
            #expect(v.issues.contains { $0.hasPrefix(issue) }, "\(wrong): \(v.issues)")
        }
    }
}
