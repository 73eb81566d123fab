import Foundation

/// Checks on what an answer says beyond its numbers, each from a class of errors found by reading Qwen2.5-0.5B's
/// "grounded" answers against their evidence (Fixtures/verifier): an answer that does not answer its kind of
/// question, a diagnosis or history presented as recorded, a neighbour called "the most similar" out of rank, and
/// a score's name expanded into something it is not.
extension AnswerVerifier {
    /// Why the answer does not answer its kind of question (nil: it does). The text must answer; findings support.
    /// `prose` is the answer and its findings, one per line, as `verify` joined them.
    static func unanswered(_ answer: ParsedAnswer, prose: String, kind: QuestionKind) -> String? {
        let text = answer.answer
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // "…as follows:" is complete when the findings follow it (they are shown right after the answer).
        if trimmed.hasSuffix(":"), answer.findings.isEmpty {
            return "the answer stops where its content should begin (\"…\(String(text.suffix(40)))\")"
        }
        // (Rules 25) An answer that is nothing but the announcement ("The subjects most similar to this case are as
        // follows:", Qwen2.5-0.5B under prompt v7) answers nothing, whatever findings follow it.
        if trimmed.hasSuffix(":"), !trimmed.dropLast().contains(". ") {
            return "the answer only announces what follows (\"\(String(trimmed.prefix(60)))\") and states nothing"
        }
        if demographicsAsScores.matches(in: prose) {
            return "gives the case's age and education as its cognitive test scores"
        }
        switch kind {
        case .cognition:
            // (Rules 32) A case without scores in its evidence is answered by saying so ("None of the case's cognitive scores
            // … is recorded", "… were not used in this run"): prompt v11's answer for it.
            if ScoreClaimChecker.claims(in: prose).isEmpty, !noScores.matches(in: text) { return "names none of the case's cognitive scores with its value" }
        case .apoe:
            if !genotypeWords.matches(in: text) { return "the answer does not state the case's APOE genotype or ε4 alleles" }
        case .diagnosis:
            if (try? AnswerParser.diagnosis(inProse: text, excerpt: "")) == nil { return "the answer does not name one diagnosis" }
        case .severity, .similarCases, .prognosis, .other:
            break
        }
        return nil
    }

    /// A diagnosis or history presented as recorded for the case: its diagnosis is withheld from the model, and
    /// the evidence holds no history.
    static func recordedClaims(in prose: String) -> [String] {
        var out: [String] = []
        if historyClaim.matches(in: prose) { out.append("speaks of the case's history, which the evidence does not record") }
        if recordedDiagnosisClaim.matches(in: prose) {
            out.append("presents a diagnosis as recorded for the case; its diagnosis is withheld, and Memoir only estimates it")
        } else if let quote = diagnosisInPassing.firstMatchText(in: prose) {
            out.append("gives the case a diagnosis (\"\(quote)\"); its diagnosis is withheld, and Memoir only estimates it")
        }
        if let quote = testCalledDiagnosis.firstMatchText(in: prose) {
            out.append("calls a test a diagnosis (\"\(quote)\"); MMSE, MoCA, ADAS-Cog and CDR-SB are scores, not diagnoses")
        }
        if let quote = geneNamedAfterGroup.firstMatchText(in: prose) {
            out.append("names a gene or allele after a diagnosis (\"\(quote)\"); the only gene in the evidence is APOE")
        }
        if let quote = groupAverage.firstMatchText(in: prose) {
            out.append("speaks of \"\(quote)\", which the evidence does not give; it gives the groups' percentiles")
        }
        if let quote = measureListedAsDiagnosis.firstMatchText(in: prose) {
            out.append("lists a measure among diagnoses (\"\(quote)\")")
        }
        if let quote = bandNamedAfterGroup.firstMatchText(in: prose) {
            out.append("names a score band after a diagnosis group (\"\(quote)\"); the evidence's bands are impairment bands (NICE TA217), not diagnoses")
        }
        for m in expansion.matches(in: prose, range: NSRange(prose.startIndex..., in: prose)) {
            guard let r = Range(m.range(at: 2), in: prose), let name = Range(m.range(at: 1), in: prose) else { continue }
            let spelled = prose[r].lowercased()
            let standard = prose[name].uppercased() == "MMSE" ? "mini-mental state" : "montreal cognitive"
            if spelled.range(of: #"\p{L}{3}"#, options: .regularExpression) != nil, !spelled.replacingOccurrences(of: " ", with: "-").contains(standard.replacingOccurrences(of: " ", with: "-")) {
                out.append("expands \(prose[name]) as \"\(prose[r])\", which it is not")
            }
        }
        return out
    }

    /// A neighbour called "the most similar" (or a run of "the most similar subjects") that is not first (or not
    /// the first ones) in the evidence's order. "One of", "among" and a list of all five are not rank claims.
    func rankClaims(in prose: String) -> [String] {
        var out: [String] = []
        for sentence in ScoreClaimChecker.sentences(of: prose) where Self.rankWords.matches(in: sentence) && !Self.notRank.matches(in: sentence) {
            let ids = Self.subjectIDs(in: sentence).filter(contextIDs.contains)
            guard !ids.isEmpty, ids.count < contextIDs.count else { continue }
            let expected = Array(contextIDs.prefix(ids.count))
            if Set(ids) != Set(expected), let wrong = ids.first(where: { !expected.contains($0) }), let rank = contextIDs.firstIndex(of: wrong) {
                out.append("calls \(wrong) the most similar, but it is number \(rank + 1) of the five")
            }
        }
        return out
    }

    static let demographicsAsScores = try! NSRegularExpression(
        pattern: #"\b(?:scores?|results?)\b[^.\n]{0,30}?(?:are|is|:)[^.]{0,20}?\d+[- ]years?[- ]old"#, options: [.caseInsensitive])
    static let noScores = try! NSRegularExpression(
        pattern: #"\bcognitive scores\b[^.]*\b(?:is|are|were)\s+(?:not\s+recorded|not\s+used)\b"#, options: [.caseInsensitive])
    static let genotypeWords = try! NSRegularExpression(pattern: #"(?:ε|\be|epsilon ?)[234]|\ballele|\bcarrier|\bgenotype (?:is|was)\b"#, options: [.caseInsensitive])
    /// (Rules 31) also a change against an earlier result ("a significant improvement over the previous one", SmolLM2 under
    /// prompt v10): the evidence holds the case's one visit. The neighbours' courses ("their decline from baseline") are theirs.
    static let historyClaim = try! NSRegularExpression(
        pattern: #"\bhistory of\b|\bpreviously diagnosed\b|\bdiagnosed with\b|\b(?:improvement|decline|change|increase|decrease|drop|rise)\s+(?:over|from|since|compared (?:to|with))\s+(?:the|its|his|her)\s+(?:previous|prior|last|earlier)\b"#,
        options: [.caseInsensitive])
    /// "the evidence states that the patient has …"; (rules 15) "the case's recorded diagnosis of CN", "this
    /// subject's actual diagnosis is MCI", "the patient has a documented diagnosis" (a neighbour's "recorded
    /// diagnosis" is its own: only the case's is withheld).
    static let recordedDiagnosisClaim = try! NSRegularExpression(
        pattern: #"\b(?:evidence|record|records|data)\s+(?:states?|shows?|says?|confirms?)\s+(?:that\s+)?the\s+(?:subject|patient|case)\s+(?:has|had|is)\b|\b(?:(?:the|this)\s+(?:case|patient)|this\s+subject)['’]s\s+(?:recorded|actual|documented|known|confirmed|established|true)\s+diagnosis\s*(?:(?:of|is|was|as)\s+|:\s*)?(?:an?\s+)?(?:cognitively normal|normal cognition|mild cognitive impairment|alzheimer|dementia|CN|MCI|AD)\b|\b(?:the|this)\s+(?:case|patient|subject)\s+(?:has|had|carries)\s+(?:an?\s+)?(?:recorded|documented|confirmed|established)\s+diagnosis\b"#,
        options: [.caseInsensitive])
    /// (Rules 16) A diagnosis given to the case in passing, in a question about something else: "The case has a MCI
    /// diagnosis", "the patient shares … a MCI diagnosis", "The patient's MCI diagnosis", "has a diagnosis of MCI",
    /// "shares a record diagnosis of CN" (Qwen2.5-1.5B under prompt v5, similar-cases answers). What the case shares stops
    /// at "with", "who", "which" or an id: "shares a similar MMSE with 002_S_0295, who has a recorded diagnosis of MCI" is right.
    static let diagnosisInPassing = try! NSRegularExpression(
        pattern: #"\b(?:the|this)\s+(?:case|patient)\s+(?:has|had|shares?|carries)\s+(?:an?\s+|the\s+same\s+)?(?:recorded\s+|record\s+)?(?:\#(diagnosisNames))\s+diagnosis\b|\b(?:the|this)\s+(?:case|patient)\s+(?:has|had|shares?)\s+(?:an?\s+|the\s+(?:same\s+)?)?(?:recorded\s+|record\s+)?diagnosis\s+of\b|\b(?:the|this)\s+(?:case|patient)['’]s\s+(?:\#(diagnosisNames))\s+diagnosis\b|\b(?:the|this)\s+(?:case|patient)\s+shares?\b(?:(?!\bwho\b|\bwhose\b|\bwhich\b|\bwith\b|\d{3}_S_\d)[^.\n]){0,100}?\b(?:an?|the\s+same)\s+(?:record(?:ed)?\s+)?(?:(?:\#(diagnosisNames))\s+)?diagnosis\b|\b(?:the|this)\s+(?:case|patient)\s+shares?\b[^.\n]{0,120}?\bincluding\s+(?:having\s+)?(?:an?|the\s+same)\s+(?:record(?:ed)?\s+)?(?:(?:\#(diagnosisNames))\s+)?diagnosis\b|\b(?:the|this)\s+(?:case|patient|subject)\s+(?:has|had|is\s+diagnosed\s+with|suffers\s+from)\s+(?:an?\s+)?(?:mild cognitive impairment|MCI|dementia|Alzheimer['’]?s?(?: disease)?)\b|\bplaces?\s+(?:them|him|her|the\s+(?:case|patient|subject)|this\s+(?:case|patient|subject))\s+in\s+the\s+(?:\#(diagnosisNames))\s+(?:category|group|class)\b"#,
        options: [.caseInsensitive])
    static let diagnosisNames = #"cognitively normal|CN|MCI|mild cognitive impairment|dementia|Alzheimer['’]?s?(?: disease)?|AD"#
    /// (Rules 16) "within the mild cognitive impairment (MCI) band", "the moderate-impairment band, which is the range for
    /// the CN group": the evidence's MMSE bands (NICE TA217) are impairment bands, not diagnosis groups. (Rules 26) "the
    /// mild-impairment band, which is considered mild cognitive impairment (MCI)" (Qwen2.5-Coder-1.5B under prompt v7).
    static let bandNamedAfterGroup = try! NSRegularExpression(
        pattern: #"\b(?:cognitively normal|CN|MCI|mild cognitive impairment|dementia)\s*(?:\([^)]{1,40}\)\s*)?band\b|\bband\b[^.\n]{0,40}?\b(?:(?:range|band)\s+(?:for|of)|considered|called|known as|defined as)\s+(?:an?\s+|the\s+)?(?:CN|MCI|dementia|cognitively normal|mild cognitive impairment)\b"#,
        options: [.caseInsensitive])
    /// (Rules 21) "the presence of ADAS-Cog 13, which is a common diagnosis in Alzheimer's disease" (Qwen2.5-0.5B's demo
    /// reply under prompt v6, grounded under rules 20): a score named as a diagnosis.
    static let testCalledDiagnosis = try! NSRegularExpression(
        pattern: #"\b(?:MMSE|MoCA|ADAS(?:[- ]?Cog)?(?:[- ]?1[13])?|CDR[- ]?SB)\b[^.\n]{0,12}?(?:,\s*which|,\s*that)?\s+(?:is|was|as)\s+(?:a|an|the)\s+(?:common\s+|typical\s+|known\s+|frequent\s+|most\s+likely\s+|likely\s+|probable\s+)?diagnosis\b"#,
        options: [.caseInsensitive])
    /// (Rules 30) "significantly higher than the library's average of 17" (Qwen2.5-0.5B under prompt v9, grounded by rules 29;
    /// the 17 was another number of the evidence): the evidence ranks the case among the library's groups by percentile and
    /// gives no group's average.
    static let groupAverage = try! NSRegularExpression(
        pattern: #"\b(?:library|group|groups|CN|MCI|Dementia|subjects|neighbou?rs)['’]?s?\s+(?:average|mean)\b|\b(?:average|mean)\s+(?:\w+\s+)?(?:for|of|among)\s+(?:the\s+)?(?:library|cognitively normal|CN|MCI|Dementia|subjects|groups?)\b"#, options: [.caseInsensitive])
    /// (Rules 30) "The subjects most similar to this case are MCI, Dementia, and white-matter FA" (Qwen2.5-0.5B under prompt
    /// v9, grounded by rules 29): a measure in a list of diagnoses.
    static let measureListedAsDiagnosis = try! NSRegularExpression(
        pattern: #"\b(?:are|were)\s+(?:CN|MCI|Dementia)(?:,\s*(?:CN|MCI|Dementia))*,?\s+and\s+(?:the\s+)?(?:white-matter FA|FA|MMSE|MoCA|ADAS-Cog(?: 1[13])?|brain parenchymal fraction|APOE)(?=\s*[.;,]|\s*$)"#)
    /// (Rules 24) "the MCI gene", "the one with the MCI allele" (SmolLM2's grounded v6 answers).
    static let geneNamedAfterGroup = try! NSRegularExpression(
        pattern: #"\b(?:MCI|CN|dementia|Alzheimer['’]?s?)\s+(?:genes?|alleles?|genotypes?|mutations?)\b"#, options: [.caseInsensitive])
    static let expansion = try! NSRegularExpression(pattern: #"\b(MMSE|MoCA)\s*\(([^)0-9]{3,60})\)"#, options: [.caseInsensitive])
    static let rankWords = try! NSRegularExpression(pattern: #"\b(?:the )?(?:most similar|closest|nearest)\b"#, options: [.caseInsensitive])
    static let notRank = try! NSRegularExpression(pattern: #"\bone of\b|\bamong\b|\bfive\b|\b5\b|\bother\b"#, options: [.caseInsensitive])
}
