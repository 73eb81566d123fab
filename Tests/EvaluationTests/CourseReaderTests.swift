import Cohort
import Evaluation
import Testing

/// The course an answer's text states, for prognosis accuracy: negations and hedges read right, both or
/// neither is no course.
@Suite struct CourseReaderTests {
    @Test(arguments: [
        ("This subject is likely to progress to dementia within two years.", SubjectCourse.Outcome.progressed),
        ("Given the neighbours, the subject will probably convert to dementia.", .progressed),
        ("There is a high risk of progression to dementia.", .progressed),
        ("Progression to dementia is likely within 24 months.", .progressed),
        ("The subject is unlikely to progress within 24 months.", .stable),
        ("The subject is not expected to convert to dementia.", .stable),
        ("This subject is likely to remain stable over the next two years.", .stable),
        ("She will probably stay cognitively normal.", .stable),
        ("A low risk of decline is expected.", .stable),
        // From a review: a negation elsewhere in the sentence, or denied stability, is no stable reading.
        ("Although her MMSE is not yet low, she is likely to progress to dementia within 24 months.", .progressed),
        ("This subject is unlikely to remain stable and will probably progress to dementia.", .progressed),
        ("This CN subject will likely not remain CN.", .progressed),
    ])
    func aStatedCourseIsRead(text: String, course: SubjectCourse.Outcome) {
        #expect(CourseReader.course(in: text) == course, "\(text)")
    }

    @Test func bothOrNeitherIsNoCourse() {
        #expect(CourseReader.course(in: "The MMSE is 24 of 30 and the vote favours MCI.") == nil)
        #expect(CourseReader.course(in: "The subject may progress to dementia, or may remain stable.") == nil)
        #expect(CourseReader.course(in: "It is not clear whether the subject will progress.") == nil)
    }

    /// Memoir's templated prognosis and the QA references read as the course they state.
    @Test func theReferencesAndEvidenceAnswersReadAsTheirCourse() {
        #expect(CourseReader.course(in: "This subject is likely to progress: recorded MCI at baseline, dementia was recorded within 24 months.") == .progressed)
        #expect(CourseReader.course(in: "This subject is likely to remain stable: recorded MCI at baseline, no progression to dementia within 24 months.") == .stable)
        #expect(CourseReader.course(in: "Judging by its most similar subjects' courses, this case is likely to remain stable, without progression to dementia within 24 months. Of the 3 most similar MCI subjects, 1 progressed to dementia within 24 months.") == .stable)
        #expect(CourseReader.course(in: "Judging by its most similar subjects' courses, this case is likely to progress to dementia within 24 months. Of the 3 most similar MCI subjects, 2 progressed to dementia within 24 months.") == .progressed)
    }
}
