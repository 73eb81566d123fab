@testable import Answering
import Cohort
import Foundation
import Testing

/// v7 lays the answer out by the question's kind (`AnswerPlan`): each part opens on a different fact of the case, and every
/// sentence is bounded in words, so a looping small model must end its sentence instead of running to the token budget.
@Suite struct PromptVersionSevenTests {
    static let ids = ["941_S_0001", "941_S_0002"]
    static let allMeasures = ["MMSE", "MoCA", "ADAS-Cog 13", "brain parenchymal fraction", "APOE genotype"]

    /// The answer pattern and the two finding patterns v7 sends for one question, with the second finding's sources.
    struct Patterns {
        let answer: NSRegularExpression
        let findings: [NSRegularExpression]
        let secondSources: [String]
        let minimumCitations: Int?
    }

    func patterns(_ kind: QuestionKind, measures: [String] = allMeasures, ids: [String] = ids,
                  supported: [Diagnosis] = [.mci]) throws -> Patterns {
        let schema = try SentSchema(version: "v7", citing: ids, kind: kind, supported: supported, caseMeasures: measures)
        let fields = try schema.findingFields()
        return Patterns(answer: try schema.pattern("answer"), findings: try schema.findingPatterns(),
                        secondSources: try #require(fields[1]["source"]?["enum"] as? [String]),
                        minimumCitations: schema.properties["cited_subject_ids"]?["minItems"] as? Int)
    }

    func matches(_ regex: NSRegularExpression, _ text: String) -> Bool { SentSchema.matches(regex, text) }

    @Test func cognitionOpensEachPartOnADifferentScore() throws {
        let p = try patterns(.cognition)
        #expect(matches(p.answer, "The case's MMSE is 24/30, in the mild-impairment band (NICE TA217)."))
        #expect(!matches(p.answer, "The subject's cognitive test results are as follows: 85-year-old man, 15 years of education."),
                "v6's commonest cognition reply: the demographics given as scores")
        #expect(matches(p.findings[0], "The case's MoCA is 21/30, below the cut-off of 26 (Nasreddine et al. 2005)."))
        #expect(!matches(p.findings[0], "The case's MMSE is 24/30."), "the answer's score again")
        #expect(matches(p.findings[1], "The case's ADAS-Cog 13 is 20.33/85."))
        #expect(p.secondSources == ["case"] && p.minimumCitations == 0)
    }

    @Test func withOneCognitiveScoreTheSecondFindingNamesANeighbour() throws {
        let p = try patterns(.cognition, measures: ["MMSE", "brain parenchymal fraction"])
        #expect(matches(p.answer, "The case's MMSE is 28/30."))
        #expect(matches(p.findings[0], "The case's brain parenchymal fraction is 0.826."))
        #expect(!matches(p.findings[0], "The case's MMSE is 28/30."))
        #expect(matches(p.findings[1], "941_S_0002 was recorded MCI with MMSE 25/30."))
        #expect(p.secondSources == Self.ids && p.minimumCitations == 1)
    }

    @Test func severityFindingsOpenOnTheMMSEAndTheMoCA() throws {
        let p = try patterns(.severity)
        #expect(matches(p.answer, "The impairment is mild: both scores lie in their mild bands."), "the answer itself is free")
        #expect(matches(p.findings[0], "The case's MMSE is 24/30."))
        #expect(matches(p.findings[1], "The case's MoCA is 21/30."))
        #expect(!matches(p.findings[1], "The case's MMSE is 24/30."), "v6's commonest severity reply: one finding twice")
    }

    @Test func anAPOEAnswerOpensOnTheGenotype() throws {
        let p = try patterns(.apoe)
        #expect(matches(p.answer, "The case's APOE genotype is ε3/ε4: one ε4 allele, about 3 times the risk (Farrer et al. 1997)."))
        #expect(!matches(p.answer, "The patient carries one ε4 allele."))
        #expect(!matches(p.findings[0], "The case's APOE genotype is ε3/ε4."), "the first finding is about another measure")
        #expect(matches(p.findings[0], "The case's MMSE is 24/30."))
        #expect(matches(p.findings[1], "941_S_0001 carries ε3/ε4 and was recorded Dementia."))
        // Without a recorded genotype the answer is free (it must say none is recorded).
        let unknown = try patterns(.apoe, measures: ["MMSE"])
        #expect(matches(unknown.answer, "The evidence records no APOE genotype for this case."))
    }

    @Test func aDiagnosisAnswerKeepsV6sLayout() throws {
        let p = try patterns(.diagnosis, supported: [.dementia])
        #expect(matches(p.answer, "The evidence points to Dementia because 4 of 5 similar subjects were Dementia."))
        #expect(!matches(p.answer, "The evidence points to MCI because the vote says so."))
        #expect(matches(p.findings[0], "The case's MoCA is 18/30."))
        #expect(matches(p.findings[1], "941_S_0001 was recorded Dementia with MMSE 20/30."))
        #expect(p.secondSources == Self.ids && p.minimumCitations == 1)
        // With no subjects to name, the second finding falls back to the model's choice and needs no citation.
        let alone = try patterns(.diagnosis, ids: [])
        #expect(alone.secondSources == ["case"] && alone.minimumCitations == 0)
        #expect(matches(alone.findings[1], "The brain parenchymal fraction is 0.826."))
    }

    @Test func sentencesAreBoundedInWords() throws {
        let p = try patterns(.similarCases)
        let thirty = (1...30).map { _ in "word" }.joined(separator: " ")
        #expect(matches(p.answer, "\(thirty)."))
        #expect(!matches(p.answer, "\(thirty) more."), "31 words")
        #expect(matches(p.answer, "\(thirty). \(thirty)."), "two sentences")
        #expect(!matches(p.answer, "One. Two. Three."), "at most two sentences")
        #expect(!matches(p.answer, "MCI 99.0.0.0.0.1.1 and so on."), "SmolLM2's dotted loops form no word")
        #expect(!matches(p.answer, "The case'sscore98%ofthecase&and more."), "a word of more than 20 characters")
        #expect(matches(p.answer, "BPF 0.826; MMSE 26.5/30, impaired (Nasreddine et al. 2005)."), "decimals and citations continue a sentence")
        #expect(matches(p.findings[0], "The case's MMSE is 24/30."))
        #expect(!matches(p.findings[0], "The case's MMSE is 24/30. It is low."), "a finding is one sentence")
    }

    @Test func thePlanNamesNoMeasureTheCaseLacks() {
        let plan = AnswerPlan(kind: .cognition, citing: Self.ids, supported: [.mci], caseMeasures: ["ADAS-Cog 13"])
        #expect(plan.answerOpening == "The case's ADAS-Cog 13 ")
        #expect(plan.firstFindingOpenings == ["The case's "], "nothing else recorded: the model names the measure")
        let none = AnswerPlan(kind: .cognition, citing: Self.ids, supported: [.mci], caseMeasures: ["brain parenchymal fraction"])
        #expect(none.answerOpening.isEmpty && none.secondFindingOpenings.isEmpty)
    }
}
