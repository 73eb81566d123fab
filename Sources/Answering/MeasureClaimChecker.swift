import Foundation

/// Binds every other number an answer states to the measure named nearest before it in its sentence, and
/// checks it against that measure's values in the evidence. The bare-number check passes a number found
/// anywhere in the evidence; a 0.5B model uses that freedom: "cognitive test scores are 88, 20 and 81" (age,
/// education, a percentile), "estimated to be 0.825" (the brain parenchymal fraction), "the BPF is 0.815,
/// below 26" (the MoCA cut-off), "a percentile of 21–26" (the MMSE band), a CDR-SB estimate given as recorded.
/// Scores with their own names (MMSE, MoCA, ADAS-Cog) are `ScoreClaimChecker`'s, ages `CaseFactChecker`'s.
public struct MeasureClaimChecker: Sendable {
    public enum Measure: String, Sendable, CaseIterable {
        case percentile, similarity, brainFraction = "brain parenchymal fraction", fa = "white-matter FA",
             cdrsb = "CDR-SB", share = "share or probability", scores = "score", education = "years of education"
        /// Recorded for the case alone: never a neighbour's value in the evidence.
        var caseOnly: Bool { [.percentile, .brainFraction, .fa, .cdrsb, .education].contains(self) }
    }

    /// Values the evidence gives the case (or the model's estimate) per measure.
    public var caseValues: [Measure: [Double]]
    /// Values the evidence gives the neighbours per measure.
    public var neighbourValues: [Measure: [Double]]
    /// Cut-offs, band limits and scale maxima the evidence states for the scores: quotable with threshold wording.
    public var scale: [Double]
    /// Numbers the question states.
    public var questionNumbers: [Double]

    public init(caseValues: [Measure: [Double]], neighbourValues: [Measure: [Double]], scale: [Double], questionNumbers: [Double] = []) {
        (self.caseValues, self.neighbourValues, self.scale, self.questionNumbers) = (caseValues, neighbourValues, scale, questionNumbers)
    }

    public init(evidence e: Evidence, question: String) {
        var own: [Measure: [Double]] = [:]
        own[.percentile] = e.readings.flatMap { $0.percentiles.values.map(Double.init) }
        own[.brainFraction] = e.readings.filter { $0.measure.contains("parenchymal") }.map(\.value)
        own[.fa] = e.readings.filter { $0.measure.contains("FA") }.map(\.value)
        own[.scores] = e.readings.filter { ScoreClaimChecker.scores.map(\.name).contains($0.measure) }.map(\.value)
        own[.education] = CaseFactChecker.allMatches([Self.educationInDemographics], in: e.demographics).compactMap { $0.first.flatMap(Double.init) }
        own[.share] = Array(e.vote.shares.values) + (e.encoder.map { Array($0.probabilities.values) } ?? []) + Array(e.readingShares.values)
        own[.cdrsb] = [e.encoder?.cdrsb, e.encoder?.cdrsbTestError].compactMap { $0 }
        var others: [Measure: [Double]] = [:]
        others[.similarity] = e.neighbours.map(\.similarity)
        others[.scores] = e.neighbours.flatMap { [$0.mmse, $0.moca, $0.adas13].compactMap { $0 } }
        let interpretations = e.readings.compactMap(\.interpretation).joined(separator: " ") + " " + (e.apoe ?? "")
        self.init(caseValues: own, neighbourValues: others,
                  scale: AnswerVerifier.values(in: interpretations) + ScoreClaimChecker.maximum.values,
                  questionNumbers: AnswerVerifier.values(in: question))
    }

    /// One issue per number bound to a measure whose value it is not, in text order.
    public func issues(in text: String) -> [ScoreClaimChecker.Issue] {
        var out: [ScoreClaimChecker.Issue] = []
        for sentence in ScoreClaimChecker.sentences(of: text) {
            let aboutOthers = ScoreClaimChecker.mentionsOthers(sentence)
            let aboutCase = Self.speaksOfCase(sentence)
            // Ids become a word, so the numbers in them are not read and a named neighbour is still seen.
            let plain = AnswerVerifier.idPattern.stringByReplacingMatches(in: sentence, range: NSRange(sentence.startIndex..., in: sentence),
                                                                          withTemplate: "neighbour")
            let neighbourAt = Self.neighbourPattern.firstMatch(in: plain, range: NSRange(plain.startIndex..., in: plain))?.range.location
            // (Rules 26) "They also have a white-matter FA of 0.324, which is lower than the case's value" (Qwen2.5-Coder-1.5B under
            // prompt v7, after a sentence on the neighbours; 0.324 is the case's FA): a sentence whose subject is the neighbours
            // gives them what it states before it names the case.
            let othersSubject = Self.othersSubject.matches(in: plain)
            let caseAt = Self.casePattern.firstMatch(in: plain, range: NSRange(plain.startIndex..., in: plain))?.range.location
            for (number, measure, link, location) in bound(in: plain) {
                let speaker: Speaker
                switch measure {
                // A similarity belongs to a neighbour the sentence names ("their" or "while" is not enough).
                case .similarity: speaker = neighbourAt == nil ? .caseOnly : .both
                // The case's own measures, given after a neighbour is named and with no word for the case: the neighbours'.
                case _ where measure.caseOnly:
                    let theirs = ((neighbourAt.map { $0 < location } ?? false) && !aboutCase) || (othersSubject && (caseAt.map { $0 > location } ?? true))
                    speaker = theirs ? .othersOnly : .caseOnly
                case .share: speaker = .both
                default: speaker = !aboutOthers ? .caseOnly : aboutCase ? .both : .othersOnly
                }
                if let issue = check(number, measure, link: link, sentence: plain, speaker: speaker) { out.append(issue) }
            }
        }
        return out
    }

    /// Whose values a number may be: the case's, the neighbours', or either.
    enum Speaker { case caseOnly, othersOnly, both }

    func check(_ n: AnswerVerifier.Number, _ measure: Measure, link: String, sentence: String, speaker: Speaker) -> ScoreClaimChecker.Issue? {
        if questionNumbers.contains(where: { AnswerVerifier.matches(n, $0) }) { return nil }
        let threshold = ScoreClaimChecker.thresholdWords.matches(in: link)
        if measure == .percentile, Self.rangeAfter(n, in: sentence) {
            return .init(value: n.value, message: "gives a percentile range (\(n.text)–…); the evidence gives the case's percentiles as single values")
        }
        if measure == .cdrsb, !Self.estimateWords.matches(in: sentence) {
            return .init(value: n.value, message: "gives CDR-SB \(n.text) as if recorded; the case's CDR-SB is withheld and the evidence has only the encoder's estimate")
        }
        let own = speaker == .othersOnly ? [] : (caseValues[measure] ?? [])
        let others = speaker == .caseOnly ? [] : (neighbourValues[measure] ?? [])
        // The evidence's cut-offs and band limits are the scores' (MMSE, MoCA, ADAS-Cog); no other measure has one.
        let allowed = own + others + (threshold && measure == .scores ? scale : [])
        if allowed.contains(where: { AnswerVerifier.matches(n, $0) }) { return nil }
        if speaker == .othersOnly, (caseValues[measure] ?? []).contains(where: { AnswerVerifier.matches(n, $0) }) {
            return .init(value: n.value, message: "gives the case's \(measure.rawValue) \(n.text) to the neighbours"
                + (measure.caseOnly ? "; the evidence gives them none" : ", whose values differ"))
        }
        if threshold {
            return .init(value: n.value, message: "states a \(measure.rawValue) cut-off of \(n.text), which the evidence does not give")
        }
        return .init(value: n.value, message: "gives \(n.text) as a \(measure.rawValue), a value the evidence does not hold for it")
    }

    /// The numbers of a sentence that a measure binds: the measure named nearest before the number (within 60
    /// characters), or a unit right after it ("82.5% chance", "81st percentile", "20 years of education").
    /// Numbers that names, ages, scores, years, small counts and denominators own are left to other checks.
    func bound(in sentence: String) -> [(AnswerVerifier.Number, Measure, String, Int)] {
        let ns = sentence as NSString
        let whole = NSRange(location: 0, length: ns.length)
        var found: [(range: NSRange, measure: Measure?)] = []
        for (pattern, measure) in Self.keywords {
            for m in pattern.matches(in: sentence, range: whole) { found.append((m.range, measure)) }
        }
        // "CDR-SB estimate" is one name: a match inside a longer one is not a name of its own.
        let keywords = found.filter { k in
            !found.contains { o in o.range != k.range && NSIntersectionRange(o.range, k.range) == k.range }
        }
        var out: [(AnswerVerifier.Number, Measure, String, Int)] = []
        for m in AnswerVerifier.numberPattern.matches(in: sentence, range: whole) {
            let r = m.range(at: 1)
            let text = ns.substring(with: r)
            guard let value = Double(text) else { continue }
            let n = AnswerVerifier.Number(text: text, value: value, decimals: text.split(separator: ".").dropFirst().first?.count ?? 0)
            // The 13 of "ADAS-Cog 13" is part of a name, not a value.
            if keywords.contains(where: { NSLocationInRange(r.location, $0.range) }) { continue }
            let before = ns.substring(to: r.location)
            let after = ns.substring(from: r.location + r.length)
            if before.hasSuffix("/") || (n.decimals == 0 && (value <= 5 || (1900...2030).contains(value))) { continue }
            if let unit = Self.unit(after: after) {
                if let unit { out.append((n, unit, "", r.location)) }
                continue
            }
            guard let k = keywords.filter({ $0.range.location + $0.range.length <= r.location && r.location - ($0.range.location + $0.range.length) <= 60 })
                    .max(by: { $0.range.location < $1.range.location }), let measure = k.measure else { continue }
            let linkStart = k.range.location + k.range.length
            out.append((n, measure, ns.substring(with: NSRange(location: linkStart, length: r.location - linkStart)), r.location))
        }
        return out
    }

    /// The measure a unit right after a number names; `.some(nil)` for units another check owns (ages, times).
    static func unit(after text: String) -> Measure?? {
        let head = String(text.prefix(40)).lowercased()
        if head.range(of: #"^(?:st|nd|rd|th)?\s*percentile|^\s*[–-]\s*\d+(?:st|nd|rd|th)?\s*percentile"#, options: .regularExpression) != nil {
            return .some(.percentile)
        }
        if head.range(of: #"^\s*(?:%|percent\b)"#, options: .regularExpression) != nil { return .some(.share) }
        if head.range(of: #"^\s*years? of (?:formal )?(?:education|schooling)"#, options: .regularExpression) != nil { return .some(.education) }
        if head.range(of: #"^[- ]?(?:years?|months?|weeks?|days?)\b|^\s*times\b|^\s*(?:st|nd|rd|th)\b|^\s*of\s+(?:the\s+)?\d"#, options: .regularExpression) != nil {
            return .some(nil)
        }
        return nil
    }

    static func rangeAfter(_ n: AnswerVerifier.Number, in sentence: String) -> Bool {
        // The number itself, not the end of a longer one ("7" is not the 7 of "27–30").
        sentence.range(of: #"(?<![\d.])"# + NSRegularExpression.escapedPattern(for: n.text) + #"\s*[–-]\s*\d"#, options: .regularExpression) != nil
    }

    /// Measure names; a nil measure marks names other checks own (scores by name, ages), so the number after
    /// them is not bound to an earlier, farther name.
    static let keywords: [(NSRegularExpression, Measure?)] = [
        (#"percentiles?"#, .percentile),
        (#"similarit(?:y|ies)"#, .similarity),
        (#"parenchymal(?: fraction)?|\bBPF\b"#, .brainFraction),
        (#"\bFA\b|anisotropy"#, .fa),
        (#"CDR[- ]?SB(?:\s+(?:estimate[sd]?|prediction|predicted))?|sum of boxes"#, .cdrsb),
        (#"\bprobabilit(?:y|ies)\b|\bchance\b|\blikelihood\b|\bvote\b|\bshares?\b|\bestimate[sd]?\b|\bpredict(?:s|ed|ion)?\b"#, .share),
        (#"\bscores?\b|\bresults?\b"#, .scores),
        (ScoreClaimChecker.scores.map(\.pattern).joined(separator: "|"), nil),
        (#"\bage[sd]?\b|year-old|years old|\beducation\b"#, nil),
    ].map { (try! NSRegularExpression(pattern: $0.0, options: [.caseInsensitive]), $0.1) }

    static let neighbourPattern = try! NSRegularExpression(
        pattern: #"\d{3}_S_\d{4}|neighbo|similar\b|closest|nearest|\bhistorical subject"#, options: [.caseInsensitive])
    /// A sentence whose grammatical subject is the neighbours: "They …", "Their …", "These subjects …", "The similar subjects …".
    static let othersSubject = try! NSRegularExpression(
        pattern: #"^\s*(?:they|their|(?:these|those|the)\s+(?:\w+\s+){0,2}?(?:subjects|neighbou?rs|cases))\b"#, options: [.caseInsensitive])
    static let educationInDemographics = try! NSRegularExpression(pattern: #"(\d+) years of education"#)
    /// Whether a sentence speaks of the case itself: "the subjects most similar to this case have …" speaks of
    /// the neighbours.
    static func speaksOfCase(_ sentence: String) -> Bool {
        let ns = sentence as NSString
        let stripped = similarToCase.stringByReplacingMatches(in: sentence, range: NSRange(location: 0, length: ns.length), withTemplate: "")
        return casePattern.matches(in: stripped)
    }

    static let similarToCase = try! NSRegularExpression(
        pattern: #"\b(?:similar|closest|nearest|related)(?:\s+(?:subjects?|cases?))?\s+to\s+(?:the|this)\s+(?:case|subject|patient)\b"#, options: [.caseInsensitive])
    static let casePattern = try! NSRegularExpression(
        pattern: #"\b(?:the|this) (?:case|subject|patient|individual)\b|\b(?:case|subject|patient)['’]s\b|\bits own\b"#, options: [.caseInsensitive])
    static let estimateWords = try! NSRegularExpression(pattern: #"predict|estimat|model|encoder"#, options: [.caseInsensitive])
}
