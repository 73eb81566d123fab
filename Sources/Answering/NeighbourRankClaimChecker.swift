import Foundation

/// Checks a superlative that places the case among its five neighbours: "The case's age is 74 years, which is the highest
/// age in the list" (the neighbours are 76 to 82), "The case's MMSE of 26/30 is the most common among the five most similar
/// subjects" (no neighbour shares it). Qwen2.5-0.5B under prompt v8 on the demo case, both passed by rules 26: every number
/// was the evidence's; the order among them was not.
public struct NeighbourRankClaimChecker: Sendable {
    /// The measures a superlative can place, with the case's value and the neighbours' (those recorded).
    public struct Ranked: Sendable, Equatable {
        public var measure: String
        public var caseValue: Double
        public var neighbourValues: [Double]
    }

    public var ranked: [Ranked]
    /// Each measure's values for the five in rank order, when every neighbour has one (for "…, respectively" lists of scores).
    public var inRankOrder: [String: [Double]] = [:]

    public init(ranked: [Ranked]) { self.ranked = ranked }

    public init(evidence: Evidence) {
        func reading(_ measure: String) -> Double? { evidence.readings.first { $0.measure == measure }?.value }
        let candidates: [(String, Double?, [Double?])] = [
            ("age", CaseFactChecker(evidence: evidence).caseAge, evidence.neighbours.map(\.age)),
            ("MMSE", reading("MMSE"), evidence.neighbours.map(\.mmse)),
            ("MoCA", reading("MoCA"), evidence.neighbours.map(\.moca)),
            ("ADAS-Cog 13", reading("ADAS-Cog 13"), evidence.neighbours.map(\.adas13)),
        ]
        ranked = candidates.compactMap { measure, value, others in
            value.map { Ranked(measure: measure, caseValue: $0, neighbourValues: others.compactMap { $0 }) }
        }.filter { !$0.neighbourValues.isEmpty }
        for (measure, _, values) in candidates where !values.isEmpty && !values.contains(nil) {
            inRankOrder[measure] = values.compactMap { $0 }
        }
    }

    /// (Rules 30) A list of the five's values "respectively" that is not theirs in the evidence's order: "The most similar
    /// subjects … with MMSE scores of 29, 26, 22, 28, and 29, respectively" where the first's is 30 (Qwen2.5-Coder-1.5B under
    /// prompt v10, grounded by rules 29: each number was some subject's).
    public func respectiveIssues(in text: String) -> [String] {
        Self.respective.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { m in
            let ns = text as NSString
            // A list that names its subjects may give them in any order. (Rules 32) Its sentence is found as the verifier splits
            // sentences, so a decimal point ("similarity 0.998") starts none.
            let own = ScoreClaimChecker.sentences(of: ns.substring(to: m.range.location + m.range.length)).last ?? ""
            if !AnswerVerifier.subjectIDs(in: own).isEmpty { return nil }
            let measure = MeasureName.last(in: ns.substring(with: m.range(withName: "measure")))?.measure ?? ""
            guard let theirs = inRankOrder[measure] else { return nil }
            let said = AnswerVerifier.numbers(in: ns.substring(with: m.range(withName: "list"))).map(\.value)
            guard said.count == theirs.count, zip(said, theirs).contains(where: { abs($0 - $1) > 0.01 }) else { return nil }
            return "lists \(measure) \(said.map(EvidenceBuilder.number).joined(separator: ", ")) for the five in order, but theirs are "
                + theirs.map(EvidenceBuilder.number).joined(separator: ", ")
        }
    }

    static let respective = try! NSRegularExpression(
        pattern: #"(?<measure>\bMMSE|\bMoCA|\bADAS-Cog 13)\s+(?:scores?\s+)?(?:of\s+)?(?<list>\d+(?:\.\d+)?(?:\s*,\s*(?:and\s+)?\d+(?:\.\d+)?)+),?\s+respectively"#,
        options: [.caseInsensitive])

    /// One message per superlative among the neighbours that the case's value contradicts. `text`: the answer and its
    /// findings about the case.
    public func issues(in text: String) -> [String] {
        var out: [String] = []
        for sentence in ScoreClaimChecker.sentences(of: text) {
            let ns = sentence as NSString
            for match in Self.superlative.matches(in: sentence, range: NSRange(location: 0, length: ns.length)) {
                let word = ns.substring(with: match.range(withName: "word")).lowercased()
                let clause = TypicalityClaimChecker.lastClause(of: ns.substring(to: match.range.location))
                if TypicalityClaimChecker.hedge.matches(in: clause) { continue }
                // "the highest age in the list" names its measure after the word; "MMSE of 26/30 is the most common …" before it.
                let noun = match.range(withName: "noun").location == NSNotFound ? "" : ns.substring(with: match.range(withName: "noun"))
                guard let r = noun.isEmpty ? lastRanked(in: clause) : ranked.first(where: { Self.names($0.measure, noun) }) else { continue }
                if let contradiction = Self.contradiction(word, r) {
                    out.append("calls the case's \(r.measure) (\(EvidenceBuilder.number(r.caseValue))) \(contradiction)")
                }
            }
        }
        return out.uniqued()
    }

    /// What is wrong with calling `r`'s case value `word` among the neighbours; nil when it holds.
    static func contradiction(_ word: String, _ r: Ranked) -> String? {
        let values = r.neighbourValues.map(EvidenceBuilder.number).joined(separator: ", ")
        switch word {
        case "highest", "oldest", "largest", "greatest":
            return r.caseValue >= r.neighbourValues.max()! ? nil : "the \(word) among the five, but theirs are \(values)"
        case "lowest", "youngest", "smallest":
            return r.caseValue <= r.neighbourValues.min()! ? nil : "the \(word) among the five, but theirs are \(values)"
        default:  // most common
            let shared = r.neighbourValues.filter { abs($0 - r.caseValue) < 1e-9 }.count
            let counts = Dictionary(grouping: r.neighbourValues, by: { $0 }).values.map(\.count)
            return shared >= 2 && shared >= counts.max()! ? nil : "the most common among the five, but theirs are \(values)"
        }
    }

    func lastRanked(in clause: String) -> Ranked? {
        ranked.compactMap { r -> (Ranked, Int)? in
            if r.measure == "age" {
                return Self.agePattern.matches(in: clause, range: NSRange(clause.startIndex..., in: clause)).last.map { (r, $0.range.location) }
            }
            return MeasureName.lastRange(of: r.measure, in: clause).map { (r, $0.location) }
        }.max(by: { $0.1 < $1.1 })?.0
    }

    static let agePattern = try! NSRegularExpression(pattern: #"\bage\b"#, options: [.caseInsensitive])

    static func names(_ measure: String, _ noun: String) -> Bool {
        measure == "age" ? noun.lowercased().hasPrefix("age") : MeasureName.names(measure, in: noun)
    }

    /// A superlative followed, within a few words, by the neighbours as its frame ("in the list", "among the five", "of the
    /// most similar subjects"); a library frame ("in the library") is `TypicalityClaimChecker`'s.
    static let superlative = try! NSRegularExpression(
        pattern: #"\bthe\s+(?<word>highest|lowest|oldest|youngest|largest|smallest|greatest|most common)\b\s*(?<noun>age|MMSE|MoCA|ADAS-Cog(?:\s*13)?)?"#
            + #"[^.;]{0,40}?\b(?:in the list|among the (?:five|5)\b|of the (?:five|5)\b|among (?:the |its |these )?(?:most )?similar|of (?:the |its )?(?:most )?similar|among (?:the |its )?neighbou?rs)"#,
        options: [.caseInsensitive])
}
