import Cohort
import Foundation

/// Checks "the case's X is characteristic of / typical of / consistent with <group>" against where the evidence
/// places X among the library's subjects of that group. Qwen2.5-1.5B answered the demo case: "brain parenchymal
/// fraction 0.826 … characteristic of Dementia", a value above 96 % of the library's Dementia subjects. Every
/// number in it was the evidence's; the claim about them was not. A value outside the middle of a group (below
/// its `lowest` or above its `highest` percentile) is not typical of that group.
public struct TypicalityClaimChecker: Sendable {
    /// The case's placed measures: name as the evidence gives it, value as printed, percentile per group.
    public struct Placed: Sendable, Equatable {
        public var measure: String
        public var text: String
        public var percentiles: [Diagnosis: Int]
    }

    public var placed: [Placed]
    /// Percentiles at or beyond which a value is called atypical of a group: outside its middle 80 %.
    public static let lowest = 10, highest = 90

    public init(placed: [Placed]) { self.placed = placed }

    public init(evidence: Evidence) {
        placed = evidence.readings.map { r in
            Placed(measure: r.measure, text: r.text,
                   percentiles: Dictionary(uniqueKeysWithValues: r.percentiles.compactMap { k, v in Diagnosis(rawValue: k).map { ($0, v) } }))
        }
    }

    /// One message per measure of the case a sentence calls typical of a group whose middle it lies outside.
    public func issues(in text: String) -> [String] {
        var out: [String] = []
        for sentence in ScoreClaimChecker.sentences(of: text) {
            // Neighbours' values are theirs; only sentences about the case are read.
            if ScoreClaimChecker.mentionsOthers(sentence), !MeasureClaimChecker.speaksOfCase(sentence) { continue }
            let range = NSRange(sentence.startIndex..., in: sentence)
            // Each claim covers the measures named between the previous claim and it ("BPF 0.826 and FA 0.320 are
            // characteristic of Dementia", "MMSE 26 is consistent with MCI, and BPF 0.826 with CN").
            var from = 0
            let claims = Self.claimPattern.matches(in: sentence, range: range).compactMap { match -> (Diagnosis, String)? in
                defer { from = match.range.location + match.range.length }
                guard let r = Range(match.range(at: 2), in: sentence), let group = Self.group(String(sentence[r])) else { return nil }
                return (group, (sentence as NSString).substring(with: NSRange(location: from, length: match.range.location - from)))
            }
            for (group, before) in claims {
                for p in placed where Self.names(p.measure, in: before) {
                    guard let percentile = p.percentiles[group], percentile < Self.lowest || percentile > Self.highest else { continue }
                    out.append("calls the case's \(p.measure) (\(p.text)) typical of \(group.rawValue), but it lies at percentile \(percentile) "
                               + "of the library's \(group.rawValue) subjects")
                }
            }
        }
        return out.uniqued()
    }

    /// "characteristic of", "typical of", "consistent with", "in keeping with", "indicative of", "suggestive of",
    /// "compatible with", "seen in", not negated; group 2 is the group named.
    static let claimPattern = try! NSRegularExpression(
        pattern: #"(?<!not )(?<!less )\b(characteristic|typical|consistent|in keeping|indicative|suggestive|compatible|in line|seen)\s+(?:of|with|in)\s+(?:an?\s+|the\s+)?(?:diagnosis\s+of\s+)?(mild cognitive impairment|MCI|cognitively normal|normal cognition|CN|Alzheimer(?:'|’)?s?(?: disease)?(?: dementia)?|dementia)"#,
        options: [.caseInsensitive])

    static func group(_ words: String) -> Diagnosis? {
        let w = words.lowercased()
        if w.hasPrefix("mild") || w == "mci" { return .mci }
        if w.hasPrefix("cognitively") || w.hasPrefix("normal") || w == "cn" { return .cn }
        if w.hasPrefix("alzheimer") || w == "dementia" { return .dementia }
        return nil
    }

    /// Whether `text` names the measure the evidence calls `measure`.
    static func names(_ measure: String, in text: String) -> Bool {
        let patterns: [String] = switch measure {
        case "brain parenchymal fraction": [#"parenchymal"#, #"\bBPF\b"#, #"brain (?:volume|fraction)"#]
        case "white-matter FA": [#"\bFA\b"#, #"fractional anisotropy"#]
        case "MMSE": [#"\bMMSE\b"#, #"Mini[- ]Mental"#]
        case "MoCA": [#"\bMoCA\b"#, #"Montreal Cognitive"#]
        case "ADAS-Cog 13": [#"ADAS[- ]?Cog[- ]?13"#]
        case "ADAS-Cog 11": [#"ADAS[- ]?Cog[- ]?11"#]
        default: [NSRegularExpression.escapedPattern(for: measure)]
        }
        return patterns.contains { text.range(of: $0, options: [.regularExpression, .caseInsensitive]) != nil }
    }
}
