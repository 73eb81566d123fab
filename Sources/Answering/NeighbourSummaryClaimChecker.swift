import Cohort
import Foundation

/// (Rules 32) Claims that sum up the five most similar subjects, checked against their recorded diagnoses and values: one
/// diagnosis given to all of them, a count of those recorded with a diagnosis, a range of their scores. And the case placed
/// in a group, which a percentile never does. Read by hand, these were the commonest wrong sentences the verifier passed under
/// prompt v10 (`Fixtures/verifier/qwen1.5b-v10-grounded-rules30.jsonl`): "The most similar subjects to this case have a
/// diagnosis of Dementia" when one of the five is MCI; "The case's MMSE of 30/30 is in the MCI group, which has a percentile
/// of 81".
public struct NeighbourSummaryClaimChecker: Sendable {
    public var diagnoses: [Diagnosis]
    /// Each scored measure's values over the five (those recorded).
    public var values: [String: [Double]]

    public init(diagnoses: [Diagnosis], values: [String: [Double]]) {
        (self.diagnoses, self.values) = (diagnoses, values)
    }

    public init(evidence: Evidence) {
        let n = evidence.neighbours
        self.init(diagnoses: n.map(\.diagnosis),
                  values: ["MMSE": n.compactMap(\.mmse), "MoCA": n.compactMap(\.moca), "ADAS-Cog 13": n.compactMap(\.adas13)])
    }

    public func issues(in text: String) -> [String] {
        var out: [String] = []
        for sentence in ScoreClaimChecker.sentences(of: text) {
            let ns = sentence as NSString
            let whole = NSRange(location: 0, length: ns.length)
            if let group = Self.caseInGroup.firstMatch(in: sentence, range: whole) {
                out.append("places the case in the \(ns.substring(with: group.range(withName: "label"))) group (\"\(ns.substring(with: group.range))\"); "
                    + "a percentile says where a value stands among a group, not that the case belongs to it")
            }
            guard !diagnoses.isEmpty, Self.aboutNeighbours.firstMatch(in: sentence, range: whole) != nil else { continue }
            for pattern in [Self.oneDiagnosisForAll, Self.allRecorded] {
                for m in pattern.matches(in: sentence, range: whole) {
                    guard let d = Diagnosis(label: ns.substring(with: m.range(withName: "label"))), !diagnoses.allSatisfy({ $0 == d }) else { continue }
                    // "4 of the 5 closest neighbours were recorded Dementia" counts, and "not all of them were" denies; neither
                    // gives all five one diagnosis.
                    let before = ns.substring(to: m.range.location)
                    let beforeRange = NSRange(location: 0, length: (before as NSString).length)
                    if Self.partitive.firstMatch(in: before, range: beforeRange) != nil || Self.denied.firstMatch(in: before, range: beforeRange) != nil { continue }
                    out.append("gives the five most similar subjects one diagnosis, \(d.rawValue) (\"\(ns.substring(with: m.range))\"); they were recorded " + recorded)
                }
            }
            out += sharedValueIssues(in: sentence)
            for m in Self.count.matches(in: sentence, range: whole) {
                guard let d = Diagnosis(label: ns.substring(with: m.range(withName: "label"))),
                      let written = Self.countValue(ns.substring(with: m.range(withName: "count"))) else { continue }
                let actual = diagnoses.filter { $0 == d }.count
                if written != actual { out.append("says \(written) of the five were recorded \(d.rawValue) (\"\(ns.substring(with: m.range))\"); \(actual) were") }
            }
            for m in Self.range.matches(in: sentence, range: whole) {
                guard let (measure, own) = scores(named: ns.substring(with: m.range(withName: "measure"))), let low = own.min(), let high = own.max(),
                      let from = AnswerVerifier.numbers(in: ns.substring(with: m.range(withName: "low"))).first,
                      let to = AnswerVerifier.numbers(in: ns.substring(with: m.range(withName: "high"))).first else { continue }
                if !AnswerVerifier.matches(from, low) || !AnswerVerifier.matches(to, high) {
                    out.append("gives the five's \(measure) as ranging from \(from.text) to \(to.text); it ranges from "
                        + "\(EvidenceBuilder.number(low)) to \(EvidenceBuilder.number(high))")
                }
            }
        }
        return out.uniqued()
    }

    /// One value given to the five as a group ("The most similar subjects … have a diagnosis of MCI, with MMSE scores of 25")
    /// that not all of them have: one subject's value read as the five's. A list, a range, a "respectively" or an id named
    /// in the sentence says whose values they are.
    func sharedValueIssues(in sentence: String) -> [String] {
        let ns = sentence as NSString
        guard let group = Self.groupSubject.firstMatch(in: sentence, range: NSRange(location: 0, length: ns.length)),
              AnswerVerifier.subjectIDs(in: sentence).isEmpty, sentence.range(of: "respectively", options: .caseInsensitive) == nil else { return [] }
        let start = group.range.location + group.range.length
        // "The most similar subjects with an MMSE of 22 were …" picks some of them out; it gives no value to all.
        if Self.restrictive.firstMatch(in: sentence, range: NSRange(location: start, length: ns.length - start)) != nil { return [] }
        var out: [String] = []
        for m in Self.measureValue.matches(in: sentence, range: NSRange(location: start, length: ns.length - start)) {
            // What comes between the five and the value must not turn to the case ("…, while the case's MMSE of 26").
            let between = ns.substring(with: NSRange(location: start, length: m.range.location - start))
            guard Self.turnsAway.firstMatch(in: between, range: NSRange(location: 0, length: (between as NSString).length)) == nil,
                  let (measure, own) = scores(named: ns.substring(with: m.range(withName: "measure"))), own.count > 1,
                  let written = AnswerVerifier.numbers(in: ns.substring(with: m.range(withName: "value"))).first,
                  !own.allSatisfy({ AnswerVerifier.matches(written, $0) }) else { continue }
            out.append("gives the five most similar subjects \(measure) \(written.text) as if all had it (\"\(ns.substring(with: m.range))\"); "
                + "theirs are " + own.map(EvidenceBuilder.number).joined(separator: ", "))
        }
        return out
    }

    /// The measure a matched name is (bare "ADAS-Cog" read as the ADAS-Cog 13 the neighbours' lines give) and the five's values.
    func scores(named name: String) -> (measure: String, values: [Double])? {
        guard let measure = MeasureName.all.first(where: { MeasureName.names($0.measure, in: name) })?.measure,
              let own = values[measure == "ADAS-Cog" ? "ADAS-Cog 13" : measure] else { return nil }
        return (measure, own)
    }

    var recorded: String {
        Diagnosis.allCases.compactMap { d in
            let c = diagnoses.filter { $0 == d }.count
            return c == 0 ? nil : "\(d.rawValue) (\(c))"
        }.joined(separator: ", ")
    }

    static func countValue(_ word: String) -> Int? {
        Int(word) ?? ["one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "none": 0][word.lowercased()]
    }

    static let label = #"(?<label>cognitively normal|mild cognitive impairment|alzheimer['’]?s?(?: disease)?(?: dementia)?|dementia|CN|MCI|AD)\b"#
    /// The five's scores by name; bare "ADAS-Cog" not when "13" or "11" follows (a name, not a value).
    static let scoreName = #"(?<measure>MMSE|MoCA|ADAS[- ]?(?:Cog[- ]?)?13|ADAS(?:[- ]?Cog)?(?![- ]?(?:Cog[- ]?)?1[13]\b))"#
    static let recordedAs = #"(?:been\s+)?(?:recorded|diagnosed)(?:\s+(?:as|with))?\s+(?:an?\s+)?"#
    /// After a label: not the first of a list of diagnoses ("MCI and Dementia", "Dementia (4) and MCI (1)"), nor one with an
    /// exception ("Dementia, except one").
    static let notAList = #"(?!\s*(?:,|and|or|/)\s*(?:cognitively|mild|dementia|alzheimer|CN|MCI|AD)\b)(?!\s*\(\d)(?!\s*,?\s*(?:except|but|apart|save|bar)\b)"#
    /// A denial just before a claim: "Not all of the similar subjects were recorded Dementia."
    static let denied = try! NSRegularExpression(pattern: #"\bnot\s+(?:quite\s+)?$|\bnot\s+all\b[^.;]*$"#, options: [.caseInsensitive])
    /// Words after the five that pick some of them out.
    static let restrictive = try! NSRegularExpression(pattern: #"\G\s*,?\s*(?:with|who|that|whose|having|among\s+whom)\b"#, options: [.caseInsensitive])
    /// A sentence about the five: it names them, or speaks of "their" values.
    static let aboutNeighbours = try! NSRegularExpression(
        pattern: #"\bsimilar\b|\bneighbou?rs?\b|\b(?:five|5)\s+subjects\b|\btheir\b"#, options: [.caseInsensitive])
    /// "The most similar subjects to this case have a diagnosis of Dementia", "the five neighbours are MCI" (no list of
    /// diagnoses after it: "have MCI and Dementia" names two).
    static let oneDiagnosisForAll = try! NSRegularExpression(
        pattern: #"\b(?:most\s+similar\s+(?:historical\s+)?subjects|subjects\s+most\s+similar|similar\s+subjects|neighbou?rs)(?:\s+to\s+(?:this|the)\s+(?:case|patient|subject))?\s+(?:all\s+)?(?:have|had|are|were|share)\s+(?:all\s+)?"#
            + "(?:" + recordedAs + ")?" + #"(?:(?:a|the)\s+(?:recorded\s+)?diagnosis\s+(?:of\s+)?)?"# + label
            + notAList, options: [.caseInsensitive])
    /// The five as the subject a sentence opens with ("The subjects most similar to this case have …"), not a sentence about the
    /// case that mentions them ("The patient resembles the five neighbours, with an MMSE of 29 against their 27 to 30").
    static let groupSubject = try! NSRegularExpression(
        pattern: #"^\s*(?:their\b|(?:the\s+|all\s+|these\s+)?(?:(?:five|5)\s+)?(?:most\s+similar\s+(?:historical\s+)?subjects|subjects\s+most\s+similar|similar\s+subjects|neighbou?rs)\b(?:\s+(?:to|of)\s+(?:this|the)\s+(?:case|patient|subject))?(?:\s+in\s+the\s+library)?)"#,
        options: [.caseInsensitive])
    /// "MMSE scores of 25", "a MoCA score of 19", "ADAS-Cog 13 23.67": one value, not the first of a list or a range.
    static let measureValue = try! NSRegularExpression(
        pattern: scoreName + #"\b(?:\s+scores?)?\s+(?:(?:of|at|around|is|was|are|were)\s+)?(?<value>\d+(?:\.\d+)?)(?:/\d+)?(?!\s*(?:,|and|or|to|-|–)\s*\d)(?![\d.]*\d)(?!\s*(?:or|and)\s+(?:above|over|more|higher|better|below|under|less|lower|worse))"#,
        options: [.caseInsensitive])
    /// Words that turn a sentence from the five to someone else, or to a comparison.
    static let turnsAway = try! NSRegularExpression(
        pattern: #"\b(?:case|patient|subject|individual|this\s+one|its|whose|compared|than|while|whereas|but|except|unlike|one\s+of|of\s+whom)\b|[;:]"#,
        options: [.caseInsensitive])
    /// "all five were recorded MCI", "all of them have been diagnosed with dementia".
    static let allRecorded = try! NSRegularExpression(
        pattern: #"\ball\s+(?!but\b)(?:(?:of\s+)?(?:the|them|these|those)\s+)?(?:(?:five|5)\s+)?(?:[\w-]+\s+){0,5}?(?:were|are|have|had)\s+"# + recordedAs + label + notAList,
        options: [.caseInsensitive])
    /// What precedes a count ("4 of the", "most of the", "some of the 5 closest"), after which a group phrase is partitive.
    static let partitive = try! NSRegularExpression(
        pattern: #"\b(?:\d+|one|two|three|four|most|some|none|few|several|many)\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$"#, options: [.caseInsensitive])
    /// "4 were recorded Dementia", "1 was recorded MCI", "three of them were diagnosed with MCI", "three neighbours had MCI";
    /// not "the closest one was recorded Dementia", "all but one were …", nor the first of a list ("five were recorded MCI or
    /// Dementia").
    static let count = try! NSRegularExpression(
        pattern: #"(?<![\d.,%/])(?<!\b(?:the|closest|nearest|first|top|each|every|that|this|any|only|last|but|all)\s)\b(?<count>\d|one|two|three|four|five|none)\s+(?:of\s+(?:the|them|these|those)\b(?:\s+[\w-]+){0,5}?\s+|(?:(?:most\s+)?similar\s+)?(?:subjects|neighbou?rs)\s+)?"#
            + #"(?:(?:were|was|are|is|have|has|had)\s+"# + recordedAs + #"|(?:have|has|had)\s+(?:an?\s+(?:recorded\s+)?diagnosis\s+of\s+)?)"# + label + notAList,
        options: [.caseInsensitive])
    /// "their MMSE ranges from 22 to 30", "MoCA scores range from 15 to 26".
    static let range = try! NSRegularExpression(
        pattern: scoreName + #"\b(?:\s+scores?)?\s+(?:ranges?|ranged|ranging|varies|vary|varied|varying|spans?|spanned|spanning)\s+(?:from\s+|between\s+)?(?<low>\d+(?:\.\d+)?)(?:/\d+)?\s*(?:to|and|-|–)\s*(?<high>\d+(?:\.\d+)?)"#,
        options: [.caseInsensitive])
    /// "The case's MMSE of 30/30 is in the MCI group", "in the library's CN group", "The case falls in the MCI group"; not a
    /// group's percentile ("in the MCI group's 16th percentile") nor a neighbour ("the similar subject's MMSE is in …").
    static let caseInGroup = try! NSRegularExpression(
        pattern: #"(?<!similar\s)\b(?:(?:case|patient|subject)['’]s\b(?:[^.;]|\.\d){0,60}?|(?:the|this)\s+(?:case|patient)\s+)\b(?:is|lies|falls|sits|belongs|places\s+(?:it|them|the\s+case))\s+(?:with)?in(?:to)?\s+the\s+(?:library['’]s\s+)?"#
            + label + #"(?:\s*\([^)]{1,30}\))?\s+group\b(?!['’]s)"#, options: [.caseInsensitive])
}
