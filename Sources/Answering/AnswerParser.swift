import Cohort
import Foundation

/// Turns the model's text into a diagnosis, answer and cited subject ids: from the JSON object
/// the schema asks for when there is one, otherwise from the diagnosis words in the prose.
public struct AnswerParser: Sendable {
    /// Ids of the subjects given to the model; in prose, mentions of these count as citations.
    public var knownSubjectIDs: [String]

    public init(knownSubjectIDs: [String] = []) {
        self.knownSubjectIDs = knownSubjectIDs
    }

    public func parse(_ text: String) throws -> ParsedAnswer {
        let excerpt = LLMError.excerpt(Data(text.utf8), limit: 200)
        guard let object = Self.jsonObject(in: text) else {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return ParsedAnswer(diagnosis: try Self.diagnosis(inProse: trimmed, excerpt: excerpt), answer: trimmed,
                                citedSubjectIDs: mentionedIDs(in: trimmed), source: .freeText)
        }
        let answer = (object["answer"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard let label = object["diagnosis"] as? String else {
            // JSON without a diagnosis (no schema was enforced): read its prose instead.
            let prose = answer.isEmpty ? text : answer
            return ParsedAnswer(diagnosis: try Self.diagnosis(inProse: prose, excerpt: excerpt), answer: answer,
                                citedSubjectIDs: mentionedIDs(in: prose), source: .freeText)
        }
        guard let diagnosis = Diagnosis(label: label) ?? (try? Self.diagnosis(inProse: label, excerpt: excerpt)) else {
            throw AnswerParseError.invalidDiagnosis(label, excerpt: excerpt)
        }
        let cited = (object["cited_subject_ids"] as? [Any] ?? []).map { "\($0)".trimmingCharacters(in: .whitespaces) }
        return ParsedAnswer(diagnosis: diagnosis, answer: answer, citedSubjectIDs: cited.filter { !$0.isEmpty },
                            source: .structured)
    }

    /// The outermost {...} of the text (code fences and chatter around it are ignored).
    static func jsonObject(in text: String) -> [String: Any]? {
        guard let start = text.firstIndex(of: "{"), let end = text.lastIndex(of: "}"), start < end else { return nil }
        let data = Data(text[start...end].utf8)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    private static let labelled = regex(
        #"diagnos[ie]s[*_\s]*(?:is|:|=|-|–)?[*_\s]*(cognitively normal|mild cognitive impairment|alzheimer['’]?s?(?: disease)?|dementia|CN|MCI|AD)\b"#,
        caseInsensitive: true)
    private static let mentions: [(Diagnosis, NSRegularExpression)] = [
        (.cn, regex(#"\bCN\b"#)),
        (.cn, regex(#"\b(?:cognitively normal|normal cognition)\b"#, caseInsensitive: true)),
        (.mci, regex(#"\bMCI\b"#)),
        (.mci, regex(#"\bmild cognitive impairment\b"#, caseInsensitive: true)),
        (.dementia, regex(#"\bAD\b"#)),
        (.dementia, regex(#"\b(?:dementia|alzheimer)"#, caseInsensitive: true)),
    ]
    // "MCI due to Alzheimer's disease" names one group, not two.
    private static let aetiology = regex(#"due to alzheimer['’]?s?(?: disease)?"#, caseInsensitive: true)

    /// A "Diagnosis: X" label wins; otherwise the text must name exactly one group.
    static func diagnosis(inProse text: String, excerpt: String) throws -> Diagnosis {
        let whole = NSRange(text.startIndex..., in: text)
        if let match = labelled.firstMatch(in: text, range: whole), let range = Range(match.range(at: 1), in: text),
           let diagnosis = Diagnosis(label: String(text[range])) {
            return diagnosis
        }
        let cleaned = aetiology.stringByReplacingMatches(in: text, range: whole, withTemplate: "")
        let cleanedRange = NSRange(cleaned.startIndex..., in: cleaned)
        var found: [(position: Int, diagnosis: Diagnosis)] = []
        for (diagnosis, pattern) in mentions {
            if let match = pattern.firstMatch(in: cleaned, range: cleanedRange) { found.append((match.range.location, diagnosis)) }
        }
        var distinct: [Diagnosis] = []
        for item in found.sorted(by: { $0.position < $1.position }) where !distinct.contains(item.diagnosis) {
            distinct.append(item.diagnosis)
        }
        switch distinct.count {
        case 0: throw AnswerParseError.noDiagnosis(excerpt: excerpt)
        case 1: return distinct[0]
        default: throw AnswerParseError.ambiguous(distinct, excerpt: excerpt)
        }
    }

    /// Known ids that the text mentions, in order of first mention.
    private func mentionedIDs(in text: String) -> [String] {
        knownSubjectIDs.compactMap { id in text.range(of: id).map { (id, $0.lowerBound) } }
            .sorted { $0.1 < $1.1 }.map(\.0)
    }

    private static func regex(_ pattern: String, caseInsensitive: Bool = false) -> NSRegularExpression {
        try! NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
    }
}
