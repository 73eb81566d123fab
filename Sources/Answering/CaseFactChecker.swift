import Foundation

/// Checks what an answer says of the case's age and APOE genotype against the evidence. The bare-number check
/// passes "the subject is 80 years old" when a neighbour is 80, and cannot see "ε3/ε4" at all (the digits sit
/// inside a word); a sentence about the case must give the case's own age, genotype and ε4 count.
public struct CaseFactChecker: Sendable {
    public var caseAge: Double?
    public var neighbourAges: [Double]
    /// The case's genotype as two allele numbers in ascending order (nil: not recorded or not shown).
    public var genotype: [Int]?

    public init(caseAge: Double?, neighbourAges: [Double], genotype: [Int]?) {
        (self.caseAge, self.neighbourAges, self.genotype) = (caseAge, neighbourAges, genotype?.sorted())
    }

    /// The facts an `Evidence` shows: the age from its demographics ("74-year-old woman"), the genotype from
    /// its APOE line ("APOE ε3/ε4 (one ε4 allele: … risk of ε3/ε3 …)": the first genotype is the case's).
    public init(evidence: Evidence) {
        let age = Self.firstMatch(Self.demographicAge, in: evidence.demographics).flatMap { Double($0[0]) }
        let genotype = evidence.apoe.flatMap { Self.firstMatch(Self.genotypePattern, in: $0) }.map { $0.compactMap { Int($0) } }
        self.init(caseAge: age, neighbourAges: evidence.neighbours.compactMap(\.age), genotype: genotype)
    }

    /// One issue per age, genotype or ε4 count the evidence does not give the case, in text order.
    public func issues(in text: String) -> [ScoreClaimChecker.Issue] {
        var out: [ScoreClaimChecker.Issue] = []
        for sentence in ScoreClaimChecker.sentences(of: text) {
            let aboutOthers = ScoreClaimChecker.mentionsOthers(sentence)
            out += ageIssues(in: sentence, aboutOthers: aboutOthers)
            // "Compared to other genotypes" still speaks of the case's; a sentence naming neighbours does not.
            if !MeasureClaimChecker.neighbourPattern.matches(in: sentence) {
                out += riskIssues(in: sentence)
            }
            guard !aboutOthers else { continue }  // the neighbours' ε4 counts are theirs to quote
            out += genotypeIssues(in: sentence) + e4CountIssues(in: sentence)
        }
        return out
    }

    func ageIssues(in sentence: String, aboutOthers: Bool) -> [ScoreClaimChecker.Issue] {
        // "The case has an age of 75" is the case's, even in a finding about a neighbour (rules 16).
        let owned = Self.allMatches([Self.caseOwnedAge], in: sentence).compactMap { $0.first.flatMap(Double.init) }
        return Self.allMatches(Self.agePatterns, in: sentence).compactMap { groups in
            guard let text = groups.first, let value = Double(text) else { return nil }
            let allowed = (caseAge.map { [$0] } ?? []) + (aboutOthers && !owned.contains(value) ? neighbourAges : [])
            if allowed.contains(where: { abs($0 - value) < 1 }) { return nil }
            let message = caseAge.map { own in
                "gives the age as \(text)" + (neighbourAges.contains(where: { abs($0 - value) < 1 }) ? " (a neighbour's)" : "")
                    + "; the case is \(EvidenceBuilder.whole(own))"
            } ?? "gives the age as \(text), which the evidence does not record"
            return ScoreClaimChecker.Issue(value: value, message: message)
        }
    }

    func genotypeIssues(in sentence: String) -> [ScoreClaimChecker.Issue] {
        // ε3/ε3 is the reference the risk is stated against ("3 times the risk of ε3/ε3").
        let reference = sentence.range(of: #"risk of|\bthan\b|compared|relative to|reference|versus|\bvs\b"#, options: [.regularExpression, .caseInsensitive]) != nil
        return Self.allMatches([Self.genotypePattern], in: sentence).compactMap { groups in
            let stated = groups.compactMap { Int($0) }.sorted()
            if stated == genotype || (reference && stated == [3, 3]) { return nil }
            let text = "ε\(stated[0])/ε\(stated[1])"
            return ScoreClaimChecker.Issue(value: .nan, message: "gives APOE \(text); "
                + (genotype.map { "the case's genotype is ε\($0[0])/ε\($0[1])" } ?? "the evidence gives no genotype for the case"))
        }
    }

    /// A raised Alzheimer's risk for a genotype without ε4 (ε3/ε3 is the reference; ε2 lowers the risk); (rules 15)
    /// no risk at all ("ε3/ε3, which does not carry any risk"), and a fold risk stated against another reference
    /// than the evidence's ε3/ε3 ("about 15 times compared to having one or none").
    /// (Rules 16) A lowered risk for a genotype without ε2 ("ε3/ε3 … associated with a reduced risk") unless it is a
    /// comparison ("a lower risk than ε4 carriers"), and a risk in percent ("a 16% risk"): the evidence states risk
    /// only as a multiple of ε3/ε3's, and its percentages are shares and class probabilities.
    func riskIssues(in sentence: String) -> [ScoreClaimChecker.Issue] {
        let whole = NSRange(sentence.startIndex..., in: sentence)
        var out: [ScoreClaimChecker.Issue] = []
        if Self.percentRisk.firstMatch(in: sentence, range: whole) != nil {
            out.append(.init(value: .nan, message: "gives an Alzheimer's risk in percent; the evidence states risk only as a multiple of ε3/ε3's, "
                             + "and its percentages are the vote's shares and the encoder's class probabilities"))
        }
        guard let genotype else { return out }
        let own = "ε\(genotype[0])/ε\(genotype[1])"
        // Only about the genotype ("a lower risk of progression" is a prognosis), and not denied ("neither raised nor reduced").
        if !genotype.contains(2), Self.reducedRisk.firstMatch(in: sentence, range: whole) != nil,
           Self.genotypeWords.firstMatch(in: sentence, range: whole) != nil || Self.genotypePattern.firstMatch(in: sentence, range: whole) != nil,
           Self.comparison.firstMatch(in: sentence, range: whole) == nil, !NSRegularExpression.negation.matches(in: sentence) {
            out.append(.init(value: .nan, message: "says \(own) lowers the Alzheimer's risk; the evidence gives ε3/ε3 as the reference, and only ε2 lowers it"))
        }
        if !genotype.contains(4), Self.raisedRisk.firstMatch(in: sentence, range: whole) != nil,
           Self.loweredRisk.firstMatch(in: sentence, range: whole) == nil {
            out.append(.init(value: .nan, message: "says the case's genotype raises the Alzheimer's risk; \(own) has no ε4 allele"))
        }
        // (Rules 28) "This genotype is associated with a higher risk of ε3/ε3" (Qwen2.5-0.5B under prompt v8): the reference
        // genotype given as what is risked; the evidence's "3 times the Alzheimer's risk of ε3/ε3" compares with it.
        if let risked = Self.genotypeAsOutcome.firstMatchText(in: sentence) {
            out.append(.init(value: .nan, message: "gives \"\(risked)\" as what is risked; the evidence states the risk of Alzheimer's disease against ε3/ε3's"))
        }
        if Self.noRisk.firstMatch(in: sentence, range: whole) != nil {
            out.append(.init(value: .nan, message: "says \(own) carries no Alzheimer's risk; the evidence states risks against ε3/ε3, the usual risk, not none"))
        }
        if let reference = Self.foldRiskReference.firstMatch(in: sentence, range: whole).flatMap({ Range($0.range(at: 1), in: sentence) }) {
            let named = String(sentence[reference])
            // (Rules 26) "compared to having one or no ε4 allele" names the evidence's reference beside another one.
            if Self.genotypeWords.firstMatch(in: named, range: NSRange(named.startIndex..., in: named)) != nil,
               Self.evidenceReference.firstMatch(in: named, range: NSRange(named.startIndex..., in: named)) == nil || Self.oneAllele.matches(in: named) {
                out.append(.init(value: .nan, message: "states the risk against \"\(named.trimmingCharacters(in: .whitespaces))\"; the evidence states it against ε3/ε3"))
            }
        }
        return out
    }

    func e4CountIssues(in sentence: String) -> [ScoreClaimChecker.Issue] {
        guard let genotype else { return [] }
        let own = genotype.filter { $0 == 4 }.count
        return Self.allMatches([Self.e4Count], in: sentence).compactMap { groups in
            guard let word = groups.first?.lowercased() else { return nil }
            let stated = ["no": 0, "zero": 0, "0": 0, "non-carrier": 0, "noncarrier": 0, "one": 1, "a single": 1, "1": 1,
                          "heterozygous": 1, "two": 2, "both": 2, "2": 2, "homozygous": 2][word]
            guard let stated, stated != own else { return nil }
            return ScoreClaimChecker.Issue(value: Double(stated), message: "says the case has \(stated) ε4 allele(s); its genotype ε\(genotype[0])/ε\(genotype[1]) has \(own)")
        }
    }

    // MARK: Patterns

    static let demographicAge = try! NSRegularExpression(pattern: #"^(\d+)(?:-year-old| years old)"#)
    /// "74-year-old", "74 years old", "aged 74", "age is 74", "age of 74", "age: 74".
    static let agePatterns = [
        try! NSRegularExpression(pattern: #"(?<![\d.])(\d{1,3})[- ]years?[- ]old\b"#, options: [.caseInsensitive]),
        try! NSRegularExpression(pattern: #"\bage(?:d|\s+(?:is|was|of))?\s*:?\s+(\d{1,3})(?![\d.]|\s*(?:st|nd|rd|th|%|months?)\b)"#, options: [.caseInsensitive]),
    ]
    /// "ε3/ε4", "E3/E4", "e3/e4", "epsilon 3/epsilon 4".
    static let genotypePattern = try! NSRegularExpression(
        pattern: #"(?<![\p{L}\d])(?:ε|e|epsilon ?)([234])\s*/\s*(?:ε|e|epsilon ?)?([234])(?!\d)"#, options: [.caseInsensitive])
    /// "an increased risk", "a risk factor"; (rules 15) "this genotype raises the risk".
    static let raisedRisk = try! NSRegularExpression(
        pattern: #"\b(?:higher|high|increased|elevated|greater|raised)\s+(?:\w+\s+){0,2}?risk\b|\brisk factor\b|\b(?:raises|increases|elevates)\s+(?:\w+['’]?s?\s+){0,2}?risk\b"#,
        options: [.caseInsensitive])
    /// "does not carry any risk", "no risk", "not associated with (the development of) Alzheimer's".
    static let noRisk = try! NSRegularExpression(
        pattern: #"\b(?:no|zero)\s+risk\b|\bnot\s+(?:carry|have|pose|confer|entail)\s+any\s+(?:\w+\s+)?risk\b|\brisk[- ]free\b|\bnot\s+at\s+(?:any\s+)?risk\b|\bnot associated with (?:the development of |developing |the onset of )?Alzheimer"#,
        options: [.caseInsensitive])
    /// "… 3 times compared to <reference>": group 1 is the reference, to the sentence's end.
    static let foldRiskReference = try! NSRegularExpression(
        pattern: #"\btimes?\b[^.]{0,40}?\b(?:compared (?:to|with)|than|relative to|versus|vs\.?|over)\s+([^.;]{1,80})"#, options: [.caseInsensitive])
    /// A reference that names alleles or genotypes (a vague "the average person" is not judged).
    static let genotypeWords = try! NSRegularExpression(pattern: #"ε|\be\d|epsilon|allele|\bcop(?:y|ies)\b|genotype|carrier|\bnone\b|\bone\b"#,
                                                        options: [.caseInsensitive])
    /// "risk of ε3/ε3" not preceded by "times the (Alzheimer's) ": a genotype where the disease belongs.
    static let genotypeAsOutcome = try! NSRegularExpression(
        pattern: #"(?<!times the Alzheimer's )(?<!times the Alzheimer’s )(?<!times the )\brisk\s+of\s+(?:an?\s+|the\s+)?(?:APOE\s+)?(?:ε|e)\d\s*/\s*(?:ε|e)\d"#,
        options: [.caseInsensitive])
    /// The evidence's reference, in the words a model may use: ε3/ε3, two ε3 alleles, no ε4, non-carriers.
    static let evidenceReference = try! NSRegularExpression(
        pattern: #"(?:ε|e|epsilon ?)3\s*/\s*(?:ε|e|epsilon ?)?3|\btwo\s+(?:APOE\s+)?(?:ε|e|epsilon ?)3|(?:ε|e|epsilon ?)3\s+homozyg|\bno\s+(?:APOE\s+)?(?:ε|e|epsilon ?)4|\bwithout\s+(?:an?\s+|any\s+)?(?:APOE\s+)?(?:ε|e|epsilon ?)4|\bnon-?carriers?\b"#,
        options: [.caseInsensitive])
    /// One ε4 allele as (part of) a reference: "one or no ε4 allele", "a single copy", "heterozygous carriers".
    static let oneAllele = try! NSRegularExpression(pattern: #"\bone\b|\bsingle\b|\bheterozyg"#, options: [.caseInsensitive])
    static let reducedRisk = try! NSRegularExpression(
        pattern: #"\b(?:reduced|lower(?:ed)?|decreased|diminished)\s+(?:\w+\s+){0,2}?risk\b|\bprotective\b|\b(?:reduces|lowers|decreases)\s+(?:\w+['’]?s?\s+){0,2}?risk\b"#,
        options: [.caseInsensitive])
    static let comparison = try! NSRegularExpression(pattern: #"\bthan\b|\bcompared\b|\brelative to\b|\bversus\b|\bvs\b"#, options: [.caseInsensitive])
    /// "a 16% risk", "a risk of 20 %".
    static let percentRisk = try! NSRegularExpression(
        pattern: #"\b\d+(?:\.\d+)?\s?(?:%|percent)\s+(?:\w+\s+)?risk\b|\brisk\s+(?:of|is|at)\s+(?:about\s+|around\s+|roughly\s+)?\d+(?:\.\d+)?\s?(?:%|percent)"#,
        options: [.caseInsensitive])
    /// "the case has an age of 75", "the patient's age is 75", "the case is 75 years old": group 1 is the case's age as stated.
    static let caseOwnedAge = try! NSRegularExpression(
        pattern: #"\b(?:the|this)\s+(?:case|patient)(?:['’]s\s+age(?:\s+is|\s+of)?|\s+(?:has|had)\s+an?\s+age\s+of|\s+is\s+(?:aged\s+)?)\s*(\d{1,3})\b"#,
        options: [.caseInsensitive])
    static let loweredRisk = try! NSRegularExpression(pattern: #"\bno\b|\bnot\b|\blower|\bwithout\b|\breference\b|\bbaseline\b|\bcarriers?\b"#, options: [.caseInsensitive])
    static let e4Count = try! NSRegularExpression(
        pattern: #"\b(no|zero|0|one|a single|1|two|both|2)\s+(?:APOE\s+)?(?:ε|e|epsilon ?)4\s+(?:alleles?|cop(?:y|ies))|\b(homozygous|heterozygous|non-?carrier)\b"#,
        options: [.caseInsensitive])

    /// The capture groups of the first match.
    static func firstMatch(_ regex: NSRegularExpression, in text: String) -> [String]? {
        allMatches([regex], in: text).first
    }

    /// For every match of every pattern, its non-empty capture groups, in text order.
    static func allMatches(_ patterns: [NSRegularExpression], in text: String) -> [[String]] {
        var found: [(Int, [String])] = []
        for regex in patterns {
            for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let groups = (1..<max(1, m.numberOfRanges)).compactMap { i in Range(m.range(at: i), in: text).map { String(text[$0]) } }
                // Two patterns reading one number ("age is 80 years old") make one claim.
                let at = (1..<max(1, m.numberOfRanges)).map { m.range(at: $0).location }.first { $0 != NSNotFound } ?? m.range.location
                if !found.contains(where: { $0.0 == at }) { found.append((at, groups)) }
            }
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
