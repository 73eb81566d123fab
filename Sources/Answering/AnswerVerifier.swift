import Cohort
import Foundation

/// Checks an answer against the evidence it was given, so that nothing the LLM made up is presented as
/// an answer: every subject id must be one of the five given; every number must be one the evidence (or
/// the question) holds, to the answer's rounding; the diagnosis the text states must be the diagnosis
/// field; a reply cut at the token budget, empty, a word or two, or looping is caught.
public struct AnswerVerifier: Sendable {
    /// Bumped whenever a rule changes what passes, so an evaluation never resumes verdicts given by other rules
    /// (2: score values bound to their score; 3: cut-offs only in cut-off wording, ranges, times and lists;
    /// 4: a diagnosis neither the neighbours' vote nor the encoder leads with is an unsupported claim;
    /// 5: two findings that say the same sentence are a loop; ids past four digits, as a cohort of 10⁴ or more
    /// subjects numbers them, are ids; 6: "the diagnosis for this subject, based on …, is X" states a diagnosis;
    /// 7: the case's age, APOE genotype and ε4 count are bound to sentences about the case; "a moderate MMSE"
    /// is a severity claim; 8: so is "the MMSE is very severe"; 9: every other number bound to the measure named
    /// before it, an answer that does not answer its kind of question, a history or recorded diagnosis, "the most
    /// similar" out of rank, a made-up expansion of a score's name, a raised risk for a genotype without ε4;
    /// 10: the case's findings tied to another diagnosis than the field's; 11: the case's own measures are the
    /// neighbours' only after a neighbour is named, cut-offs are the scores' alone; 12: "the CDR-SB estimate is
    /// 1.9" is a CDR-SB, the 13 of "ADAS-Cog 13" a name, "MCI is the most likely diagnosis" a stated diagnosis, "the
    /// subjects most similar to this case have ADAS-Cog 13 24.33" gives the case's value to the neighbours, and
    /// "indicating a mild cognitive impairment" ties a finding to MCI; 13: a measure of the case called typical of a
    /// group outside whose middle 80 % the evidence places it; 14: "Alzheimers disease", "Alzheimer dementia" and
    /// every other "Alzheimer…" spelling read as Dementia wherever a diagnosis is read; 15: the case's MMSE or MoCA
    /// in its unimpaired band called below the cut-off or tied to impairment, a cut-off for a measure without one,
    /// "the case's recorded diagnosis of X", "lower (21/30) compared to (20/30)", a fold risk against another
    /// reference than ε3/ε3, no risk at all for a genotype, "among the lowest" above a group's median, and "most
    /// likely diagnosed as X" read as a stated diagnosis; 16: a score or age given to "the case" must be the case's even
    /// in a finding about a neighbour, a percentile quoted for the wrong group, a diagnosis given to the case in passing,
    /// a score band named after a diagnosis group, a lowered risk for a genotype without ε2, a risk in percent, and
    /// "a similar level of impairment" no longer read as speaking of the neighbours; 17: rules 16 without their false
    /// alarms found in review: a lowered risk only when the sentence is about the genotype and not denied, what the
    /// case "shares" stops at who/which/with/an id, a percentile after "below"/"above" is a bound, "ADAS-13" names ADAS-Cog 13; and the case's MMSE below 27 or MoCA below 26 said to show no impairment).
    /// 18: "the case's recorded diagnosis Dementia" with no verb between (Qwen2.5-0.5B under prompt v6).
    /// 19: "a recorded diagnosis of MCI" is not read as the diagnosis the answer states.
    /// 20: nor is "a record diagnosis MCI" a "Diagnosis: MCI" label.
    /// 21: a test called a diagnosis ("ADAS-Cog 13, which is a common diagnosis in Alzheimer's disease").
    /// 22: a score compared with a percentage; an unimpaired MMSE or MoCA "below the threshold" as "below the cut-off".
    /// 23: a value called above or below a range that holds it; "MMSE is 30, higher than … 26%" as a score against a percentage.
    /// 24: a gene or allele named after a diagnosis ("the MCI gene").
    /// 25: a finding that names another subject than its source; a severity answer that gives a diagnosis label; "29/30,
    /// which is below 26" (a value called below or above a bare number its own digits contradict); an answer that only
    /// announces a list; "the patient has MCI"; "not at risk"; a test called "the most likely diagnosis"; a reply that
    /// leaves English or stops mid-sentence; one list of denying words.
    /// 26 (from Qwen2.5-Coder-1.5B's answers under prompt v7): a band or cut-off quoted for a measure it is not the
    /// evidence's for ("ADAS-Cog 13 … in the mild-impairment band (NICE TA217)"); a percentile in the evidence's own list
    /// form without the word ("(library CN 19)") or with no group ("(26th percentile)"); "in the lower range" of a group above
    /// its median; a percentile in a finding about a neighbour; a high MMSE or MoCA (a low ADAS-Cog) given as a sign of
    /// dementia; an MMSE put in a band it lies outside; the case's FA given to the neighbours by a pronoun; a band "considered"
    /// a diagnosis; a genotype that "places them in the MCI category"; a fold risk against "one or no ε4 allele"; words run
    /// together.
    /// 27 (from the four held-out 1.5B answers rules 26 missed, and Qwen2.5-0.5B's first answers under prompt v8): a value
    /// called below or above a band named before its bounds ("below the mild-impairment band (21–26)"); "in the middle of" a
    /// group outside its middle half; a superlative placing the case among the five that their values contradict ("the
    /// highest age in the list", "the most common MMSE among the five"); the verifier's repair message echoed; the case's
    /// findings tied to a diagnosis the evidence does not lead with in an answer without a diagnosis field.
    /// 28 (from Qwen2.5-0.5B's first 25 answers under prompt v8): a "high" risk for a genotype without ε4; a genotype given as
    /// what is risked ("a higher risk of ε3/ε3"); a percentage beside a diagnosis label that is not that diagnosis's.
    /// 29 (from SmolLM2's 40 answers under prompt v8): a finding that loops; words strung on commas without spaces; and a
    /// mangled id ("655_S_024", Qwen2.5-0.5B under prompt v8).
    /// 30 (from Qwen2.5-0.5B's 40 answers under prompt v9): an unimpaired MMSE "which is a mild cognitive impairment"; a
    /// group's "average", which the evidence does not give; a measure in a list of diagnoses; and, from Qwen2.5-Coder-1.5B's
    /// first 25 under prompt v10, "the average for cognitively normal subjects" and the five's values listed "respectively"
    /// out of their order.
    /// 31 (from SmolLM2's 40 answers under prompt v10): a number run onto a full stop; a sentence whose first ten words come again in it; a change
    /// "over the previous" score or visit (the evidence holds one visit).
    /// 32 (from Qwen2.5-Coder-1.5B's wrong sentences under prompt v10 that rules 31 passed): one diagnosis given to all five
    /// most similar subjects when their records differ, a count of them recorded with a diagnosis, a range of their scores,
    /// and the case placed "in the MCI group" (`NeighbourSummaryClaimChecker`); a "respectively" list's sentence found past a
    /// decimal point; a cognition answer may say the case has no scores to give.
    public static let rulesVersion = 32

    /// The ids the answer may name: the five subjects given to the model.
    public var contextIDs: [String]
    /// Numbers the model was shown (evidence text and question); an answer's numbers must be among them.
    public var allowedNumbers: [Double]
    /// The case's MMSE, when the evidence holds it: a severity the text states must match its band.
    public var mmse: Double?
    /// Score values bound to their score ("MMSE is 25" must be an MMSE the evidence gives, the case's own
    /// when the sentence is about the case); nil checks bare numbers only.
    public var scoreClaims: ScoreClaimChecker?
    /// The case's age, APOE genotype and ε4 count, bound to sentences about the case; nil: no check.
    public var caseFacts: CaseFactChecker?
    /// Other numbers bound to the measure named before them (percentiles, similarities, shares, BPF, ...).
    public var measureClaims: MeasureClaimChecker?
    /// The case's measures called typical of a group, against their percentiles in it; nil: no check.
    public var typicalityClaims: TypicalityClaimChecker?
    /// The case's MMSE and MoCA tied to impairment or a cut-off against their bands; nil: no check.
    public var cutOffClaims: CutOffClaimChecker?
    /// The case's age and scores placed among the five neighbours by a superlative; nil: no check.
    public var neighbourRanks: NeighbourRankClaimChecker?
    /// A percentage beside a diagnosis label, against that diagnosis's own figures; nil: no check.
    public var diagnosisShares: DiagnosisShareChecker?
    /// Claims summing up the five (one diagnosis for all, counts, score ranges) and the case put in a group; nil: no check.
    public var neighbourSummaries: NeighbourSummaryClaimChecker?
    /// The kind of question asked: the answer must answer it (nil: no such check).
    public var kind: QuestionKind?
    /// The diagnoses the evidence leads with (the neighbours' vote, the encoder's estimate), with the wording
    /// a repair names them by; nil: no check (v1 captions carry no computed evidence).
    public var evidenceDiagnoses: EvidenceDiagnoses?

    public struct EvidenceDiagnoses: Sendable {
        public var vote: Diagnosis
        public var encoder: Diagnosis?
        /// Memoir's reading (`Evidence.reading`): usually one of the two, but an average can lead with a third.
        public var reading: Diagnosis?
        public init(vote: Diagnosis, encoder: Diagnosis?, reading: Diagnosis? = nil) {
            (self.vote, self.encoder, self.reading) = (vote, encoder, reading)
        }
        func supports(_ d: Diagnosis) -> Bool { d == vote || d == encoder || d == reading }
        var described: String {
            "the neighbours' vote leads with \(vote.rawValue)" + (encoder.map { ", the encoder's estimate with \($0.rawValue)" } ?? "")
                + (reading.map { ", Memoir's reading with \($0.rawValue)" } ?? "")
        }
    }

    public init(contextIDs: [String], evidenceText: String, question: String, mmse: Double? = nil,
                scoreClaims: ScoreClaimChecker? = nil, caseFacts: CaseFactChecker? = nil, measureClaims: MeasureClaimChecker? = nil,
                evidenceDiagnoses: EvidenceDiagnoses? = nil, kind: QuestionKind? = nil, typicalityClaims: TypicalityClaimChecker? = nil,
                cutOffClaims: CutOffClaimChecker? = nil, neighbourRanks: NeighbourRankClaimChecker? = nil,
                diagnosisShares: DiagnosisShareChecker? = nil, neighbourSummaries: NeighbourSummaryClaimChecker? = nil) {
        self.caseFacts = caseFacts
        self.neighbourSummaries = neighbourSummaries
        self.diagnosisShares = diagnosisShares
        self.neighbourRanks = neighbourRanks
        self.cutOffClaims = cutOffClaims
        self.typicalityClaims = typicalityClaims
        self.kind = kind
        self.measureClaims = measureClaims
        self.contextIDs = contextIDs
        self.mmse = mmse
        self.scoreClaims = scoreClaims
        self.evidenceDiagnoses = evidenceDiagnoses
        // Score maxima and small counts ("3 of 5 neighbours", "two alleles") are always quotable.
        allowedNumbers = Self.values(in: evidenceText) + Self.values(in: question) + [0, 1, 2, 3, 4, 5, 18, 30, 70, 85, 100]
    }

    /// The verdict on a parsed answer; `finishReason` "length" means the reply was cut.
    public func verify(_ answer: ParsedAnswer, finishReason: String?) -> Verdict {
        if finishReason == "length" {
            return Verdict(status: .truncated, issues: ["the reply hit the token budget before it finished"])
        }
        let text = answer.answer
        let words = text.split(whereSeparator: { $0.isWhitespace }).count
        if words < 3 {
            return Verdict(status: .degenerate, issues: [words == 0 ? "the answer is empty" : "the answer is \(words) word(s): \"\(String(text.prefix(40)))\""])
        }
        if let loop = Self.repetition(in: text) {
            return Verdict(status: .degenerate, issues: ["the answer repeats itself: \"\(loop)\""])
        }
        // (Rules 29) A finding that loops ("MICADC-MICADC, MICADC-MICADC, …", SmolLM2 under prompt v8, grounded by rules 28).
        for f in answer.findings {
            if let loop = Self.repetition(in: f.finding) {
                return Verdict(status: .degenerate, issues: ["a finding repeats itself: \"\(loop)\""])
            }
        }
        // (Rules 25) Qwen2.5-0.5B under prompt v7 drifted into Chinese mid-word ("estimatedimates,以及ne") and, bounded to 30
        // words, closed the string there: a reply that leaves English or stops mid-sentence says nothing a reader can use.
        let prose = ([text] + answer.findings.map(\.finding)).joined(separator: "\n")
        if let foreign = Self.otherScript.firstMatchText(in: prose) {
            return Verdict(status: .degenerate, issues: ["it leaves English (\"\(foreign)\")"])
        }
        // (Rules 26) Words run together ("among_CN,MCI,DD", "lowMoCA/30", "cognitiveImpairment", "Dementia(97)subjects",
        // Qwen2.5-Coder-1.5B under prompt v7, words glued to stay within the grammar's word bound) are not prose.
        // (Rules 29) also words strung on commas without spaces ("it's,in,a", SmolLM2 under prompt v8).
        // (Rules 31) also a number run onto a full stop ("compared to the others.5% of the cases", "disease.1,2,3,4,5", SmolLM2
        // under prompt v10).
        if let glued = Self.runTogether.firstMatchText(in: Self.withoutIDs(prose)) ?? Self.commaGlued.firstMatchText(in: prose)
            ?? Self.numberAfterStop.firstMatchText(in: prose) {
            return Verdict(status: .degenerate, issues: ["it runs words together (\"\(glued)\")"])
        }
        // A list ("Neighbours:\n1. CN, MMSE 25", free text without a schema) may end without a stop; prose may not.
        if !text.contains("\n"), let last = text.trimmingCharacters(in: .whitespacesAndNewlines).last, !Self.sentenceEnds.contains(last) {
            return Verdict(status: .degenerate, issues: ["the answer stops mid-sentence (\"…\(String(text.suffix(40)))\")"])
        }
        if let repeated = Self.repeatedFinding(in: answer.findings) {
            return Verdict(status: .degenerate, issues: ["two findings say the same: \"\(repeated)\""])
        }
        if let kind, let missing = Self.unanswered(answer, prose: prose, kind: kind) {
            return Verdict(status: .degenerate, issues: ["it does not answer the \(kind.rawValue.replacingOccurrences(of: "_", with: " ")) question: \(missing)"])
        }
        var issues: [String] = []
        if kind != nil {
            issues += Self.recordedClaims(in: prose) + rankClaims(in: prose) + ComparisonClaimChecker.issues(in: prose)
        }
        for id in Self.subjectIDs(in: prose) where !contextIDs.contains(id) {
            issues.append("names subject \(id), not one of the five given")
        }
        // (Rules 29) A mangled id ("655_S_024" for 655_S_0024, Qwen2.5-0.5B under prompt v8) names no subject at all.
        for m in Self.partialIDPattern.matches(in: prose, range: NSRange(prose.startIndex..., in: prose)) {
            guard let r = Range(m.range, in: prose) else { continue }
            issues.append("names \(prose[r]), which is no subject id (the five are \(contextIDs.joined(separator: ", ")))")
        }
        for id in answer.citedSubjectIDs where !contextIDs.contains(id) {
            issues.append("cites subject \(id), not one of the five given")
        }
        for f in answer.findings where f.source != "case" && !contextIDs.contains(f.source) {
            issues.append("a finding rests on \"\(String(f.source.prefix(40)))\", neither the case nor one of the five subjects")
        }
        // (Rules 25) A finding that names other subjects than its source speaks of them, not of it: "857_S_0240 has a record
        // diagnosis MCI" given with source 152_S_0311 (Qwen2.5-0.5B under prompt v7) would be checked against the wrong subject.
        for f in answer.findings where contextIDs.contains(f.source) {
            let named = Self.subjectIDs(in: f.finding)
            if let other = named.first, !named.contains(f.source) {
                issues.append("a finding about \(other) gives \(f.source) as its source")
            }
        }
        // A finding about a neighbour is read as a sentence naming it.
        let attributed = ([text] + answer.findings.map { $0.source == "case" ? $0.finding : "\($0.source): \($0.finding)" })
            .joined(separator: "\n")
        let scoreIssues = (scoreClaims?.issues(in: attributed) ?? []) + (caseFacts?.issues(in: attributed) ?? [])
            + (measureClaims?.issues(in: attributed) ?? [])
        issues += scoreIssues.map(\.message)
        // Typicality is read in the case's sentences only: a finding about a neighbour speaks of its own values.
        let aboutCase = ([text] + answer.findings.filter { $0.source == "case" }.map(\.finding)).joined(separator: "\n")
        issues += typicalityClaims?.issues(in: aboutCase) ?? []
        issues += cutOffClaims?.issues(in: aboutCase) ?? []
        issues += neighbourRanks?.issues(in: aboutCase) ?? []
        issues += neighbourRanks?.respectiveIssues(in: prose) ?? []
        issues += diagnosisShares?.issues(in: prose) ?? []
        // Findings about one neighbour speak of it alone; the five are summed up in the answer and the case's findings.
        issues += neighbourSummaries?.issues(in: aboutCase) ?? []
        // (Rules 27) The verifier's own words in a reply ("The case's ADAS-Cog 13 score is 41; the evidence does not hold for
        // it.", Qwen2.5-Coder-1.5B under prompt v7 after a repair round) are the repair message echoed, not a finding.
        if let echoed = Self.repairEcho.firstMatchText(in: prose) {
            issues.append("it echoes the verifier's repair message (\"\(echoed)\") instead of stating a finding")
        }
        if kind != nil {
            // (Rules 26) Bands are a measure's wherever it is named; percentiles are the case's alone; levels point one way.
            issues += (cutOffClaims?.bandIssues(in: prose) ?? []) + TypicalityClaimChecker.neighbourPercentileIssues(in: answer.findings)
                + DirectionClaimChecker.issues(in: prose)
        }
        for n in Self.numbers(in: ScoreClaimChecker.withoutScoreNames(Self.withoutIDs(prose))) where !allowedNumbers.contains(where: { Self.matches(n, $0) }) {
            guard !scoreIssues.contains(where: { $0.value == n.value }) else { continue }  // named once, with its score
            issues.append("states \(n.text), a number the evidence does not hold")
        }
        let stated = Self.statedDiagnoses(in: text)
        if let field = answer.diagnosis {
            for d in stated where d != field {
                issues.append("the text says \(d.rawValue) but the diagnosis field says \(field.rawValue)")
            }
            for d in Self.associatedDiagnoses(in: prose) where d != field && !stated.contains(d) {
                issues.append("the text ties the case's findings to \(d.rawValue) but gives \(field.rawValue) as the diagnosis")
            }
        }
        // (Rules 27) Without a diagnosis field (cognition, APOE, … questions) the case's findings may still be tied to a
        // diagnosis: "The case's ADAS-Cog 13 score is 2/85, indicating mild cognitive impairment (MCI)" in an APOE answer where
        // the vote, the encoder and Memoir's reading all lead with CN (Qwen2.5-Coder-1.5B under prompt v7).
        if answer.diagnosis == nil, let evidenceDiagnoses {
            for d in Self.associatedDiagnoses(in: prose) where !evidenceDiagnoses.supports(d) && !stated.contains(d) {
                issues.append("ties the case's findings to \(d.rawValue), which the evidence does not lead with (\(evidenceDiagnoses.described))")
            }
        }
        // A diagnosis for the case that no computed evidence leads with is a claim without support (a small
        // model that ignores the evidence); a large model may still weigh the vote against the encoder.
        if let evidenceDiagnoses {
            for d in ([answer.diagnosis].compactMap { $0 } + stated).uniqued() where !evidenceDiagnoses.supports(d) {
                issues.append("names \(d.rawValue) as the diagnosis, which the evidence does not lead with (\(evidenceDiagnoses.described))")
            }
        }
        // (Rules 25) A severity answer is the scores' bands; a diagnosis label there ("the impairment is from a mild cognitive
        // impairment (MCI)") is the withheld diagnosis given in passing.
        if kind == .severity, let label = Self.statedDiagnoses(in: text).first {
            issues.append("a severity answer gives the diagnosis label \(label.rawValue); severity is read from the scores' bands, and the case's diagnosis is withheld")
        }
        if let mmse, let band = Severity(mmse: mmse) {
            for claimed in Severity.claims(in: prose) where claimed != band {
                issues.append("the text calls the impairment \(claimed.rawValue), but MMSE \(EvidenceBuilder.number(mmse))/30 lies in the \(band.rawValue) band")
            }
        }
        // A finding that restates the answer's sentence repeats its problem: one claim, counted once.
        issues = issues.uniqued()
        return issues.isEmpty ? Verdict(status: .grounded)
            : Verdict(status: .unsupported, issues: issues, unsupportedClaims: issues.count)
    }

    // MARK: Ids

    /// ADNI-style subject ids ("941_S_0001"), and the longer numbers a synthetic cohort of 10^4 or more
    /// subjects gives ("941_S_12345"): a four-digit pattern would not see those ids at all.
    static let idPattern = try! NSRegularExpression(pattern: #"\b\d{3}_S_\d{4,}\b"#)

    /// Something shaped like an id with too few digits after "_S_".
    static let partialIDPattern = try! NSRegularExpression(pattern: #"\b\d{1,3}_S_\d{1,3}\b"#)

    static func subjectIDs(in text: String) -> [String] {
        var seen: [String] = []
        for m in idPattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            if let r = Range(m.range, in: text), !seen.contains(String(text[r])) { seen.append(String(text[r])) }
        }
        return seen
    }

    static func withoutIDs(_ text: String) -> String {
        idPattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: " ")
    }

    // MARK: Numbers

    /// A number as written, with its value and the decimals it was given to.
    struct Number: Equatable {
        let text: String
        let value: Double
        let decimals: Int
    }

    /// Stand-alone numbers: not part of a word or id ("T1", "ε4", "ADAS13" are names, not claims).
    static let numberPattern = try! NSRegularExpression(pattern: #"(?<![\p{L}\d_.])(\d+(?:\.\d+)?)(?![\d_]|\.\d|\p{L})"#)

    static func numbers(in text: String) -> [Number] {
        numberPattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { m in
            guard let r = Range(m.range(at: 1), in: text), let value = Double(text[r]) else { return nil }
            let s = String(text[r])
            return Number(text: s, value: value, decimals: s.split(separator: ".").dropFirst().first?.count ?? 0)
        }
    }

    static func values(in text: String) -> [Double] { numbers(in: text).map(\.value) }

    /// `n` as written matches `value` once `value` is rounded to `n`'s decimals (or as a percent of a fraction).
    static func matches(_ n: Number, _ value: Double) -> Bool {
        let tolerance = 0.5 * pow(10, -Double(n.decimals)) + 1e-9
        return abs(n.value - value) <= tolerance || abs(n.value - value * 100) <= tolerance || abs(n.value * 100 - value) <= tolerance
    }

    // MARK: Diagnoses stated

    /// Diagnoses the text states for the case ("the most likely diagnosis is MCI", "the diagnosis for this subject,
    /// based on the available information, is MCI", "consistent with dementia"),
    /// not every group it mentions (neighbours' diagnoses are fine to mention, and "a recorded diagnosis of MCI" is a
    /// record's, not the answer's: the case has none, and a claim that it has one is `recordedClaims`'s).
    static let stated = try! NSRegularExpression(
        pattern: #"(?:(?<!recorded\s)(?<!record\s)(?<!documented\s)diagnosis(?:\s+(?:for|of|in)\s+(?:this|the)\s+(?:subject|patient|case|individual|person))?(?:,?\s+(?:based\s+on|given|from)\s+[^.;:]{1,60}?,?)?(?:\s+is|:|\s+of|\s+would\s+be)|most likely(?: diagnosis)?(?: is| diagnosed as| to be)?|(?:subject|patient|case|individual)(?:['’]s\s+impairment)?\s+(?:has|had|is from|suffers from|is suffering from)(?:\s+a)?(?:\s+(?:mild|moderate|severe)(?:\s+degree of)?)?|consistent with|suggests?|indicates?|points? to|classified as)\s+(?:an? |the )?(?:diagnosis of )?(cognitively normal|normal cognition|mild cognitive impairment|alzheimer['’]?s?(?: disease)?(?: dementia)?|dementia|CN|MCI|AD)\b"#,
        options: [.caseInsensitive])

    /// The name first: "MCI is the most likely diagnosis", "MCI, which is the most likely diagnosis".
    static let statedFirst = try! NSRegularExpression(
        pattern: #"\b(cognitively normal|normal cognition|mild cognitive impairment|alzheimer['’]?s?(?: disease)?(?: dementia)?|dementia|CN|MCI|AD)\s*(?:\([^)]{1,40}\)\s*)?(?:,?\s+(?:which|that)\s+)?\s*(?:is|seems|appears)\s+(?:also\s+)?(?:to be\s+)?(?:the\s+)?most likely\b"#,
        options: [.caseInsensitive])

    static func statedDiagnoses(in text: String) -> [Diagnosis] {
        let whole = NSRange(text.startIndex..., in: text)
        let cleaned = AnswerParser.aetiology.stringByReplacingMatches(in: text, range: whole, withTemplate: "")
        var out: [Diagnosis] = []
        let matches = (stated.matches(in: cleaned, range: NSRange(cleaned.startIndex..., in: cleaned))
            + statedFirst.matches(in: cleaned, range: NSRange(cleaned.startIndex..., in: cleaned))).sorted { $0.range.location < $1.range.location }
        for m in matches {
            guard let r = Range(m.range(at: 1), in: cleaned), let d = Diagnosis(label: String(cleaned[r])) else { continue }
            if !out.contains(d) { out.append(d) }
        }
        return out
    }

    /// Diagnoses the case's own findings are tied to ("its brain parenchymal fraction is associated with MCI"):
    /// beside a different diagnosis, a contradiction. Sentences about the neighbours are theirs.
    static func associatedDiagnoses(in prose: String) -> [Diagnosis] {
        var out: [Diagnosis] = []
        for sentence in ScoreClaimChecker.sentences(of: prose) where !ScoreClaimChecker.mentionsOthers(sentence) {
            for m in associated.matches(in: sentence, range: NSRange(sentence.startIndex..., in: sentence)) {
                guard let r = Range(m.range(at: 1), in: sentence), let d = Diagnosis(label: String(sentence[r])), !out.contains(d) else { continue }
                out.append(d)
            }
        }
        return out
    }

    /// Phrases of the verifier's own issues, which a repaired reply can copy.
    static let repairEcho = try! NSRegularExpression(
        pattern: #"\b(?:the evidence does not hold|a value the evidence|not one of the five given|which the evidence does not lead with|do not rely on it)\b[^.;]*"#,
        options: [.caseInsensitive])

    static let associated = try! NSRegularExpression(
        pattern: #"(?:associated with|typical of|characteristic of|suggestive of|indicative of|indicating|a sign of)\s+(?:an? |the )?(mild cognitive impairment|MCI|dementia|cognitively normal|normal cognition)\b"#,
        options: [.caseInsensitive])

    // MARK: Severity

    /// Impairment severity as the MMSE bands of `ClinicalInterpretation` name it.
    enum Severity: String, CaseIterable {
        case none = "no-impairment", mild, moderate, severe

        init?(mmse: Double) {
            guard mmse.isFinite else { return nil }
            self = mmse >= 27 ? .none : mmse >= 21 ? .mild : mmse >= 10 ? .moderate : .severe
        }

        /// Severities the text states for the impairment ("moderate dementia", "the impairment is severe"); the
        /// diagnosis name "mild cognitive impairment" is not a severity.
        static func claims(in text: String) -> [Severity] {
            let cleaned = text.replacingOccurrences(of: "mild cognitive impairment", with: "MCI", options: .caseInsensitive)
            var out: [Severity] = []
            for pattern in claimPatterns {
                for m in pattern.matches(in: cleaned, range: NSRange(cleaned.startIndex..., in: cleaned)) {
                    guard let r = Range(m.range(at: 1), in: cleaned) else { continue }
                    let word = cleaned[r].lowercased()
                    let s: Severity = word.hasPrefix("sever") ? .severe : word.hasPrefix("moderat") ? .moderate
                        : word.hasPrefix("mild") ? .mild : .none
                    if !out.contains(s) { out.append(s) }
                }
            }
            return out
        }

        static let claimPatterns = [
            try! NSRegularExpression(pattern: #"\b(severe|moderate|mild)(?:ly)?\s+(?:cognitive\s+)?(?:impairment|impaired|dementia|decline)\b"#,
                                     options: [.caseInsensitive]),
            // "The MMSE (27–30) is very severe": a score or the cognition said to be of a severity.
            try! NSRegularExpression(pattern: #"\b(?:MMSE|MoCA|scores?|cognition|cognitive function)\b[^.;]{0,40}?\b(?:is|are|seems?|appears?)\s+(?:also\s+|very\s+|quite\s+|rather\s+)*(severe|moderate|mild|minimal)\b"#,
                                     options: [.caseInsensitive]),
            // "a moderate degree of dementia".
            try! NSRegularExpression(pattern: #"\b(severe|moderate|mild)\s+(?:degree|stage|form|level)\s+of\s+(?:cognitive\s+)?(?:impairment|dementia|decline)\b"#,
                                     options: [.caseInsensitive]),
            // "a moderate MMSE": the band a score is said to lie in.
            try! NSRegularExpression(pattern: #"\b(severe|moderate|mild)\s+(?:MMSE|MoCA)\b"#, options: [.caseInsensitive]),
            // "no dementia" is a diagnostic statement, not a severity: only impairment counts here.
            try! NSRegularExpression(pattern: #"\b(no|minimal)\s+(?:cognitive\s+)?(?:impairment|decline)\b"#, options: [.caseInsensitive]),
            try! NSRegularExpression(pattern: #"\b(?:impairment|dementia|decline)\s+(?:is|are|appears?|seems?)\s+(?:very\s+|quite\s+)?(severe|moderate|mild|minimal|absent)\b"#,
                                     options: [.caseInsensitive]),
        ]
    }

    // MARK: Loops

    /// Letters of scripts an English answer has no use for (ε, the APOE alleles' letter, is Greek and stays allowed).
    static let otherScript = try! NSRegularExpression(
        pattern: #"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Cyrillic}\p{Arabic}\p{Hebrew}\p{Thai}\p{Devanagari}]+"#)
    /// A lower-case run glued to a capital ("cognitiveImpairment", "lowMoCA"), letters joined by "_" ("among_CN"), or a word
    /// glued after a closing parenthesis ("(97)subjects"); quoted with the word around it.
    static let runTogether = try! NSRegularExpression(pattern: #"[\p{L}\d,]*(?:\p{Ll}{3}\p{Lu}\p{Ll}|\p{L}_\p{L}|\)\p{Ll}{2})[\p{L}\d,_]*"#)
    /// A word, a full stop and a number with no space between them.
    static let numberAfterStop = try! NSRegularExpression(pattern: #"\p{L}{2,}\.\d[\d.,%]*"#)
    /// Three words joined by commas with no space between them.
    static let commaGlued = try! NSRegularExpression(pattern: #"\p{L}+['’]?\p{L}*,\p{L}+['’]?\p{L}*,\p{L}+"#)
    /// What a finished answer ends with ("…as follows:" is judged by the question it answers).
    static let sentenceEnds: Set<Character> = [".", "!", "?", ")", "\"", "'", "”", "’", ":"]

    /// A finding whose sentence another finding repeats word for word (a small model copying one line until
    /// the list is full). A finding may restate a sentence of the answer: that is its support, not a loop.
    static func repeatedFinding(in findings: [ParsedAnswer.Finding]) -> String? {
        var seen: Set<String> = []
        for f in findings {
            let key = Self.words(f.finding).joined(separator: " ")
            guard !key.isEmpty else { continue }
            if !seen.insert(key).inserted { return String(f.finding.prefix(60)) }
        }
        return nil
    }

    /// The lower-cased words of `text`, punctuation dropped: what the loop checks compare.
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// A phrase of six words or more that occurs three times, or a sentence that occurs twice: a loop.
    static func repetition(in text: String) -> String? {
        let words = Self.words(text)
        if words.count >= 18 {
            var seen: [String: Int] = [:]
            for i in 0...(words.count - 6) {
                let gram = words[i..<(i + 6)].joined(separator: " ")
                seen[gram, default: 0] += 1
                if seen[gram]! >= 3 { return gram }
            }
        }
        // (Rules 31) A sentence whose first ten words come again ("The most similar subjects in the library are not the same as the
        // case, but rather the most similar subjects in the library are not the same as the case", SmolLM2 under prompt v10).
        // Parallel clauses repeat their middles ("MMSE 30/30, which is in the range of CN subjects, and MoCA 30/30, which is in
        // the range of CN subjects", a right answer), not the sentence's opening words.
        for sentence in text.split(whereSeparator: { ".!?\n".contains($0) }) {
            let own = Self.words(String(sentence))
            guard own.count >= 20 else { continue }
            let opening = own[0..<10].joined(separator: " ")
            if (1...(own.count - 10)).contains(where: { own[$0..<($0 + 10)].joined(separator: " ") == opening }) { return opening }
        }
        var sentences: Set<String> = []
        for s in text.split(whereSeparator: { ".!?\n".contains($0) }) {
            let key = s.trimmingCharacters(in: .whitespaces).lowercased()
            guard key.split(separator: " ").count >= 4 else { continue }
            if !sentences.insert(key).inserted { return String(key.prefix(60)) }
        }
        return nil
    }
}
