import Foundation

/// Checks a comparison whose two numbers the sentence states itself: "the MoCA score is lower (21/30) compared to
/// the most similar subjects (20/30)" (Qwen2.5-1.5B, prompt v5, called grounded by rules 14: both numbers are in
/// the evidence, the order between them is not). Only numbers written as scores ("21/30") or in parentheses
/// count, so a count or a name's digits between the two is not taken for one of them.
public enum ComparisonClaimChecker {
    /// One message per comparison whose direction its own numbers contradict.
    public static func issues(in text: String) -> [String] {
        var out: [String] = []
        for pattern in [wordFirst, numberFirst] {
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let word = string(m, "word", in: text)?.lowercased(),
                      let first = string(m, "first", in: text).flatMap(Double.init),
                      let second = string(m, "second", in: text).flatMap(Double.init) else { continue }
                let saysLower = ["lower", "less", "smaller", "fewer"].contains(word)
                guard saysLower ? first >= second : first <= second else { continue }
                let claim = (text as NSString).substring(with: m.range)
                out.append("\"\(claim)\" calls \(EvidenceBuilder.number(first)) \(word) than \(EvidenceBuilder.number(second))")
            }
        }
        // (Rules 22) A score compared with a percentage: "MMSE of 29/30 is significantly higher than the MCI estimate of 57%"
        // (Qwen2.5-0.5B under prompt v6, grounded under rules 21); the two are not on one scale.
        for m in incommensurable.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            out.append("\"\((text as NSString).substring(with: m.range))\" compares a score with a percentage, which are not on one scale")
        }
        // (Rules 23) A value called above or below a range it lies in: "MMSE is 19/30, which is above the threshold of 10-20";
        // (rules 27) also with the band named first: "MMSE score of 26 is below the mild-impairment band (21–26)"
        // (Qwen2.5-Coder-1.5B under prompt v7, held out from rules 26).
        for m in outsideRange.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let value = string(m, "value", in: text).flatMap(Double.init), let low = string(m, "low", in: text).flatMap(Double.init),
                  let high = string(m, "high", in: text).flatMap(Double.init), low <= value, value <= high else { continue }
            out.append("\"\((text as NSString).substring(with: m.range))\" puts \(EvidenceBuilder.number(value)) outside \(EvidenceBuilder.number(low))–\(EvidenceBuilder.number(high)), which holds it")
        }
        // (Rules 25) A value called below or above a bare number: "MMSE score is 29/30, which is below 26" (Qwen2.5-0.5B under
        // prompt v7). A range, a score or a percentage after the word is another rule's; a number that is itself a bound
        // ("is below 26, which is below 26") states no value.
        for m in bareBound.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let word = string(m, "word", in: text)?.lowercased(), let value = string(m, "value", in: text).flatMap(Double.init),
                  let bound = string(m, "bound", in: text).flatMap(Double.init) else { continue }
            let saysBelow = word.hasPrefix("below") || word.hasPrefix("under") || word.hasPrefix("less") || word.hasPrefix("lower")
            guard saysBelow ? value >= bound : value <= bound else { continue }
            out.append("\"\((text as NSString).substring(with: m.range))\" calls \(EvidenceBuilder.number(value)) \(word) \(EvidenceBuilder.number(bound))")
        }
        return out.uniqued()
    }

    static let outsideRange = try! NSRegularExpression(
        pattern: #"(?<![\d.])(?<value>\d+(?:\.\d+)?)(?:\s*/\s*\d+)?,?\s+(?:which\s+is\s+|is\s+)?(?:just\s+|slightly\s+|well\s+)?(?:above|below|higher than|lower than|over|under)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:threshold|range|band|cut[- ]?off)\s+(?:of\s+)?\(?(?<low>\d+(?:\.\d+)?)\s*[-–]\s*(?<high>\d+(?:\.\d+)?)"#,
        options: [.caseInsensitive])

    static let bareBound = try! NSRegularExpression(
        pattern: #"(?<![\d./])(?<!below\s)(?<!above\s)(?<!under\s)(?<!over\s)(?<!than\s)(?<value>\d+(?:\.\d+)?)(?:\s*/\s*\d+)?,?\s+(?:which\s+is\s+|is\s+)?(?:just\s+|slightly\s+|well\s+)?(?<word>below|under|above|over|less than|more than|greater than|higher than|lower than)\s+(?:the\s+)?(?:(?:usual\s+)?(?:cut[- ]?off|threshold)\s+(?:of\s+)?)?(?<bound>\d+(?:\.\d+)?)(?!\d|\.\d|\s*[-–/%]|\s*(?:years?|percent)\b)"#,
        options: [.caseInsensitive])

    static let incommensurable = try! NSRegularExpression(
        pattern: #"(?:\d+(?:\.\d+)?\s*/\s*\d+|\b(?:MMSE|MoCA)\s+(?:score\s+)?(?:is\s+|of\s+)?\d+(?:\.\d+)?)[^.;%]{0,50}?\b(?:higher|lower|greater|less|more)\s+than\b[^.;\d]{0,50}?\d+(?:\.\d+)?\s*%|\d+(?:\.\d+)?\s*%[^.;/]{0,50}?\b(?:higher|lower|greater|less|more)\s+than\b[^.;\d]{0,50}?\d+(?:\.\d+)?\s*/\s*\d+"#,
        options: [.caseInsensitive])

    private static func string(_ m: NSTextCheckingResult, _ name: String, in text: String) -> String? {
        Range(m.range(withName: name), in: text).map { String(text[$0]) }
    }

    private static let comparer = #"(?:compared (?:to|with)|than|relative to|versus|vs\.?)"#
    private static let direction = #"(?<word>lower|higher|less|more|smaller|larger|greater|fewer)"#

    /// "is lower (21/30) compared to the most similar subjects (20/30)".
    static let wordFirst = try! NSRegularExpression(
        pattern: #"\b"# + direction + #"\s*\(\s*(?<first>\d+(?:\.\d+)?)(?:\s*/\s*\d+)?\s*\)\s*"# + comparer
            + #"\s+[^.;\d]{0,60}?\(?\s*(?<second>\d+(?:\.\d+)?)(?:\s*/\s*\d+\)?|\s*\))"#,
        options: [.caseInsensitive])
    /// "an MMSE of 28/30 is lower than the neighbours' 29/30".
    static let numberFirst = try! NSRegularExpression(
        pattern: #"(?<first>\d+(?:\.\d+)?)(?:\s*/\s*\d+)\)?\s*(?:is|are|was|were)?\s*(?:slightly\s+|much\s+|far\s+|considerably\s+)?"#
            + direction + #"\s+"# + comparer + #"\s+[^.;\d]{0,60}?\(?\s*(?<second>\d+(?:\.\d+)?)(?:\s*/\s*\d+\)?|\s*\))"#,
        options: [.caseInsensitive])
}
