import Answering
import Testing

/// Numbers bound to the measure named before them: each class of error the audited replies made is caught,
/// and the ways a correct answer states the same values pass.
@Suite struct MeasureClaimCheckerTests {
    let checker = MeasureClaimChecker(
        caseValues: [.percentile: [31, 52, 95, 68, 36, 9, 5, 24, 84], .brainFraction: [0.822], .scores: [29, 22, 19.67, 14.33],
                     .education: [13], .share: [0.59, 0.41, 0, 0.19, 0.69, 0.13, 0.39, 0.27, 0.64], .cdrsb: [1.7, 1.1]],
        neighbourValues: [.similarity: [0.999, 0.998, 0.993], .scores: [30, 21, 16, 25, 26.67]],
        scale: [27, 30, 26, 21, 85, 70, 3, 1997])

    func messages(_ text: String) -> [String] { checker.issues(in: text).map(\.message) }

    @Test func numbersOnTheWrongMeasureAreCaught() {
        #expect(messages("The subject's cognitive test scores are 81, 13 and 95.").count == 3)
        #expect(messages("The estimate is 0.822, an 82.2% chance of Alzheimer's.").count == 2)
        #expect(messages("The brain parenchymal fraction is 0.822, which is below 26.") == ["states a brain parenchymal fraction cut-off of 26, which the evidence does not give"])
        #expect(messages("The MMSE lies in a 27–30 percentile among the library.").first?.hasPrefix("gives a percentile range") == true)
        #expect(messages("The CDR-SB is 1.7, in the mild range.").first?.contains("withheld") == true)
        #expect(messages("The subject's impairment is mild, with a similarity of 0.999.").count == 1)
        #expect(messages("The most similar subjects have a brain parenchymal fraction of 0.822.") == ["gives the case's brain parenchymal fraction 0.822 to the neighbours; the evidence gives them none"])
    }

    @Test func correctStatementsPass() {
        for text in [
            "The brain parenchymal fraction of 0.822 lies at the 84th percentile of the library's Dementia subjects.",
            "The neighbours' vote gives MCI 59% and the encoder's estimate MCI 69%, a prediction.",
            "Memoir's reading leads with MCI at 64%.",
            "The encoder estimates a CDR-SB of 1.7 (typical error ±1.1), a prediction rather than a record.",
            "The case's scores of 29 and 22 sit beside the closest neighbour's 30 and 21, with a similarity of 0.999 to 941_S_0001.",
            "An 81-year-old man with 13 years of education; 3 of 5 neighbours are MCI.",
            "One ε4 allele carries about 3 times the Alzheimer's risk of ε3/ε3 (Farrer et al. 1997).",
        ] {
            #expect(messages(text).isEmpty, "\(text): \(messages(text))")
        }
    }
}
