@testable import Answering
import Cohort
import Testing

/// The neighbours' later courses in the evidence: what the LLM reads, and Memoir's own prognosis from them.
@Suite struct LaterCoursesTests {
    static func evidence(leading: Diagnosis, courses: [Prognosis]?) -> Evidence {
        Evidence(caseID: "941_S_0009", demographics: "74-year-old woman", readings: [], apoe: nil, neighbours: [],
                 vote: .init(shares: [leading.rawValue: 1], counts: [leading.rawValue: 5], leading: leading), encoder: nil,
                 notes: [], courses: courses)
    }

    static func mci(_ outcomes: [SubjectCourse.Outcome?]) -> Prognosis {
        Prognosis(group: .mci, target: .dementia, horizonMonths: 24, neighbours: outcomes.enumerated().map {
            .init(caseID: "941_S_000\($0.offset)", subject: "941_S_000\($0.offset)", outcome: $0.element)
        })
    }

    @Test func theLLMReadsTheNeighboursCoursesAsTheirsNotTheCases() {
        let e = Self.evidence(leading: .mci, courses: [Self.mci([.progressed, .progressed, .stable, .censored])])
        #expect(e.promptText.contains("LATER COURSES (the neighbours' recorded follow-up, not this case's): Of the 4 most similar MCI subjects, 2 progressed to dementia within 24 months (1 not followed that long)."))
        #expect(!Self.evidence(leading: .mci, courses: nil).promptText.contains("LATER COURSES"))
        #expect(Self.mci([.stable]).statement == "The most similar MCI subject did not progress to dementia within 24 months.")
    }

    @Test func memoirsOwnPrognosisFollowsTheLeadingGroupsMajority() {
        let progress = EvidenceAnswer.answer(Self.evidence(leading: .mci, courses: [Self.mci([.progressed, .progressed, .stable])]), kind: .prognosis)
        #expect(progress.answer.hasPrefix("Judging by its most similar subjects' courses, this case is likely to progress to dementia within 24 months."))
        let stable = EvidenceAnswer.answer(Self.evidence(leading: .mci, courses: [Self.mci([.stable, .stable, .progressed])]), kind: .prognosis)
        #expect(stable.answer.contains("likely to remain stable"))
        let split = EvidenceAnswer.answer(Self.evidence(leading: .mci, courses: [Self.mci([.stable, .progressed])]), kind: .prognosis)
        #expect(split.answer.contains("split"))
        let none = EvidenceAnswer.answer(Self.evidence(leading: .mci, courses: nil), kind: .prognosis)
        #expect(none.answer.hasPrefix("No follow-up visits are recorded"))
        let dementia = EvidenceAnswer.answer(Self.evidence(leading: .dementia, courses: [Self.mci([.stable])]), kind: .prognosis)
        #expect(dementia.answer.contains("none worse to progress to") && dementia.answer.contains("weighted vote leads"))
        let unknown = EvidenceAnswer.answer(Self.evidence(leading: .mci, courses: [Self.mci([.progressed, .censored, nil])]), kind: .prognosis)
        #expect(unknown.answer.hasPrefix("Too few of the most similar subjects were followed 24 months"))
    }

    @Test func aPrognosisQuestionIsRecognised() {
        #expect(QuestionKind.classify("Is this subject likely to progress to a worse diagnosis within the next two years?") == .prognosis)
        #expect(QuestionKind.classify("What course is expected for this subject over the next 24 months: progression or stability?") == .prognosis)
    }
}
