import Foundation

/// Everything one VQA evaluation run produced: per-question records plus the settings needed
/// to reproduce it. Plain Codable, filled by `memoir eval vqa` and rendered by `EvaluationReport`.
public struct EvaluationResults: Sendable, Equatable, Codable {
    public var title: String
    /// ISO 8601 time the run finished.
    public var date: String
    /// Reproducibility facts as shown in the report, in order: model hashes, prompt version, seed,
    /// temperature, QA file SHA-256, BERTScore hash, …
    public var settings: [Setting]
    public var questions: [QuestionResult]

    public struct Setting: Sendable, Equatable, Codable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) { (self.name, self.value) = (name, value) }
    }

    public init(title: String = "Memoir VQA evaluation", date: String, settings: [Setting], questions: [QuestionResult]) {
        (self.title, self.date, self.settings, self.questions) = (title, date, settings, questions)
    }
}
