import Answering
import Testing

@Suite struct QuestionKindTests {
    @Test func questionsAreRecognisedByKind() {
        let cases: [(String, QuestionKind)] = [
            ("What is the most likely diagnosis, and why?", .diagnosis),
            ("Does this subject have Alzheimer's disease?", .diagnosis),
            ("How severe is the cognitive impairment?", .severity),
            ("What do the MMSE and MoCA scores show?", .cognition),
            ("What does the APOE genotype mean for this subject?", .apoe),
            ("Compare this case with similar subjects.", .similarCases),
            ("Will this subject progress to dementia?", .prognosis),
            ("Is the subject left-handed?", .other),
        ]
        for (question, kind) in cases { #expect(QuestionKind.classify(question) == kind, "\(question)") }
        #expect(QuestionKind.diagnosis.asksForDiagnosis && !QuestionKind.severity.asksForDiagnosis)
    }

    @Test func theStreamedAnswerShowsOnlyTheAnswerText() {
        var reader = AnswerTextStream()
        let chunks = [#"{"diag"#, #"nosis": "MCI", "ans"#, #"wer": "MMSE is 24 \"low\"\nand"#, #" \u00e9tat", "findings": []}"#]
        #expect(chunks.map { reader.feed($0) }.joined() == "MMSE is 24 \"low\"\nand état")
        var prose = AnswerTextStream()
        #expect(prose.feed("  The case") + prose.feed(" fits MCI.") == "The case fits MCI.")
    }
}
