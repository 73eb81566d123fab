import Cohort

/// Memoir's own answer from the evidence, with no LLM: Memoir's reading (vote and encoder averaged) for a
/// diagnosis and sentences templated from the computed values. It is the evaluation's evidence-only row (what the LLM
/// must beat) and what the CLI shows beside an answer the verifier did not pass.
public enum EvidenceAnswer {
    public static func answer(_ e: Evidence, kind: QuestionKind) -> ParsedAnswer {
        let vote = e.vote
        let share = EvidenceBuilder.percent(vote.shares[vote.leading.rawValue] ?? 0)
        let count = vote.counts[vote.leading.rawValue] ?? 0
        let voteSentence = "\(count) of the \(e.neighbours.count) most similar subjects were recorded \(vote.leading.rawValue) "
            + "(\(share)% of the similarity-weighted vote)."
        let encoderSentence = e.encoder.map { enc in
            "The encoder estimates \(enc.predicted.rawValue) (\(EvidenceBuilder.percent(enc.probabilities[enc.predicted.rawValue] ?? 0))%), a prediction."
        }
        let readings = e.readings.filter { ["MMSE", "MoCA"].contains($0.measure) }.map { r in
            "\(r.measure) is \(r.text)" + (r.interpretation.map { " (\($0))" } ?? "") + "."
        }
        var sentences: [String]
        var diagnosis: Diagnosis?
        switch kind {
        case .diagnosis, .other:
            diagnosis = kind == .diagnosis ? e.reading : nil
            // "The most likely diagnosis is X" is how the diagnosis reader recognises a stated diagnosis (the
            // vote's and encoder's sentences may name other groups), so this text is scored like an LLM's.
            let lead = (kind == .diagnosis ? "The most likely diagnosis is" : "The evidence points to") + " \(e.reading.rawValue)"
            let first = e.encoder == nil ? lead + ": " + voteSentence
                : lead + " (\(EvidenceBuilder.percent(e.readingShares[e.reading.rawValue] ?? 0))% with the vote and the estimate averaged)."
            sentences = [first] + (e.encoder == nil ? [] : [voteSentence]) + readings.prefix(1) + [encoderSentence].compactMap { $0 }
        case .severity, .cognition:
            sentences = readings.isEmpty ? ["No MMSE or MoCA is recorded for this case."] : readings
            if let adas = e.readings.first(where: { $0.measure == "ADAS-Cog 13" }) {
                sentences.append("ADAS-Cog 13 is \(adas.text), at the \(adas.percentiles[vote.leading.rawValue] ?? 0)th percentile of the library's \(vote.leading.rawValue) subjects.")
            }
        case .apoe:
            sentences = [e.apoe.map { "The case carries \($0)." } ?? "The case's APOE genotype is not recorded."]
        case .similarCases:
            sentences = [voteSentence, "The closest is \(e.neighbours.first.map { "\($0.subjectID) (\($0.diagnosis.rawValue))" } ?? "none")."]
        case .prognosis:
            sentences = courseSentences(e) + [voteSentence]
        }
        let findings = [ParsedAnswer.Finding(source: "case", finding: readings.first ?? e.demographics)]
            + e.neighbours.prefix(1).map { ParsedAnswer.Finding(source: $0.subjectID, finding: "Recorded \($0.diagnosis.rawValue), similarity \(String(format: "%.3f", $0.similarity)).") }
        return ParsedAnswer(diagnosis: diagnosis, answer: sentences.joined(separator: " "), findings: findings,
                            citedSubjectIDs: e.neighbours.filter { $0.diagnosis == (kind == .diagnosis ? e.reading : vote.leading) }.map(\.subjectID), source: .structured)
    }

    /// The course the neighbours of the leading group took, as an expectation for the case, with the counts it
    /// rests on; said plainly when no follow-up is recorded or the leading group has no worse stage.
    static func courseSentences(_ e: Evidence) -> [String] {
        guard let courses = e.courses, !courses.isEmpty else {
            return ["No follow-up visits are recorded for the similar subjects, so no course can be read from the evidence."]
        }
        guard let own = courses.first(where: { $0.group == e.vote.leading }) else {
            return ["The neighbours' weighted vote leads with \(e.vote.leading.longName), a stage with none worse to progress to."]
                + courses.map(\.statement)
        }
        let expectation: String
        let known = own.progressed + own.stable
        switch known < 2 ? nil : own.majority {
        case .progressed?: expectation = "Judging by its most similar subjects' courses, this case is likely to progress to \(own.target.longName) within \(Int(own.horizonMonths)) months."
        case .stable?: expectation = "Judging by its most similar subjects' courses, this case is likely to remain stable, without progression to \(own.target.longName) within \(Int(own.horizonMonths)) months."
        default:
            expectation = known < 2
                ? "Too few of the most similar subjects were followed \(Int(own.horizonMonths)) months to suggest a course."
                : "The most similar subjects' courses are split, so they suggest no expected course."
        }
        return [expectation, own.statement]
    }
}
