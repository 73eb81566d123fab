import Foundation

/// Checks what a sentence about the case says of a score against the score's published cut-off, as the evidence
/// gives it: an MMSE of 27–30 (NICE TA217) and a MoCA of 26 or more (Nasreddine et al. 2005) are in the range those
/// cut-offs call unimpaired, and ADAS-Cog, the brain parenchymal fraction and FA have no cut-off in the evidence.
/// Qwen2.5-1.5B under prompt v5, all called grounded by rules 14: "MMSE score of 30/30 is below the usual cut-off
/// for MCI, and its MoCA score of 29/30 is also below the usual cut-off"; "MMSE score of 28 is in the borderline
/// range (27–30), indicating a mild cognitive impairment"; "ADAS-Cog 13 23.33/85 (lower than the usual cut-off)".
/// Each claim is bound to the last score named before it in its clause, as `TypicalityClaimChecker` binds its own.
public struct CutOffClaimChecker: Sendable {
    /// The case's MMSE and MoCA, when the evidence holds them.
    public var mmse: Double?
    public var moca: Double?

    public init(mmse: Double?, moca: Double?) { (self.mmse, self.moca) = (mmse, moca) }

    public init(evidence: Evidence) {
        self.init(mmse: evidence.readings.first { $0.measure == "MMSE" }?.value,
                  moca: evidence.readings.first { $0.measure == "MoCA" }?.value)
    }

    /// The lowest unimpaired score by each cut-off the evidence cites (`ClinicalInterpretation`).
    static let mmseUnimpairedFrom = 27.0, mocaUnimpairedFrom = 26.0

    /// One message per claim a sentence about the case makes against a score's cut-off.
    public func issues(in text: String) -> [String] {
        var out: [String] = []
        for sentence in ScoreClaimChecker.sentences(of: text) {
            var from = 0
            for match in Self.claim.matches(in: sentence, range: NSRange(sentence.startIndex..., in: sentence)) {
                defer { from = match.range.location + match.range.length }
                let since = (sentence as NSString).substring(with: NSRange(location: from, length: match.range.location - from))
                let clause = TypicalityClaimChecker.lastClause(of: since)
                // A neighbour's score is its own ("314_S_0175 has MMSE 30, …"); the library's ranges are not others.
                if Self.namesOthers.matches(in: clause), !MeasureClaimChecker.speaksOfCase(clause) { continue }
                // "MMSE 28 does not indicate impairment": a denial between the score and the claim is no claim.
                guard let (score, after) = Self.lastScore(in: clause), !NSRegularExpression.negation.matches(in: after) else { continue }
                let claim = (sentence as NSString).substring(with: match.range)
                let belowCutOff = match.range(at: 1).location != NSNotFound
                switch score {
                case "MMSE":
                    if let mmse, mmse >= Self.mmseUnimpairedFrom {
                        out.append("says MMSE \(EvidenceBuilder.number(mmse))/30 is \"\(claim)\", but 27–30 is no impairment by the cut-off the evidence gives")
                    }
                case "MoCA":
                    if let moca, moca >= Self.mocaUnimpairedFrom {
                        out.append("says MoCA \(EvidenceBuilder.number(moca))/30 is \"\(claim)\", but 26 or more is normal by the cut-off the evidence gives")
                    }
                default:
                    // Only a cut-off is a claim about a measure without one; "ADAS-Cog 13 of 24 suggests MCI" is a reading.
                    if belowCutOff { out.append("speaks of a cut-off for \(score), which the evidence gives none") }
                }
            }
        }
        return (out + unimpairedClaims(in: text)).uniqued()
    }

    /// (Rules 17) The converse: the case's MMSE below 27 or MoCA below 26 said to show no impairment ("the MoCA score of
    /// 21 is below the threshold …, indicating no cognitive impairment", Qwen2.5-1.5B under prompt v5).
    func unimpairedClaims(in text: String) -> [String] {
        var out: [String] = []
        for sentence in ScoreClaimChecker.sentences(of: text) {
            for match in Self.noImpairment.matches(in: sentence, range: NSRange(sentence.startIndex..., in: sentence)) {
                let clause = TypicalityClaimChecker.lastClause(of: (sentence as NSString).substring(to: match.range.location))
                if Self.namesOthers.matches(in: clause), !MeasureClaimChecker.speaksOfCase(clause) { continue }
                guard let (score, _) = Self.lastScore(in: clause) else { continue }
                let claim = (sentence as NSString).substring(with: match.range)
                if score == "MMSE", let mmse, mmse < Self.mmseUnimpairedFrom {
                    out.append("says MMSE \(EvidenceBuilder.number(mmse))/30 is \"\(claim)\", but below 27 is impaired by the cut-off the evidence gives")
                } else if score == "MoCA", let moca, moca < Self.mocaUnimpairedFrom {
                    out.append("says MoCA \(EvidenceBuilder.number(moca))/30 is \"\(claim)\", but below 26 is impaired by the cut-off the evidence gives")
                }
            }
        }
        return out
    }

    /// (Rules 26) A band or cut-off quoted for a measure it is not the evidence's for. The evidence's bands are the MMSE's
    /// (27–30 no impairment; NICE TA217: 21–26 mild, 10–20 moderate, below 10 severe) and the MoCA's cut-off of 26
    /// (Nasreddine et al. 2005); ADAS-Cog, the brain parenchymal fraction and FA have none. Qwen2.5-Coder-1.5B under prompt
    /// v7, grounded by rules 25: "The case's ADAS-Cog 13 score is 7.33/85, which is in the mild-impairment band (NICE
    /// TA217)"; "ADAS-Cog 13 score is 2.67, which is below the normal range for MCI (27–30)". A range counts only when it is
    /// some measure's band. Read in every sentence: a neighbour's ADAS-Cog has no band either.
    public func bandIssues(in text: String) -> [String] {
        var out: [String] = []
        for sentence in ScoreClaimChecker.sentences(of: text) {
            let ns = sentence as NSString
            var from = 0
            for match in Self.band.matches(in: sentence, range: NSRange(location: 0, length: ns.length)) {
                defer { from = match.range.location + match.range.length }
                let clause = TypicalityClaimChecker.lastClause(of: ns.substring(with: NSRange(location: from, length: match.range.location - from)))
                guard let (measure, _) = MeasureName.last(in: clause) else { continue }
                let quoted = ns.substring(with: match.range)
                let owners: [String]
                if match.range(at: 1).location != NSNotFound {
                    owners = ["MMSE"]
                    if measure == "MMSE", let issue = Self.misplacedMMSE(band: quoted, clause: clause) { out.append(issue) }
                } else if match.range(at: 2).location != NSNotFound {
                    owners = ["MoCA"]
                } else {
                    // "MMSE scores ranging from 26 to 30" among the neighbours is a spread of values, not a band.
                    if Self.spread.matches(in: ns.substring(to: match.range.location))
                        || (MeasureClaimChecker.neighbourPattern.matches(in: sentence) && !MeasureClaimChecker.speaksOfCase(sentence)) { continue }
                    guard let low = Double(ns.substring(with: match.range(at: 3))), let high = Double(ns.substring(with: match.range(at: 4))) else { continue }
                    owners = Self.ranges.filter { $0.value.contains { $0 == [low, high] } }.map(\.key).sorted()
                    // A range that is no measure's band is a spread of values ("MMSE 16 to 21" among the five), not a band.
                    if owners.isEmpty { continue }
                }
                guard !owners.contains(measure) else { continue }
                let whose = "the " + owners.joined(separator: " and ") + "'s"
                out.append("quotes \"\(quoted)\" for \(measure), but it is \(whose)"
                           + (Self.banded.contains(measure) ? "" : "; the evidence gives \(measure) no band or cut-off"))
            }
        }
        return out
    }

    /// (Rules 26) An MMSE value put in a NICE band it lies outside, whoever's it is: "102_S_0123 has a MMSE score of 27/30,
    /// which is also in the mild-impairment band (NICE TA217)" (Qwen2.5-Coder-1.5B under prompt v7).
    static func misplacedMMSE(band quoted: String, clause: String) -> String? {
        let word = quoted.lowercased()
        let named: AnswerVerifier.Severity? = word.hasPrefix("mild") ? .mild : word.hasPrefix("moderate") ? .moderate
            : word.hasPrefix("severe") ? .severe : nil
        guard let named, let value = ScoreClaimChecker.claims(in: clause).last(where: { $0.name == "MMSE" })?.value,
              let actual = AnswerVerifier.Severity(mmse: value.value), actual != named else { return nil }
        return "puts MMSE \(value.text) in the \(quoted), but it lies in the \(actual.rawValue) band (NICE TA217)"
    }

    static let spread = try! NSRegularExpression(pattern: #"\b(?:from|between|spanning)\s+$"#, options: [.caseInsensitive])

    /// Measures the evidence gives bands for, with each band as [low, high] and the whole scale.
    static let ranges: [String: [[Double]]] = [
        "MMSE": [[27, 30], [21, 26], [10, 20], [0, 9], [0, 30]],
        "MoCA": [[26, 30], [0, 25], [0, 30]],
        "ADAS-Cog 13": [[0, 85]], "ADAS-Cog 11": [[0, 70]], "CDR-SB": [[0, 18]],
    ]
    static let banded: Set<String> = ["MMSE", "MoCA"]

    /// Group 1: an MMSE band by name (NICE TA217's; "no impairment" suits the MoCA's cut-off too); group 2: the MoCA's source;
    /// groups 3 and 4: a range of whole numbers ("(27–30)", "21-26", "15 to 20").
    static let band = try! NSRegularExpression(
        pattern: #"\b((?:mild|moderate|severe)(?:[- ]impairment)?\s+band|NICE(?:\s+TA\s?217)?|TA\s?217)\b|\b(Nasreddine)\b|(?<![\d.])(\d{1,2})\s*(?:[–-]|\bto\b)\s*(\d{1,2})(?![\d.%]|\s*(?:%|percent|years?|months?)\b)"#,
        options: [.caseInsensitive])

    static let noImpairment = try! NSRegularExpression(
        pattern: #"\b(?:indicat(?:e|es|ing)|suggest(?:s|ing)?|show(?:s|ing)?|meaning|consistent with)\s+(?:no|normal|intact|an absence of|the absence of)\s+(?:cognitive\s+)?(?:impairment|cognition|cognitive function|function)\b"#,
        options: [.caseInsensitive])

    /// Group 1: a cut-off claim ("below / lower than / under the usual cut-off"); otherwise a tie to impairment. (Rules 30)
    /// also "which is (normal for) a mild cognitive impairment", with its article (so "the estimate, which is MCI (55%)" is not one) ("The case's MMSE of 30/30 is 27–30, which is a mild cognitive
    /// impairment", Qwen2.5-0.5B under prompt v9, grounded by rules 29).
    static let claim = try! NSRegularExpression(
        pattern: #"\b((?:below|lower than|under|beneath|falls short of|does not reach)\s+(?:the\s+)?(?:usual\s+|normal\s+|standard\s+|typical\s+)?(?:cut[- ]?off|threshold))|\b(?:indicat(?:e|es|ing|ive of)|suggest(?:s|ing|ive of)?|consistent with|points? to|pointing to|a sign of|in the (?:range|band) (?:for|of)|within the (?:range|band) (?:for|of)|(?:which|that) is(?:\s+normal for)?(?=\s+an?\s))\s+(?:an?\s+|the\s+)?(?:(?:mild|moderate|severe|significant)\s+)?(?:cognitive impairment|impairment|MCI|dementia|Alzheimer)"#,
        options: [.caseInsensitive])


    static let namesOthers = try! NSRegularExpression(
        pattern: #"\d{3}_S_\d{4,}|neighbo|similar\b|\bsubjects\b|\bothers?\b|\bthey\b|\btheir\b|\bpeers?\b|\bclosest\b|\bnearest\b|\bretrieved\b|\bmatch(?:es|ing)?\b"#,
        options: [.caseInsensitive])

    /// The score named last in `clause`, by the name the messages use, and the text after its name; nil when
    /// none is named.
    static func lastScore(in clause: String) -> (score: String, after: String)? {
        guard let (measure, after) = MeasureName.last(in: clause) else { return nil }
        switch measure {
        case "ADAS-Cog 13", "ADAS-Cog 11": return ("ADAS-Cog", after)
        case "brain parenchymal fraction": return ("the brain parenchymal fraction", after)
        default: return (measure, after)
        }
    }
}
