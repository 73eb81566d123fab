import Cohort
import Foundation

/// Turns the model's text into an answer, its findings, a diagnosis (when the question asked for one) and
/// cited subject ids: from the JSON object the schema asks for when there is one, otherwise from the prose.
public struct AnswerParser: Sendable {
    /// Ids of the subjects given to the model; in prose, mentions of these count as citations.
    public var knownSubjectIDs: [String]
    /// Whether the question asked for a diagnosis: then one must be found (v1 always asks).
    public var expectsDiagnosis: Bool

    public init(knownSubjectIDs: [String] = [], expectsDiagnosis: Bool = true) {
        self.knownSubjectIDs = knownSubjectIDs
        self.expectsDiagnosis = expectsDiagnosis
    }

    public func parse(_ text: String) throws -> ParsedAnswer {
        let excerpt = LLMError.excerpt(Data(text.utf8), limit: 200)
        guard let object = Self.jsonObject(in: text) else {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            // An object that was begun but never completed is not prose to mine for a diagnosis.
            if trimmed.hasPrefix("{") { throw AnswerParseError.incompleteJSON(excerpt: excerpt) }
            return ParsedAnswer(diagnosis: try proseDiagnosis(trimmed, excerpt: excerpt), answer: trimmed,
                                citedSubjectIDs: mentionedIDs(in: trimmed), source: .freeText)
        }
        let answer = (object["answer"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let findings = (object["findings"] as? [Any] ?? []).compactMap { item -> ParsedAnswer.Finding? in
            guard let f = item as? [String: Any], let text = f["finding"] as? String else { return nil }
            return ParsedAnswer.Finding(source: "\(f["source"] ?? "")".trimmingCharacters(in: .whitespaces),
                                        finding: text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let cited = (object["cited_subject_ids"] as? [Any] ?? []).map { "\($0)".trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard let label = object["diagnosis"] as? String else {
            // JSON without a diagnosis field: none was asked for, or no schema was enforced (read the prose).
            let prose = answer.isEmpty ? text : answer
            guard expectsDiagnosis else {
                return ParsedAnswer(diagnosis: nil, answer: answer, findings: findings, citedSubjectIDs: cited, source: .structured)
            }
            return ParsedAnswer(diagnosis: try Self.diagnosis(inProse: prose, excerpt: excerpt), answer: answer, findings: findings,
                                citedSubjectIDs: cited.isEmpty ? mentionedIDs(in: prose) : cited, source: .freeText)
        }
        guard let diagnosis = Diagnosis(label: label) ?? (try? Self.diagnosis(inProse: label, excerpt: excerpt)) else {
            throw AnswerParseError.invalidDiagnosis(label, excerpt: excerpt)
        }
        return ParsedAnswer(diagnosis: diagnosis, answer: answer, findings: findings, citedSubjectIDs: cited, source: .structured)
    }

    /// The diagnosis the prose names: required when one was asked for, else whatever it names unambiguously.
    private func proseDiagnosis(_ text: String, excerpt: String) throws -> Diagnosis? {
        expectsDiagnosis ? try Self.diagnosis(inProse: text, excerpt: excerpt) : try? Self.diagnosis(inProse: text, excerpt: excerpt)
    }

    /// The outermost {...} of the text (code fences and chatter around it are ignored).
    static func jsonObject(in text: String) -> [String: Any]? {
        guard let start = text.firstIndex(of: "{"), let end = text.lastIndex(of: "}"), start < end else { return nil }
        let data = Data(text[start...end].utf8)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    static let labelled = regex(
        #"(?<!record\s)(?<!recorded\s)(?<!documented\s)diagnos[ie]s[*_\s]*(?:is|:|=|-|–)?[*_\s]*(cognitively normal|mild cognitive impairment|alzheimer['’]?s?(?: disease)?|dementia|CN|MCI|AD)\b"#,
        caseInsensitive: true)
    /// Each group's names in prose (CN, MCI and AD as capitals only); also how the verifier finds the groups a claim names.
    static let mentions: [(Diagnosis, NSRegularExpression)] = [
        (.cn, regex(#"\bCN\b"#)),
        (.cn, regex(#"\b(?:cognitively normal|normal cognition)\b"#, caseInsensitive: true)),
        (.mci, regex(#"\bMCI\b"#)),
        (.mci, regex(#"\bmild cognitive impairment\b"#, caseInsensitive: true)),
        (.dementia, regex(#"\bAD\b"#)),
        (.dementia, regex(#"\b(?:dementia|alzheimer)"#, caseInsensitive: true)),
    ]
    // "MCI due to Alzheimer's disease" names one group, not two.
    static let aetiology = regex(#"due to alzheimer['’]?s?(?: disease)?"#, caseInsensitive: true)

    /// A "Diagnosis: X" label wins, then a single diagnosis the text states for the case
    /// (`AnswerVerifier.statedDiagnoses`); otherwise the text must name exactly one group. Public so an evaluation
    /// can score what an answer's text says, not only its diagnosis field.
    public static func diagnosis(inProse text: String, excerpt: String) throws -> Diagnosis {
        let whole = NSRange(text.startIndex..., in: text)
        if let match = labelled.firstMatch(in: text, range: whole), let range = Range(match.range(at: 1), in: text),
           let diagnosis = Diagnosis(label: String(text[range])) {
            return diagnosis
        }
        // A sentence that states the case's diagnosis outranks groups mentioned in passing (an estimate's
        // "CN 46%, MCI 53%" beside "the most likely diagnosis is MCI").
        let stated = AnswerVerifier.statedDiagnoses(in: text)
        if stated.count == 1 { return stated[0] }
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
