import Cohort

/// The model's answer in Memoir's terms.
public struct ParsedAnswer: Sendable, Equatable {
    public enum Source: String, Sendable {
        /// Read from the JSON object the schema asks for.
        case structured
        /// Recovered from prose because no usable JSON object was there.
        case freeText
    }

    public var diagnosis: Diagnosis
    public var answer: String
    public var citedSubjectIDs: [String]
    public var source: Source

    public init(diagnosis: Diagnosis, answer: String, citedSubjectIDs: [String], source: Source) {
        self.diagnosis = diagnosis
        self.answer = answer
        self.citedSubjectIDs = citedSubjectIDs
        self.source = source
    }
}
