import Foundation

/// (Rules 26) A measure's level read the wrong way round: a high MMSE or MoCA (or brain parenchymal fraction, or FA),
/// which means better cognition or less atrophy, given as a sign of dementia, or a low ADAS-Cog (which counts errors)
/// given so. Qwen2.5-Coder-1.5B under prompt v7, both grounded by rules 25: "The evidence points to Dementia because the
/// case has … a high MMSE score, and a high ADAS-Cog score"; "413_S_0205 has a high MMSE score (26) and ADAS-Cog score
/// (26.33), which are both indicative of dementia". Only dementia is read: a normal MMSE is common in MCI.
enum DirectionClaimChecker {
    /// One message per sentence that ties a better-than-usual level to dementia, unless it concedes or denies.
    static func issues(in text: String) -> [String] {
        var out: [String] = []
        for sentence in ScoreClaimChecker.sentences(of: text) where dementiaTie.matches(in: sentence) {
            if concession.matches(in: sentence) || NSRegularExpression.negation.matches(in: sentence) { continue }
            if let quote = betterLevel.firstMatchText(in: sentence) {
                out.append("gives \"\(quote)\" as a sign of dementia; a higher MMSE, MoCA, brain parenchymal fraction or FA and a lower "
                           + "ADAS-Cog mean less impairment")
            }
        }
        return out
    }

    /// "points to Dementia because", "indicative of dementia", "a hallmark of Alzheimer's".
    static let dementiaTie = try! NSRegularExpression(
        pattern: #"\b(?:dementia|alzheimer['’]?s?|AD)\s+(?:\w+\s+){0,2}?because\b|\b(?:indicat\w*|suggest\w*|consistent with|points? to|support\w*|sign of|hallmark of|characteristic of|typical of|evidence of)\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?(?:dementia|alzheimer|AD\b)"#,
        options: [.caseInsensitive])

    /// "a high MMSE", "higher MoCA scores", "a preserved brain parenchymal fraction", "a low ADAS-Cog".
    static let betterLevel = try! NSRegularExpression(
        pattern: #"\b(?:high|higher|elevated|good|normal|preserved|intact)\s+(?:\w+\s+)?(?:MMSE|MoCA|Mini[- ]Mental|Montreal Cognitive|brain parenchymal fraction|parenchymal fraction|BPF|FA|fractional anisotropy)\b|\b(?:low|lower|reduced|decreased)\s+(?:\w+\s+)?ADAS\b"#,
        options: [.caseInsensitive])

    /// "despite a high MMSE", "although", "but", "against": the level is weighed against the conclusion, not for it.
    static let concession = try! NSRegularExpression(
        pattern: #"\bdespite\b|\balthough\b|\bthough\b|\bbut\b|\bhowever\b|\bagainst\b|\bunlike\b|\bwhile\b|\bwhereas\b|\beven\b|\bin spite\b|\bnonetheless\b"#,
        options: [.caseInsensitive])
}
