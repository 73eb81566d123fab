import Foundation

/// Checks the values an answer gives for named scores ("the MMSE is 25", "MoCA of 1.9") against the values
/// the evidence holds for that score. A bare-number check passes "MMSE is 25" when 25 appears anywhere in
/// the evidence (a neighbour's MMSE, a percentile); this binds the number to its score, and a sentence that
/// speaks of the case itself (no neighbour, group or library in it) must give the case's own value.
public struct ScoreClaimChecker: Sendable {
    /// The numbers the evidence states for one score.
    public struct Facts: Sendable, Equatable {
        /// The case's recorded value (nil: not recorded or not shown).
        public var caseValue: Double?
        /// The neighbours' values.
        public var others: [Double]
        /// Cut-offs, band limits and the scale's maximum ("21–26: mild", "/30"): quotable in any sentence.
        public var scale: [Double]

        public init(caseValue: Double?, others: [Double], scale: [Double]) {
            self.caseValue = caseValue
            self.others = others
            self.scale = scale
        }
    }

    /// Facts by score name as `Evidence.Reading.measure` spells it ("MMSE", "MoCA", "ADAS-Cog 13", "ADAS-Cog 11").
    public var facts: [String: Facts]
    /// Numbers the question itself states ("is an MMSE of 24 low?"): quoting them back is no claim.
    public var questionNumbers: [Double]

    public init(facts: [String: Facts], questionNumbers: [Double] = []) {
        self.facts = facts
        self.questionNumbers = questionNumbers
    }

    /// The facts an `Evidence` holds for each score it can name.
    public init(evidence: Evidence, question: String) {
        var facts: [String: Facts] = [:]
        for name in Self.scores.map(\.name) {
            let reading = evidence.readings.first { $0.measure == name }
            let scaleText = [reading?.text, reading?.interpretation].compactMap { $0 }.joined(separator: " ")
            let others: [Double] = evidence.neighbours.compactMap { n in
                switch name {
                case "MMSE": n.mmse
                case "MoCA": n.moca
                case "ADAS-Cog 13": n.adas13
                default: nil
                }
            }
            facts[name] = Facts(caseValue: reading?.value, others: others,
                                scale: AnswerVerifier.values(in: scaleText) + [0, Self.maximum[name] ?? 0])
        }
        self.init(facts: facts, questionNumbers: AnswerVerifier.values(in: question))
    }

    /// A score value the evidence does not support, and why.
    public struct Issue: Sendable, Equatable {
        public var value: Double
        public var message: String
    }

    /// One issue per score value the evidence does not support, in text order.
    public func issues(in text: String) -> [Issue] {
        var out: [Issue] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            // A numbered list line ("1. CN, MMSE 29", "[2] ...") enumerates neighbours.
            let listed = Self.listLine.matches(in: line)
            for sentence in Self.sentences(of: line) {
                let others = listed || Self.mentionsOthers(sentence)
                // Only a sentence that names neighbours (not the library's groups) and not the case gives their values alone.
                let namesNeighbour = MeasureClaimChecker.neighbourPattern.matches(in: sentence)
                out += issues(inSentence: sentence, aboutOthers: others, othersOnly: namesNeighbour && !MeasureClaimChecker.speaksOfCase(sentence))
            }
        }
        return out
    }

    /// `othersOnly`: the sentence speaks of the neighbours and not of the case, so the case's value is not theirs.
    func issues(inSentence sentence: String, aboutOthers: Bool, othersOnly: Bool = false) -> [Issue] {
        var out: [Issue] = []
        for claim in Self.claims(in: sentence) {
            let (name, value) = (claim.name, claim.value)
            guard let f = facts[name] else { continue }
            // A cut-off, band limit or the scale's maximum only where the wording is about one ("below 26",
            // "the 21–26 band", "out of 30"): "the MMSE is 30/30" is a claim about the case's value.
            let threshold = Self.thresholdWords.matches(in: claim.link)
            // "The case's MMSE of 25" is the case's even in a finding about a neighbour (rules 16).
            let aboutOthers = aboutOthers && !claim.ownedByCase, othersOnly = othersOnly && !claim.ownedByCase
            let own = othersOnly ? [] : (f.caseValue.map { [$0] } ?? [])
            let allowed = (threshold ? f.scale : []) + questionNumbers + own + (aboutOthers ? f.others : [])
            if allowed.contains(where: { AnswerVerifier.matches(value, $0) }) { continue }
            let message: String
            if othersOnly, let caseValue = f.caseValue, AnswerVerifier.matches(value, caseValue) {
                message = "gives the case's \(name) \(value.text) to the neighbours, whose values differ"
            } else if threshold {
                message = "states an \(name) cut-off of \(value.text), which the evidence does not give"
            } else if !aboutOthers, f.others.contains(where: { AnswerVerifier.matches(value, $0) }) {
                    message = "gives \(name) \(value.text) for the case, whose \(name) is \(f.caseValue.map(EvidenceBuilder.number) ?? "not recorded") (\(value.text) is a neighbour's)"
                } else if let own = f.caseValue {
                    message = "gives \(name) \(value.text); the case's \(name) is \(EvidenceBuilder.number(own))"
                } else {
                    message = "gives \(name) \(value.text), a value the evidence does not hold for it"
                }
            out.append(Issue(value: value.value, message: message))
        }
        return out
    }

    // MARK: Reading the text

    /// Score names as answers write them, with the measure each stands for. ADAS-Cog with its item count
    /// first, so "ADAS-Cog 13" is not read as ADAS-Cog followed by the value 13.
    static let scores: [(name: String, pattern: String)] = [
        ("ADAS-Cog 13", #"ADAS(?:[- ]?Cog)?[- ]?13"#),
        ("ADAS-Cog 11", #"ADAS(?:[- ]?Cog)?[- ]?11"#),
        ("MMSE", #"MMSE|Mini[- ]Mental State(?: Exam(?:ination)?)?"#),
        ("MoCA", #"MoCA|Montreal Cognitive Assessment"#),
    ]

    static let maximum: [String: Double] = ["MMSE": 30, "MoCA": 30, "ADAS-Cog 13": 85, "ADAS-Cog 11": 70]

    static let namePattern = try! NSRegularExpression(
        pattern: scores.map { "(\($0.pattern))" }.joined(separator: "|"), options: [.caseInsensitive])

    /// After a score's name: a short link ("is", "score of", ": ", "was only") with no digit, sentence end or
    /// other score name in it, then the number. A number read as a rank or share ("41st", "41 %") is not a value.
    static let valuePattern = try! NSRegularExpression(
        pattern: #"^(?:\s*(?:score|total))?[^0-9.!?;\n]{0,20}?(?<![\p{L}\d_.])(\d+(?:\.\d+)?)(?![\d_]|\.\d|\s*(?:st|nd|rd|th|%|percent|months?|years?|of\s+(?:the\s+)?\d)\b|\s*[–-]\s*\d|\p{L})"#,
        options: [.caseInsensitive])

    /// The text with score names blanked, so the 13 of "ADAS-Cog 13" is not read as a stated number.
    static func withoutScoreNames(_ text: String) -> String {
        namePattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "score")
    }

    /// A score's value as the text gives it, with the words between the name and the number.
    struct Claim {
        var name: String
        var value: AnswerVerifier.Number
        var link: String
        /// Whether the words right before the name give the score to the case ("the case's MMSE", "the patient has a MoCA").
        var ownedByCase = false
    }

    /// "the case's", "this patient's", "the case has a" right before a score's name (the model calls neighbours subjects).
    static let caseOwner = try! NSRegularExpression(
        pattern: #"\b(?:the|this)\s+(?:case|patient)(?:['’]s|\s+(?:has|had)\s+(?:an?\s+)?)\s*(?:\p{L}+\s+)?$"#, options: [.caseInsensitive])

    /// Every score followed closely by a value. Two names joined with no value between them ("MMSE and MoCA
    /// were 25 and 22") are not bound, nor is a number that is a time, a count, an age or a range.
    static func claims(in sentence: String) -> [Claim] {
        let ns = sentence as NSString
        let names = namePattern.matches(in: sentence, range: NSRange(location: 0, length: ns.length))
        var out: [Claim] = []
        var joined = false
        for (i, m) in names.enumerated() {
            guard let group = (1...scores.count).first(where: { m.range(at: $0).location != NSNotFound }) else { continue }
            let start = m.range.location + m.range.length
            let end = i + 1 < names.count ? names[i + 1].range.location : ns.length
            let tail = ns.substring(with: NSRange(location: start, length: end - start))
            defer { joined = !tail.contains(where: \.isNumber) }
            if joined || tail.hasPrefix("-") { continue }
            guard let v = valuePattern.firstMatch(in: tail, range: NSRange(location: 0, length: (tail as NSString).length)),
                  let r = Range(v.range(at: 1), in: tail), let value = Double(tail[r]) else { continue }
            let link = String(tail[..<r.lowerBound])
            if notAValue.matches(in: link) { continue }
            let text = String(tail[r])
            let headStart = i > 0 ? names[i - 1].range.location + names[i - 1].range.length : 0
            let head = ns.substring(with: NSRange(location: headStart, length: m.range.location - headStart))
            out.append(Claim(name: scores[group - 1].name,
                             value: AnswerVerifier.Number(text: text, value: value, decimals: text.split(separator: ".").dropFirst().first?.count ?? 0),
                             link: link, ownedByCase: caseOwner.matches(in: head)))
        }
        return out
    }

    /// Words between a score's name and a number that make the number something else: a percentile, an age, a time.
    static let notAValue = try! NSRegularExpression(
        pattern: #"percentile|\bage\b|\bover\b|\bwithin\b|\bnext\b|\bafter\b|\bbefore\b|\bsince\b|\bduring\b"#, options: [.caseInsensitive])

    /// Words that make the number a cut-off or band limit rather than a value.
    static let thresholdWords = try! NSRegularExpression(
        pattern: #"below|above|under|less|more|least|most|cut|threshold|band|between|range|out of|[<>≤≥]"#, options: [.caseInsensitive])

    /// A numbered list line: "1. ...", "2) ...", "[3] ...".
    static let listLine = try! NSRegularExpression(pattern: #"^\s*(?:\[\d+\]|\d+[.)])\s"#)

    /// Sentences, split at . ! ? or a line break (a decimal point is not a break).
    static func sentences(of text: String) -> [String] {
        var out: [String] = [], current = ""
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            current.append(c)
            let decimal = c == "." && i > 0 && i + 1 < chars.count && chars[i - 1].isNumber && chars[i + 1].isNumber
            // "(Nasreddine et al. 2005)": a citation's full stop ends no sentence.
            let citation = c == "." && i >= 5 && String(chars[(i - 5)..<i]).lowercased() == "et al"
            if ("!?\n".contains(c) || (c == "." && !decimal && !citation)) {
                out.append(current)
                current = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { out.append(current) }
        return out
    }

    /// A sentence about neighbours, a group or the library, where their values may be quoted. "similarity"
    /// alone is not: "the MoCA (19) is severe, with a similarity score of 0.984" still speaks of the case.
    static let othersPattern = try! NSRegularExpression(
        pattern: #"\d{3}_S_\d{4}|neighbo|similar\b(?!\s+(?:level|degree|extent|way|manner)\b)|\bsubjects\b|\bothers?\b|\bgroups?\b|\blibrary\b|\baverage|\bmedian\b|\bmean\b|\branges?\b|\bthey\b|\btheir\b|\bpeers?\b|\bcompared\b|\bwhile\b|\bwhereas\b|\bclosest\b|\bnearest\b|\btop\b|\bmatch(?:es|ing)?\b|\bretrieved\b|\bcases\b"#,
        options: [.caseInsensitive])

    static func mentionsOthers(_ sentence: String) -> Bool {
        othersPattern.matches(in: sentence)
    }
}
