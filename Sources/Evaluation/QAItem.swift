import Cohort
import Foundation

/// One question of a QA set, one line of its JSONL file (schema: Fixtures/qa/README.md).
public struct QAItem: Sendable, Equatable, Codable {
    public enum Category: String, Sendable, Codable, CaseIterable {
        case diagnosis, severity, cognition, apoe
        case similarCases = "similar_cases"
        /// Built for CN and MCI baseline cases whose own 24-month course is recorded (a longitudinal store).
        case prognosis
    }

    /// Unique within the set: "<case_id>/<category>".
    public var id: String
    public var caseID: String
    public var question: String
    public var reference: String
    public var category: Category
    /// Only for diagnosis questions: the case's recorded diagnosis, what the answer must name.
    public var expectedDiagnosis: Diagnosis?
    /// Where the reference comes from, e.g. "record" or "record+library-neighbours(k=5)".
    public var source: String
    /// Only for prognosis questions: the case's own recorded course (progressed or stable), what the answer must say.
    public var expectedCourse: SubjectCourse.Outcome?

    public init(id: String, caseID: String, question: String, reference: String, category: Category,
                expectedDiagnosis: Diagnosis? = nil, source: String) {
        (self.id, self.caseID, self.question, self.reference) = (id, caseID, question, reference)
        (self.category, self.expectedDiagnosis, self.source) = (category, expectedDiagnosis, source)
    }

    enum CodingKeys: String, CodingKey {
        case id, question, reference, category, source
        case caseID = "case_id"
        case expectedDiagnosis = "expected_diagnosis"
        case expectedCourse = "expected_course"
    }
}
