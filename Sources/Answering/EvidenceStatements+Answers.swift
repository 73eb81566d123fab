import Cohort
import Foundation

/// Prompt v11's answers: for each kind of question the QA set asks, the sentences Memoir writes that answer it, from the
/// evidence's own figures, among which the model chooses (an `enum`, like the findings since v9). Read by hand under v10,
/// the models' own answer sentences were the untrustworthy part: of the grounded ones, Qwen2.5-0.5B's were 6 right, 4 vague
/// and 4 wrong, Qwen2.5-Coder-1.5B's 9 right, 1 vague and 9 wrong, SmolLM2's none right (a percentile read as group
/// membership, one neighbour's values given as all five's, the five given one diagnosis when they differ).
///
/// These sentences sum up what a finding states one fact at a time (all of the case's scores, the five's diagnoses and
/// ranges), so they are not among the findings' sentences; where one is (the genotype, the encoder's CDR-SB, a diagnosis
/// answer's reason), the findings are offered the rest while any remain (`PromptTemplate.caseOptions`). A diagnosis answer
/// keeps v10's "because" and one of Memoir's reasons; a question of kind `other` has no sentence here and is answered in
/// the model's words. With the clinical inputs switched off (`memoir ask --modalities t1+fa`) the scores and the genotype
/// are not in the evidence: the answers say they were not used, not that they are not recorded.
extension EvidenceStatements {
    static func answerSentences(_ e: Evidence, aboutCase: [Statement]) -> [QuestionKind: [String]] {
        var answers: [QuestionKind: [String]] = [:]
        let unused = e.notes.contains { $0.hasPrefix("clinical scores not used") }
        answers[.cognition] = unused ? ["The case's cognitive scores were not used in this run (clinical inputs off)."] : cognition(e)
        answers[.severity] = (unused ? ["The case's MMSE and MoCA were not used in this run (clinical inputs off)."] : severity(e))
            + aboutCase.filter { $0.topic == encoderCDRSB }.map(\.text)
        answers[.apoe] = aboutCase.filter { $0.topic == AnswerPlan.genotype }.map(\.text)
        if answers[.apoe]?.isEmpty ?? true {
            answers[.apoe] = [unused ? "The case's APOE genotype was not used in this run (clinical inputs off)." : "The case's APOE genotype is not recorded."]
        }
        // Not the vote's sentence: given the choice, Qwen2.5-0.5B answered all of its first 5 similar-cases questions with it,
        // which gives no scores; the sums below hold its counts, and the vote stays among the findings.
        answers[.similarCases] = similarCases(e)
        answers[.prognosis] = Array(EvidenceAnswer.courseSentences(e).prefix(1))
        return answers
    }

    /// The case's cognitive scores in the evidence's order, bare and with their bands, and which of the usual ones are missing.
    static func cognition(_ e: Evidence) -> [String] {
        let scores = e.readings.filter { cognitiveMeasures.contains($0.measure) }
        let missing = AnswerPlan.cognitiveScores.filter { m in !scores.contains { $0.measure == m } }
        let absent = missing.isEmpty ? "" : "; " + listed(missing) + (missing.count == 1 ? " is" : " are") + " not recorded"
        guard !scores.isEmpty else { return ["None of the case's cognitive scores (" + listed(AnswerPlan.cognitiveScores) + ") is recorded."] }
        let bare = "The case's cognitive scores are " + listed(scores.map { "\($0.measure) \($0.text)" }) + absent + "."
        let banded = "The case's cognitive scores are " + listed(scores.map { r in
            "\(r.measure) \(r.text)" + (r.interpretation.map { " (\($0))" } ?? "")
        }) + absent + "."
        return banded == bare ? [bare] : [banded, bare]
    }

    /// What the MMSE and the MoCA say by their published bands, together, and which is not recorded.
    static func severity(_ e: Evidence) -> [String] {
        let screens = ["MMSE", "MoCA"]
        let recorded = screens.compactMap { m in e.readings.first { $0.measure == m } }
        guard !recorded.isEmpty else { return ["Neither the case's MMSE nor its MoCA is recorded."] }
        let said = recorded.map { r in "\(r.measure) is \(r.text)" + (r.interpretation.map { " (\($0))" } ?? "") }
        var text = "The case's " + said.joined(separator: " and its ")
        if let missing = screens.first(where: { m in !recorded.contains { $0.measure == m } }) { text += "; its \(missing) is not recorded" }
        return [text + "."]
    }

    /// The five's recorded diagnoses, counted, and the ranges of their scores, with where the case's own MMSE falls.
    static func similarCases(_ e: Evidence) -> [String] {
        let n = e.neighbours
        guard !n.isEmpty else { return ["The library holds no similar subjects to compare the case with."] }
        let counts = Diagnosis.allCases.compactMap { d -> (Diagnosis, Int)? in
            let c = n.filter { $0.diagnosis == d }.count
            return c == 0 ? nil : (d, c)
        }.sorted { $0.1 > $1.1 }
        guard n.count > 1 else {
            return ["The one most similar subject, \(n[0].subjectID), was recorded \(n[0].diagnosis.rawValue)."]
        }
        let diagnoses = counts.count == 1 ? (n.count == 2 ? "both" : "all \(n.count)") + " were recorded \(counts[0].0.rawValue)"
            : listed(counts.map { "\($0.1) \($0.1 == 1 ? "was" : "were") recorded \($0.0.rawValue)" })
        let head = "Of the \(n.count) most similar subjects, " + diagnoses
        var ranges: [String] = []
        for (measure, values) in [("MMSE", n.compactMap(\.mmse)), ("MoCA", n.compactMap(\.moca)), ("ADAS-Cog 13", n.compactMap(\.adas13))] {
            guard let low = values.min(), let high = values.max(), values.count > 1, low < high else { continue }
            // A range over fewer than all of them says over how many: a reader would take it for all five's.
            let over = values.count < n.count ? " (recorded for \(values.count))" : ""
            ranges.append("their \(measure) ranges from \(EvidenceBuilder.number(low)) to \(EvidenceBuilder.number(high))" + over)
        }
        guard !ranges.isEmpty else { return [head + "."] }
        var withCase = head + "; " + listed(ranges)
        if let own = e.readings.first(where: { $0.measure == "MMSE" }), let low = n.compactMap(\.mmse).min(), let high = n.compactMap(\.mmse).max(), low < high {
            let place = own.value < low ? "below" : own.value > high ? "above" : "within"
            withCase += ", and the case's MMSE of \(own.text) is \(place) their MMSE range"
        }
        return [withCase + ".", head + "; " + listed(ranges) + "."].uniqued()
    }

    static func listed(_ items: [String]) -> String { items.listedInEnglish }

    static let cognitiveMeasures: Set<String> = ["MMSE", "MoCA", "ADAS-Cog 13", "ADAS-Cog 11"]
}
