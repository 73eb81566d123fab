import Cohort
import Foundation

/// Checks "the case's X is characteristic of / typical of / consistent with <group>" against where the evidence
/// places X among the library's subjects of that group. Qwen2.5-1.5B answered the demo case: "brain parenchymal
/// fraction 0.826 … characteristic of Dementia", a value above 96 % of the library's Dementia subjects. Every
/// number in it was the evidence's; the claim about them was not. A value is atypical of a group on the side that
/// group does not lean to: of CN when it is worse than all but `lowest` % of CN subjects, of Dementia when it is
/// better than all but `lowest` % of Dementia subjects, of MCI (between the two) on either side.
public struct TypicalityClaimChecker: Sendable {
    /// The case's placed measures: name as the evidence gives it, value as printed, percentile per group.
    public struct Placed: Sendable, Equatable {
        public var measure: String
        public var text: String
        public var percentiles: [Diagnosis: Int]
    }

    public var placed: [Placed]
    /// A value strictly below the `lowest` or above the `highest` percentile of a group lies outside its middle 80 %.
    public static let lowest = 10, highest = 90

    public init(placed: [Placed]) { self.placed = placed }

    public init(evidence: Evidence) {
        placed = evidence.readings.map { r in
            Placed(measure: r.measure, text: r.text,
                   percentiles: Dictionary(uniqueKeysWithValues: r.percentiles.compactMap { k, v in Diagnosis(rawValue: k).map { ($0, v) } }))
        }
    }

    /// One message per measure of the case a sentence calls typical of a group it lies outside of. `text`: the
    /// answer and its findings about the case (not those whose source is a neighbour).
    public func issues(in text: String) -> [String] {
        var out: [String] = []
        for sentence in ScoreClaimChecker.sentences(of: text) {
            // Only the case has percentiles in the evidence, so they are read even where the library is named.
            out += percentileIssues(in: sentence)
            // Neighbours' values are theirs; only sentences about the case are read.
            if ScoreClaimChecker.mentionsOthers(sentence), !MeasureClaimChecker.speaksOfCase(sentence) { continue }
            let range = NSRange(sentence.startIndex..., in: sentence)
            var from = 0
            for match in Self.claimPattern.matches(in: sentence, range: range) {
                defer { from = match.range.location + match.range.length }
                guard let r = Range(match.range(at: 1), in: sentence), let group = Diagnosis(label: String(sentence[r])) else { continue }
                // The claim covers the measures of its own clause: from the previous claim, and from the last clause
                // break before it ("BPF 0.826, which is characteristic of Dementia, and FA 0.320, which is also …";
                // "FA 0.320 is low, and MMSE 26/30 is consistent with MCI").
                let since = (sentence as NSString).substring(with: NSRange(location: from, length: match.range.location - from))
                let clause = Self.lastClause(of: since)
                // "not typical of", "isn't consistent with", "higher than is typical of", "above the range seen in".
                if Self.hedge.matches(in: clause) { continue }
                for p in placed where MeasureName.names(p.measure, in: clause) {
                    guard let percentile = p.percentiles[group], Self.atypical(percentile, of: group, higherIsBetter: Self.higherIsBetter(p.measure)) else {
                        continue
                    }
                    out.append("calls the case's \(p.measure) (\(p.text)) typical of \(group.rawValue), but it lies at percentile \(percentile) "
                               + "of the library's \(group.rawValue) subjects")
                }
            }
            out += rankIssues(in: sentence)
        }
        return out.uniqued()
    }

    /// (Rules 15) "its MoCA of 24/30 is among the lowest in the library's CN, MCI and dementia groups" where the
    /// evidence puts it at the Dementia group's 94th percentile (Qwen2.5-1.5B, prompt v5): "lowest" above a named
    /// group's median, or "highest" below it, for the measure named last before the claim. No group named: all.
    func rankIssues(in sentence: String) -> [String] {
        var out: [String] = []
        let ns = sentence as NSString
        for match in Self.rankPattern.matches(in: sentence, range: NSRange(location: 0, length: ns.length)) {
            guard let end = (1...4).map({ match.range(at: $0) }).first(where: { $0.location != NSNotFound }) else { continue }
            let word = ns.substring(with: end).lowercased()
            let lowest = word == "lowest" || word == "lower"
            let called = word.hasSuffix("st") ? "among the \(word)" : "in the \(word) range"
            let clause = Self.lastClause(of: ns.substring(to: match.range.location))
            if Self.hedge.matches(in: clause) { continue }
            let after = ns.substring(from: match.range.location + match.range.length)
            let named = Diagnosis.allCases.filter { d in AnswerParser.mentions.contains { $0.0 == d && $0.1.matches(in: after) } }
            let groups = named.isEmpty ? Diagnosis.allCases : named
            // The measure named last in the clause, the one the claim is about.
            guard let p = placed.compactMap({ p in MeasureName.lastRange(of: p.measure, in: clause).map { (p, $0.location) } }).max(by: { $0.1 < $1.1 })?.0
            else { continue }
            for group in groups {
                // (Rules 27) "in the middle of the library's CN group, with a percentile of 95" (Qwen2.5-Coder-1.5B under prompt
                // v7, held out from rules 26): the middle is the group's middle half.
                if word == "middle" {
                    guard let percentile = p.percentiles[group], percentile < 25 || percentile > 75 else { continue }
                    out.append("calls the case's \(p.measure) (\(p.text)) in the middle, but it lies at percentile \(percentile) "
                               + "of the library's \(group.rawValue) subjects")
                    continue
                }
                guard let percentile = p.percentiles[group], lowest ? percentile > 50 : percentile < 50 else { continue }
                out.append("calls the case's \(p.measure) (\(p.text)) \(called), but it lies at percentile "
                           + "\(percentile) of the library's \(group.rawValue) subjects")
            }
        }
        return out
    }

    /// (Rules 16) A percentile quoted for a group it is not the measure's percentile in: "ADAS-Cog 11 18.33/70 (92nd
    /// percentile among library CN)" where the evidence gives CN 99 and MCI 92 (Qwen2.5-1.5B, prompt v5). Both the
    /// evidence's own order ("percentile among library CN 73, MCI 40") and "92nd percentile among library CN" are
    /// read, for the measure named last before them.
    func percentileIssues(in sentence: String) -> [String] {
        var out: [String] = []
        let ns = sentence as NSString
        var from = 0
        for match in Self.percentileClaim.matches(in: sentence, range: NSRange(location: 0, length: ns.length)) {
            defer { from = match.range.location + match.range.length }
            let before = ns.substring(with: NSRange(location: from, length: match.range.location - from))
            // "below the 10th percentile among CN" is a bound, not the value.
            if Self.bound.firstMatch(in: before, range: NSRange(before.startIndex..., in: before)) != nil { continue }
            guard let name = MeasureName.last(in: before), let p = placed.first(where: { $0.measure == name.measure }) else { continue }
            var claims: [(Diagnosis, Int)] = []
            if let value = Range(match.range(at: 1), in: sentence), let group = Range(match.range(at: 2), in: sentence) {
                if let d = Diagnosis(label: String(sentence[group])), let n = Int(sentence[value]) { claims.append((d, n)) }
            } else if let list = Range(match.range(at: 3), in: sentence) {
                let text = String(sentence[list])
                for m in Self.groupValue.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    guard let g = Range(m.range(at: 1), in: text), let v = Range(m.range(at: 2), in: text),
                          let d = Diagnosis(label: String(text[g])), let n = Int(text[v]) else { continue }
                    claims.append((d, n))
                }
            }
            if claims.isEmpty, let value = Range(match.range(at: 4), in: sentence), let stated = Int(sentence[value]),
               !p.percentiles.values.contains(stated) {
                let known = Diagnosis.allCases.compactMap { d in p.percentiles[d].map { "\(d.rawValue) \($0)" } }.joined(separator: ", ")
                out.append("gives the case's \(p.measure) (\(p.text)) the \"\(ns.substring(with: match.range))\"; the evidence places it at \(known)")
            }
            for (group, stated) in claims {
                guard let actual = p.percentiles[group], actual != stated else { continue }
                let elsewhere = p.percentiles.filter { $0.value == stated }.map(\.key.rawValue).sorted()
                out.append("gives the case's \(p.measure) (\(p.text)) percentile \(stated) among the library's \(group.rawValue) subjects; the "
                           + "evidence gives \(actual)" + (elsewhere.isEmpty ? "" : " (\(stated) is its \(elsewhere.joined(separator: " and ")) percentile)"))
            }
        }
        return out
    }

    /// Group 1 and 2: "92nd percentile among (the) library('s) CN"; group 3: "percentile among library CN 73, MCI 40", and
    /// (rules 26) the same list without the word ("in the lower range of CN subjects (library CN 19)", Qwen2.5-Coder-1.5B
    /// under prompt v7, quoting one measure's percentile for another); group 4 (rules 26): a percentile with no group
    /// ("MoCA 21/30 is below the usual cut-off (26th percentile)"), which must be one of the measure's.
    static let percentileClaim = try! NSRegularExpression(
        pattern: #"\b(\d{1,3})(?:st|nd|rd|th)?\s+percentile\s+(?:among|in|of|for|within)\s+(?:the\s+)?(?:library(?:['’]s)?\s+)?(CN|MCI|Dementia|cognitively normal|mild cognitive impairment)\b|(?:\bpercentiles?\s+(?:among|in)\s+(?:the\s+)?)?\blibrary(?:['’]s)?\s+((?:(?:CN|MCI|Dementia)\s+\d{1,3}(?:,\s*|\s+and\s+)?)+)|\b(\d{1,3})(?:st|nd|rd|th)\s+percentile\b"#,
        options: [.caseInsensitive])

    /// (Rules 26) A percentile in a finding about a neighbour: the evidence places only the case among the library's
    /// groups ("465_S_0030 has a recorded diagnosis of MCI, which is also within the normal range for cognitively normal
    /// subjects (69th percentile)", Qwen2.5-Coder-1.5B under prompt v7, the case's MMSE percentile given to a neighbour).
    static let anyPercentile = try! NSRegularExpression(
        pattern: #"\b\d{1,3}(?:st|nd|rd|th)?\s+percentile\b|\bpercentiles?\b|\blibrary(?:['’]s)?\s+(?:CN|MCI|Dementia)\s+\d{1,3}\b"#,
        options: [.caseInsensitive])

    /// One message per finding about a neighbour that quotes a percentile.
    static func neighbourPercentileIssues(in findings: [ParsedAnswer.Finding]) -> [String] {
        findings.filter { $0.source != "case" }.compactMap { f in
            anyPercentile.firstMatchText(in: f.finding).map {
                "a finding about \(f.source) quotes a percentile (\"\($0)\"); the evidence places only the case among the library's groups"
            }
        }
    }
    static let bound = try! NSRegularExpression(pattern: #"\b(?:below|above|under|over|beneath|less than|more than|beyond)\s+(?:the\s+)?$"#,
                                                options: [.caseInsensitive])
    static let groupValue = try! NSRegularExpression(pattern: #"(CN|MCI|Dementia)\s+(\d{1,3})"#, options: [.caseInsensitive])

    /// "among the lowest", "the lowest in", "the highest of"; (rules 26) "in the lower range of", "in the upper end of"
    /// (Qwen2.5-Coder-1.5B under prompt v7: "ADAS-Cog 13 … in the lower range of CN subjects (library CN 68)"). Groups 1–3:
    /// which end.
    static let rankPattern = try! NSRegularExpression(
        pattern: #"\bamong the (lowest|highest)\b|\bthe (lowest|highest)\s+(?:in|of|among)\b|\bin the (lower|upper|higher)\s+(?:end|range|part|half)\s+(?:of|for|among|in)\b|\bin the (middle)\s+(?:of|for|among|in)\b"#,
        options: [.caseInsensitive])

    /// Outside a group's middle on the side it does not lean to (see the type's comment).
    static func atypical(_ percentile: Int, of group: Diagnosis, higherIsBetter: Bool) -> Bool {
        let worse = higherIsBetter ? percentile < lowest : percentile > highest
        let better = higherIsBetter ? percentile > highest : percentile < lowest
        switch group {
        case .cn: return worse
        case .dementia: return better
        case .mci: return worse || better
        }
    }

    /// ADAS-Cog counts errors (higher is worse); MMSE, MoCA, brain parenchymal fraction and FA fall with disease.
    static func higherIsBetter(_ measure: String) -> Bool { !measure.hasPrefix("ADAS") }

    /// The text after the last clause break.
    static func lastClause(of text: String) -> String {
        let breaks = clauseBreak.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard let last = breaks.last else { return text }
        return (text as NSString).substring(from: last.range.location + last.range.length)
    }

    static let clauseBreak = try! NSRegularExpression(pattern: #";|,\s+(?:and|but|while|whereas|although|though)\b|\s+(?:while|whereas|although|but)\s+"#,
                                                      options: [.caseInsensitive])

    /// Words that make the claim a negation or a comparison, not a statement that the value is typical.
    static let hedge = try! NSRegularExpression(
        pattern: #"\bnot\b|n['’]t\b|\bnever\b|\bhardly\b|\bthan\b|\babove\b|\bbelow\b|\bbeyond\b|\boutside\b|\bunlike\b|\bless\b|\bmore\b|\bunusual"#,
        options: [.caseInsensitive])

    /// "characteristic of", "typical of", "consistent with", "in keeping with", "indicative of", "suggestive of",
    /// "compatible with", "in line with", "seen in"; group 1 is the group named.
    static let claimPattern = try! NSRegularExpression(
        pattern: #"\b(?:characteristic|typical|consistent|in keeping|indicative|suggestive|compatible|in line|seen)\s+(?:of|with|in)\s+(?:an?\s+|the\s+)?(?:diagnosis\s+of\s+)?(mild cognitive impairment|MCI|cognitively normal|normal cognition|CN|AD|Alzheimer['’]?s?(?: disease)?(?: dementia)?|dementia)\b"#,
        options: [.caseInsensitive])
}
