import Cohort
import Testing

/// The prognosis read off a query's neighbours: its own diagnosis group, never its own subject's other visits.
@Suite struct PrognosisEstimatorTests {
    static func visit(_ subject: String, _ code: String, months: Double, _ diagnosis: Diagnosis) -> StoredCase {
        StoredCase(record: CaseRecord(subjectID: subject + "@" + code, diagnosis: diagnosis,
                                      visit: VisitInfo(subjectID: subject, code: code, months: months)),
                   split: .train, measures: ImageMeasures(), caption: "")
    }

    static func course(_ subject: String, _ points: [(Double, Diagnosis)]) -> SubjectCourse {
        SubjectCourse(subjectID: subject, points: points.map { CoursePoint(code: "m\(Int($0.0))", months: $0.0, diagnosis: $0.1) })
    }

    @Test func theQuerysOwnVisitsAreNotItsNeighbours() throws {
        let query = Self.visit("S1", "bl", months: 0, .mci).record
        // Nearest first: the query subject's own later visit (which progressed), then two other MCI subjects, a CN one.
        let neighbours = [Self.visit("S1", "m12", months: 12, .mci), Self.visit("S2", "bl", months: 0, .mci),
                          Self.visit("S3", "bl", months: 0, .cn), Self.visit("S4", "bl", months: 0, .mci)]
        let courses = ["S1": Self.course("S1", [(0, .mci), (12, .mci), (24, .dementia)]),
                       "S2": Self.course("S2", [(0, .mci), (24, .mci)]),
                       "S4": Self.course("S4", [(0, .mci), (12, .dementia)])]
        let p = try #require(PrognosisEstimator.prognosis(of: query, neighbours: neighbours, courses: courses, k: 5, horizonMonths: 24))
        #expect(p.group == .mci && p.target == .dementia)
        #expect(p.neighbours.map(\.caseID) == ["S2@bl", "S4@bl"])
        #expect(p.progressed == 1 && p.stable == 1)
        // Without the exclusion the subject's own course would have counted.
        let unfiltered = try #require(PrognosisEstimator.prognosis(group: .mci, neighbours: neighbours, courses: courses, k: 5))
        #expect(unfiltered.neighbours.map(\.subject).contains("S1"))
        // Dementia has no worse stage.
        #expect(PrognosisEstimator.prognosis(of: Self.visit("S9", "bl", months: 0, .dementia).record, neighbours: neighbours,
                                             courses: courses) == nil)
    }

    @Test func theFilterKeepsElementsOfOtherOrUnknownSubjects() {
        let query = Self.visit("S1", "bl", months: 0, .cn).record
        let subjects: [String: String] = ["a": "S1", "b": "S2"]
        #expect(["a", "b", "c"].excludingSubject(of: query) { subjects[$0] } == ["b", "c"])
        // A one-row-per-subject cohort: the case id is the subject.
        let plain = CaseRecord(subjectID: "S7", diagnosis: .cn)
        #expect([StoredCase(record: plain, split: .test, measures: ImageMeasures(), caption: "")].excludingSubject(of: plain).isEmpty)
    }
}
