import Cohort

/// The model's answer in Memoir's terms.
public struct ParsedAnswer: Sendable, Equatable, Codable {
    public enum Source: String, Sendable, Codable {
        /// Read from the JSON object the schema asks for.
        case structured
        /// Recovered from prose because no usable JSON object was there.
        case freeText
    }

    /// One finding and what it rests on: "case", or a historical subject's id.
    public struct Finding: Sendable, Equatable, Codable {
        public var source: String
        public var finding: String

        public init(source: String, finding: String) {
            self.source = source
            self.finding = finding
        }
    }

    /// The diagnosis field; nil when the question did not ask for one.
    public var diagnosis: Diagnosis?
    public var answer: String
    public var findings: [Finding]
    public var citedSubjectIDs: [String]
    public var source: Source

    public init(diagnosis: Diagnosis?, answer: String, findings: [Finding] = [], citedSubjectIDs: [String], source: Source) {
        self.diagnosis = diagnosis
        self.answer = answer
        self.findings = findings
        self.citedSubjectIDs = citedSubjectIDs
        self.source = source
    }
}
