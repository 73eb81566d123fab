import Cohort
import Foundation

/// Prompt v9's slots: the answer is v8's opening and one sentence; each finding quotes one of Memoir's own sentences
/// (`EvidenceStatements`), offered as an `enum`, so a finding is true by construction and the model chooses which facts
/// support its answer. The first finding quotes a sentence about the case on the measures `AnswerPlan` gives it (and the
/// kind's own topics); the second one of the five subjects' sentences (one `anyOf` alternative per subject, its source
/// bound to the id, as under v8), or a case sentence: on the plan's second measure, or, with no subjects to name (an empty
/// library), one the first finding does not offer. The two offer no sentence in common unless the evidence holds only one.
/// With no statements (a caller without evidence) a finding falls back to v8's pattern. v10 adds `answerSchema`; v11 quotes
/// the answer of every kind but `other` (`EvidenceStatements.answers(for:)`), its findings offered the other sentences.
extension PromptTemplate {
    static func quotedValues(_ plan: AnswerPlan, kind: QuestionKind, facts: OpeningFacts, statements: EvidenceStatements) -> [String: String] {
        let (first, second) = caseOptions(plan, kind: kind, statements: statements)
        // v11: the answer quotes one of Memoir's answers too (a diagnosis answer one of Memoir's reasons); the findings are
        // offered none of the sentences behind them while others remain.
        let answers = statements.answers(for: kind)
        let behindAnswer = answers + (plan.answerDiagnosis.map(statements.reasonStatements) ?? [])
        let (firstBeside, secondBeside) = caseOptions(plan, kind: kind, statements: statements, excluding: behindAnswer)
        return ["single_sentence_answer_pattern_for_kind": jsonString(singleSentencePattern(plan, facts: facts)),
                "answer_schema_for_kind": answerSchema(plan, facts: facts, statements: statements),
                "quoted_answer_for_kind": answers.isEmpty ? answerSchema(plan, facts: facts, statements: statements)
                    : #"{ "type": "string", "# + quoted(answers) + " }",
                "quoted_first_finding_item": firstFindingItem(plan, facts: facts, options: first),
                "quoted_second_finding_item": quotedSecondFinding(plan, facts: facts, statements: statements, caseOptions: second),
                "first_finding_beside_quoted_answer": firstFindingItem(plan, facts: facts, options: firstBeside),
                "second_finding_beside_quoted_answer": quotedSecondFinding(plan, facts: facts, statements: statements, caseOptions: secondBeside)]
    }

    /// The first finding: one of `options` (sentences about the case), or v8's pattern when there are none.
    static func firstFindingItem(_ plan: AnswerPlan, facts: OpeningFacts, options: [String]) -> String {
        options.isEmpty
            ? findingItem(sources: ["case"], text: #""pattern": "# + jsonString(SentenceGrammar.finding(
                opening: SentenceGrammar.anyOpening(plan.firstFindingOpenings.map(facts.stating)))))
            : findingItem(sources: ["case"], text: quoted(options))
    }

    /// v9's answer pattern: v8's opening, stating its fact, then one sentence.
    static func singleSentencePattern(_ plan: AnswerPlan, facts: OpeningFacts) -> String {
        SentenceGrammar.singleSentenceAnswer(opening: SentenceGrammar.anyOpening([plan.answerOpening].filter { !$0.isEmpty }.map(facts.stating)))
    }

    /// v10's answer: for a diagnosis question, the opening "The evidence points to X because " followed by one of Memoir's
    /// reasons for X (`EvidenceStatements.reasons`), as an `enum`; for any other kind, or without reasons, v9's pattern.
    /// Under v9, 3 of Qwen2.5-0.5B's 4 grounded diagnosis answers gave a nonsense or false reason ("because it is the most
    /// similar subject to the five most similar historical subjects"), and Qwen2.5-Coder-1.5B's first gave the encoder's 4%
    /// as "higher than the majority vote (82%)".
    static func answerSchema(_ plan: AnswerPlan, facts: OpeningFacts, statements: EvidenceStatements) -> String {
        if let diagnosis = plan.answerDiagnosis {
            let reasons = statements.reasons(for: diagnosis)
            if !reasons.isEmpty { return #"{ "type": "string", "# + quoted(reasons.map { plan.answerOpening + $0 }) + " }" }
        }
        return #"{ "type": "string", "pattern": "# + jsonString(singleSentencePattern(plan, facts: facts)) + " }"
    }

    /// The measures `openings` ("The case's MMSE ") are about; empty for the bare "The case's ".
    static func measures(in openings: [String]) -> [String] {
        openings.map { $0.dropFirst("The case's ".count).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func quoted(_ options: [String]) -> String { #""enum": "# + jsonList(options) }

    /// Whom the second finding quotes: subjects by id (when the plan names one, or leaves it free and there are subjects).
    static func secondFindingSubjects(_ plan: AnswerPlan) -> [String] {
        plan.secondFindingNamesSubject ? plan.secondFindingSources
            : plan.secondFindingOpenings.isEmpty ? plan.secondFindingSources.filter { $0 != "case" } : []
    }

    /// The case sentences each finding may quote (the second's empty when it quotes a subject), kept apart: a sentence both
    /// offered goes to the second alone, unless that would leave the first none.
    /// `excluding` (v11: the answer's own sentences) are offered to neither finding while others remain.
    static func caseOptions(_ plan: AnswerPlan, kind: QuestionKind, statements: EvidenceStatements,
                            excluding: [String] = []) -> (first: [String], second: [String]) {
        guard !statements.aboutCase.isEmpty else { return ([], []) }
        func besides(_ options: [String]) -> [String] {
            let rest = options.filter { !excluding.contains($0) }
            return rest.isEmpty ? options : rest
        }
        var first = besides(statements.caseOptions(kind: kind, measures: measures(in: plan.firstFindingOpenings)))
        guard secondFindingSubjects(plan).isEmpty else { return (first, []) }
        let measures = measures(in: plan.secondFindingOpenings)
        let onMeasures = besides(statements.aboutCase.filter { measures.isEmpty || measures.contains($0.topic) }.map(\.text))
        var second = onMeasures.filter { !first.contains($0) }
        if second.isEmpty, !onMeasures.isEmpty {
            second = onMeasures
            let rest = first.filter { !second.contains($0) }
            if !rest.isEmpty { first = rest } else if first.count > 1 { (first, second) = ([first[0]], Array(first.dropFirst())) }
        }
        return (first, second)
    }

    static func quotedSecondFinding(_ plan: AnswerPlan, facts: OpeningFacts, statements: EvidenceStatements, caseOptions: [String]) -> String {
        let subjects = secondFindingSubjects(plan)
        if !subjects.isEmpty {
            let said = Dictionary(statements.aboutSubjects.map { ($0.id, $0.text) }, uniquingKeysWith: { a, _ in a })
            guard subjects.allSatisfy({ said[$0] != nil }) else { return secondFindingItem(plan, facts: facts) }
            return anyOf(subjects.map { findingItem(sources: [$0], text: quoted([said[$0] ?? ""])) })
        }
        guard !caseOptions.isEmpty else { return secondFindingItem(plan, facts: facts) }
        return findingItem(sources: ["case"], text: quoted(caseOptions))
    }
}
