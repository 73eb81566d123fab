import Foundation

/// What a question asks for, recognised by Memoir (not the LLM) so each kind gets a fitting answer: only a
/// diagnosis question gets a diagnosis field; a prognosis question is told the evidence holds no follow-up.
public enum QuestionKind: String, Sendable, Codable, CaseIterable {
    case diagnosis, severity, cognition, apoe, similarCases = "similar_cases", prognosis, other

    /// Keyword rules, most specific first ("Will this MCI subject progress to dementia?" is prognosis).
    public static func classify(_ question: String) -> QuestionKind {
        let q = question.lowercased()
        func has(_ words: [String]) -> Bool { words.contains { q.contains($0) } }
        if has(["progress", "convert", "prognos", "future", "will this", "will the", "will he", "will she", "going to", "decline over", "next year",
                "trajectory", "outlook", "course"]) { return .prognosis }
        if has(["similar", "neighbour", "neighbor", "compare", "comparison", "other subjects", "historical", "retrieved"]) {
            return .similarCases
        }
        if has(["apoe", "ε4", "e4 ", "e4?", "genotype", "genetic", "allele"]) { return .apoe }
        if has(["sever", "stage", "how advanced", "how far", "cdr", "how bad", "mild or", "moderate"]) { return .severity }
        if has(["mmse", "moca", "adas", "cognitive score", "cognitive test", "memory", "cognition", "test results", "scores"]) {
            return .cognition
        }
        if has(["diagnos", "classif", "which group", "alzheimer", "dementia", "mci", "cognitively normal", "what does"]) {
            return .diagnosis
        }
        return .other
    }

    /// Whether the answer rests on the five neighbours as well as the case (from v5 one finding must name one of them).
    public var leansOnNeighbours: Bool { self == .diagnosis || self == .similarCases || self == .prognosis }

    /// Whether the answer schema carries a diagnosis field.
    public var asksForDiagnosis: Bool { self == .diagnosis }

    /// The line the prompt puts under the question.
    public var instruction: String {
        switch self {
        case .diagnosis: "Give the most likely diagnosis (CN, MCI or Dementia) and the findings that support it."
        case .severity: "Say how severe the impairment is from the case's scores and their bands; give no diagnosis label."
        case .cognition: "Describe the case's cognitive scores and where they stand among the library's groups."
        case .apoe: "Say what the case's APOE genotype means for Alzheimer's risk, as the evidence states it."
        case .similarCases: "Compare the case with the five similar subjects: what they share and how they differ."
        case .prognosis: "Say whether this case is likely to progress or to remain stable, from the neighbours' LATER COURSES (other subjects' follow-up, not this case's) and the current findings; if no later courses are given, say that no follow-up is recorded."
        case .other: "Answer from the evidence only; if it cannot answer the question, say so."
        }
    }
}
