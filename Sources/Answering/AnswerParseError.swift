import Cohort

/// Why the model's text yields no answer.
public enum AnswerParseError: Error, Equatable, CustomStringConvertible {
    /// Neither a JSON diagnosis nor a diagnosis word in the text.
    case noDiagnosis(excerpt: String)
    /// JSON with a diagnosis outside CN / MCI / Dementia.
    case invalidDiagnosis(String, excerpt: String)
    /// Prose naming several groups with no "Diagnosis:" label to pick one.
    case ambiguous([Diagnosis], excerpt: String)
    /// A JSON object that never closes or does not parse (a reply cut mid-object, or broken JSON).
    case incompleteJSON(excerpt: String)

    public var description: String {
        switch self {
        case let .noDiagnosis(excerpt):
            return "the model's answer names no diagnosis (CN, MCI or Dementia): \(excerpt.isEmpty ? "(empty)" : excerpt)"
        case let .invalidDiagnosis(value, excerpt):
            return "the model's diagnosis '\(value)' is not one of CN, MCI, Dementia: \(excerpt)"
        case let .incompleteJSON(excerpt):
            return "the model's JSON answer is cut off or malformed: \(excerpt)"
        case let .ambiguous(found, excerpt):
            return "the model's answer names \(found.map(\.rawValue).joined(separator: " and ")) without a "
                + "'Diagnosis:' label to choose between them: \(excerpt)"
        }
    }
}
