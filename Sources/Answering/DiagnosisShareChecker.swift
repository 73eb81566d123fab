import Cohort
import Foundation

/// Checks a percentage written beside a diagnosis label ("MCI, 64%", "Dementia (87%)", "55% MCI") against that diagnosis's
/// own percentages in the evidence: its share of the neighbours' vote, its encoder probability and its share in Memoir's
/// reading. The bare-number check accepts any percentage the evidence holds for any label: "The subjects most similar to
/// this case are Dementia, 87%, and MCI, 64%" (Qwen2.5-0.5B under prompt v8) passed rules 27, though 64% is Dementia's
/// reading and MCI's figures are 13%, 55% and 34%.
public struct DiagnosisShareChecker: Sendable {
    /// Each diagnosis's percentages, as fractions.
    public var shares: [Diagnosis: [Double]]

    public init(shares: [Diagnosis: [Double]]) { self.shares = shares }

    public init(evidence: Evidence) {
        var shares: [Diagnosis: [Double]] = [:]
        for d in Diagnosis.allCases {
            shares[d] = [evidence.vote.shares[d.rawValue], evidence.encoder?.probabilities[d.rawValue], evidence.readingShares[d.rawValue]]
                .compactMap { $0 }
        }
        self.init(shares: shares)
    }

    public func issues(in text: String) -> [String] {
        var out: [String] = []
        for pattern in [Self.labelFirst, Self.percentFirst] {
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let labelRange = Range(m.range(withName: "label"), in: text), let valueRange = Range(m.range(withName: "value"), in: text),
                      let diagnosis = Diagnosis(label: String(text[labelRange])), let own = shares[diagnosis], !own.isEmpty else { continue }
                let written = String(text[valueRange])
                guard let number = AnswerVerifier.numbers(in: written).first else { continue }
                // Each of the diagnosis's own figures, as a percentage rounded to what the answer wrote.
                if own.contains(where: { AnswerVerifier.matches(number, $0 * 100) }) { continue }
                let figures = own.map { "\(EvidenceBuilder.percent($0))%" }.joined(separator: ", ")
                out.append("gives \(diagnosis.rawValue) \(written)%; the evidence's figures for \(diagnosis.rawValue) are \(figures)")
            }
        }
        return out.uniqued()
    }

    static let label = #"(?<label>CN|MCI|Dementia|cognitively normal|mild cognitive impairment)"#
    /// "MCI, 64%", "Dementia (87%)", "CN: 5%", "MCI at 55%"; not the first of a list after two labels ("three as MCI and two
    /// as Dementia (59% and 41% of the weighted vote)", a reference answer's respective shares).
    static let labelFirst = try! NSRegularExpression(
        pattern: #"\b"# + label + #"\b\s*(?:,|:|\(|at|with)?\s*(?<value>\d+(?:\.\d+)?)\s*%(?!\s*(?:and|,|/)\s*\d+(?:\.\d+)?\s*%)"#,
        options: [.caseInsensitive])
    /// "55% MCI", "87% Dementia", "64% for Dementia".
    static let percentFirst = try! NSRegularExpression(
        pattern: #"(?<![\d.])(?<value>\d+(?:\.\d+)?)\s*%\s*(?:for\s+|of\s+)?"# + label + #"\b"#, options: [.caseInsensitive])
}
