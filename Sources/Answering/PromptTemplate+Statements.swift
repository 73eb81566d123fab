import Cohort
import Foundation

/// Prompt v9's slots: the answer is v8's opening and one sentence; each finding quotes one of Memoir's own sentences
/// (`EvidenceStatements`), offered as an `enum`, so a finding is true by construction and the model chooses which facts
/// support its answer. The first finding quotes a sentence about the case on the measures `AnswerPlan` gives it (and the
/// kind's own topics); the second one of the five subjects' sentences (one `anyOf` alternative per subject, its source
/// bound to the id, as under v8), or the case's sentence on the plan's second measure. With no statements (a caller
/// without evidence) a finding falls back to v8's pattern.
extension PromptTemplate {
    static func quotedValues(_ plan: AnswerPlan, kind: QuestionKind, facts: OpeningFacts, statements: EvidenceStatements) -> [String: String] {
        let answerOpenings = [plan.answerOpening].filter { !$0.isEmpty }.map(facts.stating)
        return ["single_sentence_answer_pattern_for_kind": jsonString(SentenceGrammar.singleSentenceAnswer(
                    opening: SentenceGrammar.anyOpening(answerOpenings))),
                "answer_schema_for_kind": answerSchema(plan, kind: kind, facts: facts, statements: statements),
                "quoted_first_finding_item": quotedFirstFinding(plan, kind: kind, facts: facts, statements: statements),
                "quoted_second_finding_item": quotedSecondFinding(plan, kind: kind, facts: facts, statements: statements)]
    }

    /// v10's answer: for a diagnosis question, the opening "The evidence points to X because " followed by one of Memoir's
    /// reasons for X (`EvidenceStatements.reasons`), as an `enum`; for any other kind, or without reasons, v9's pattern.
    /// Under v9, 3 of Qwen2.5-0.5B's 4 grounded diagnosis answers gave a nonsense or false reason ("because it is the most
    /// similar subject to the five most similar historical subjects"), and Qwen2.5-1.5B's first gave the encoder's 4% as
    /// "higher than the majority vote (82%)".
    static func answerSchema(_ plan: AnswerPlan, kind: QuestionKind, facts: OpeningFacts, statements: EvidenceStatements) -> String {
        let opening = plan.answerOpening
        if kind == .diagnosis, opening.hasPrefix("The evidence points to "), let diagnosis = Diagnosis(label: String(
            opening.dropFirst("The evidence points to ".count).prefix { $0 != " " })) {
            let reasons = statements.reasons(for: diagnosis)
            if !reasons.isEmpty { return #"{ "type": "string", "# + quoted(reasons.map { opening + $0 }) + " }" }
        }
        let pattern = SentenceGrammar.singleSentenceAnswer(opening: SentenceGrammar.anyOpening([opening].filter { !$0.isEmpty }.map(facts.stating)))
        return #"{ "type": "string", "pattern": "# + jsonString(pattern) + " }"
    }

    /// The measures `openings` ("The case's MMSE ") are about; empty for the bare "The case's ".
    static func measures(in openings: [String]) -> [String] {
        openings.map { $0.dropFirst("The case's ".count).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func quoted(_ options: [String]) -> String { #""enum": "# + jsonList(options) }

    static func quotedFirstFinding(_ plan: AnswerPlan, kind: QuestionKind, facts: OpeningFacts, statements: EvidenceStatements) -> String {
        guard !statements.aboutCase.isEmpty else {
            return findingItem(sources: ["case"], text: #""pattern": "# + jsonString(SentenceGrammar.finding(
                opening: SentenceGrammar.anyOpening(plan.firstFindingOpenings.map(facts.stating)))))
        }
        return findingItem(sources: ["case"], text: quoted(statements.caseOptions(kind: kind, measures: measures(in: plan.firstFindingOpenings))))
    }

    /// A free second finding (v8's "other" kind) quotes one of the five, else a case sentence the first does not offer.
    static func quotedSecondFinding(_ plan: AnswerPlan, kind: QuestionKind, facts: OpeningFacts, statements: EvidenceStatements) -> String {
        let said = Dictionary(statements.aboutSubjects.map { ($0.id, $0.text) }, uniquingKeysWith: { a, _ in a })
        let subjects = plan.secondFindingNamesSubject ? plan.secondFindingSources
            : plan.secondFindingOpenings.isEmpty ? plan.secondFindingSources.filter { $0 != "case" } : []
        if !subjects.isEmpty {
            guard subjects.allSatisfy({ said[$0] != nil }) else { return secondFindingItem(plan, facts: facts) }
            let variants = subjects.map { findingItem(sources: [$0], text: quoted([said[$0] ?? ""])) }
            return #"{ "anyOf": ["# + variants.joined(separator: ", ") + "] }"
        }
        let measures = measures(in: plan.secondFindingOpenings)
        let first = Set(statements.caseOptions(kind: kind, measures: Self.measures(in: plan.firstFindingOpenings)))
        let onMeasures = statements.aboutCase.filter { measures.isEmpty || measures.contains($0.topic) }.map(\.text)
        let options = measures.isEmpty && onMeasures.contains(where: { !first.contains($0) }) ? onMeasures.filter { !first.contains($0) } : onMeasures
        guard !options.isEmpty else { return secondFindingItem(plan, facts: facts) }
        return findingItem(sources: ["case"], text: quoted(options))
    }
}
