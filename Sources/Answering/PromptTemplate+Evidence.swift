import Cohort
import Foundation

/// Prompt versions from v2 on: the LLM reads Memoir's evidence (stable for a case, so it comes first and
/// llama.cpp's prompt cache serves follow-up questions), then the question and its kind; the schema's slots
/// give the diagnosis field only to diagnosis questions and limit sources and citations to the five subjects.
/// From v4 the diagnosis field offers only the diagnoses the evidence leads with (`{{supported_diagnosis_property}}`).
/// From v5 there are exactly two findings: the first about the case, the second (for a question that leans on the
/// neighbours) about one of the five subjects, which must also be cited (`{{first_finding_sources}}`,
/// `{{second_finding_sources}}`, `{{minimum_citations}}`).
/// From v6 a diagnosis answer's grammar opens with `answerOpening(_:)` (`{{answer_opening}}`), so the text a user reads
/// states Memoir's reading before the model's explanation: a small model cannot name another diagnosis first or none;
/// the first finding opens with "The case's " and one of its recorded measures, a neighbour finding with its subject's id (`{{first_finding_opening}}`,
/// `{{second_finding_opening}}`), so the findings cannot copy the answer.
extension PromptTemplate {
    /// The words a v6 diagnosis answer begins with; the verifier and the evaluation read the diagnosis from them. They end
    /// in "because": after a bare "The evidence points to Dementia," Qwen2.5-0.5B copied a neighbour's line of the
    /// evidence ("Dementia, similarity 0.998, age 80, …") instead of giving a reason.
    public static func answerOpening(_ diagnosis: Diagnosis) -> String { "The evidence points to \(diagnosis.rawValue) because" }

    /// Whether this version reads `{{evidence}}` (v2 on) rather than captions (v1).
    public var readsEvidence: Bool { placeholders.contains("evidence") }

    public func messages(evidence: Evidence, question: String, kind: QuestionKind) throws -> [ChatMessage] {
        try render(["evidence": evidence.promptText, "question": question, "question_kind": kind.rawValue.replacingOccurrences(of: "_", with: " "),
                    "instruction": kind.instruction])
    }

    /// The answer schema for one question: a diagnosis field only when `kind` asks for one; sources "case" or
    /// one of `subjectIDs`; citations from `subjectIDs`. Property order is kept: llama.cpp writes properties
    /// in the schema's order, so the diagnosis is committed before the text that must agree with it.
    /// `supported` are the diagnoses the evidence leads with (vote first): v4's grammar lets the model choose
    /// only among them, so a small model cannot commit to a diagnosis the verifier would reject.
    /// `facts` are what v8's openings state after a measure or an id, `statements` the sentences v9's findings quote
    /// (both ignored by earlier versions).
    public func responseFormat(citing subjectIDs: [String], kind: QuestionKind, supported: [Diagnosis] = Diagnosis.allCases,
                               caseMeasures: [String] = [], facts: OpeningFacts = OpeningFacts(),
                               statements: EvidenceStatements = EvidenceStatements()) throws -> ResponseFormat {
        let text = String(decoding: schema, as: UTF8.self)
        guard text.contains("{{") else { return try responseFormat(citing: subjectIDs) }
        let values = Self.schemaValues(citing: subjectIDs, kind: kind, supported: supported, caseMeasures: caseMeasures, facts: facts,
                                       statements: statements)
        let filled = try Self.fill(text, values, file: Self.schemaFile)
        return .jsonSchema(name: "memoir_answer", schema: Data(filled.utf8))
    }

    /// The words a v6 finding about the case begins with: "The case's " and one of its recorded measures. A bare
    /// "The case's " led Qwen2.5-0.5B into "The case's recorded diagnosis MCI" (the neighbours' lines start that way).
    public static func caseFindingOpenings(_ measures: [String]) -> [String] {
        measures.isEmpty ? ["The case's "] : measures.map { "The case's \($0) " }
    }

    /// What the case's first finding may be about: the measures its evidence records, and its APOE genotype.
    public static func caseMeasures(_ evidence: Evidence) -> [String] {
        evidence.readings.map(\.measure).uniqued() + (evidence.apoe == nil ? [] : ["APOE genotype"])
    }

    static func schemaValues(citing subjectIDs: [String], kind: QuestionKind, supported: [Diagnosis], caseMeasures: [String] = [],
                             facts: OpeningFacts = OpeningFacts(), statements: EvidenceStatements = EvidenceStatements()) -> [String: String] {
        let diagnosis = kind.asksForDiagnosis
        let plan = AnswerPlan(kind: kind, citing: subjectIDs, supported: supported, caseMeasures: caseMeasures)
        func property(_ options: [Diagnosis]) -> String {
            diagnosis ? #""diagnosis": { "type": "string", "enum": "# + jsonList(options.map(\.rawValue)) + " }, " : ""
        }
        let neighbourFinding = kind.leansOnNeighbours && !subjectIDs.isEmpty
        let offered = offeredDiagnoses(supported)
        // Only a single offered diagnosis can open the text. A space must follow it: SmolLM2 glued a word onto an opening
        // that ended in the diagnosis ("… points to Demential disease").
        let opening = diagnosis && offered.count == 1 ? regexLiteral(answerOpening(offered[0]) + " ") : ""
        // The findings open with whom they are about, so a small model cannot copy the answer into them: the case, and
        // for a question that leans on the neighbours, one of the five by id.
        let neighbourOpening = neighbourFinding ? alternatives(subjectIDs.map { $0 + " " }) : ""
        return ["diagnosis_property": property(Diagnosis.allCases), "supported_diagnosis_property": property(offered),
                "diagnosis_required": diagnosis ? #""diagnosis", "# : "",
                "sources": jsonList(["case"] + subjectIDs), "citable_ids": jsonList(subjectIDs),
                // With no subjects to name (an empty library) the neighbour finding falls back to the case.
                "first_finding_sources": jsonList(["case"]),
                "second_finding_sources": jsonList(neighbourFinding ? subjectIDs : ["case"] + subjectIDs),
                "minimum_citations": neighbourFinding ? "1" : "0", "answer_opening": opening,
                "first_finding_opening": alternatives(caseFindingOpenings(caseMeasures)),
                "second_finding_opening": neighbourOpening]
            .merging(planValues(plan, facts: facts), uniquingKeysWith: { a, _ in a })
            .merging(quotedValues(plan, kind: kind, facts: facts, statements: statements), uniquingKeysWith: { a, _ in a })
    }

    /// v7's slots (`…_for_kind`): the openings and sources `AnswerPlan` lays out for the question's kind. v6's slots
    /// above stay as they were released. v8's (`…_pattern_for_kind`, `second_finding_item_for_kind`): whole patterns in
    /// `SentenceGrammar`, the openings stating `facts`.
    static func planValues(_ plan: AnswerPlan, facts: OpeningFacts = OpeningFacts()) -> [String: String] {
        let answerOpenings = [plan.answerOpening].filter { !$0.isEmpty }.map(facts.stating)
        return ["answer_opening_for_kind": regexLiteral(plan.answerOpening),
                "first_finding_opening_for_kind": alternatives(plan.firstFindingOpenings),
                "second_finding_opening_for_kind": alternatives(plan.secondFindingOpenings),
                "second_finding_sources_for_kind": jsonList(plan.secondFindingSources),
                "minimum_citations_for_kind": String(plan.minimumCitations),
                "answer_pattern_for_kind": jsonString(SentenceGrammar.answer(opening: SentenceGrammar.anyOpening(answerOpenings))),
                "first_finding_pattern_for_kind": jsonString(SentenceGrammar.finding(
                   opening: SentenceGrammar.anyOpening(plan.firstFindingOpenings.map(facts.stating)))),
                "second_finding_item_for_kind": secondFindingItem(plan, facts: facts)]
    }

    /// v8's second finding. When it names a subject, one alternative per subject whose source is that subject's id and
    /// whose text opens with it: under v7 the source and the opening were chosen apart, and Qwen2.5-0.5B gave a finding
    /// about 152_S_0311 the source of another subject, against whose values the verifier then read it.
    static func secondFindingItem(_ plan: AnswerPlan, facts: OpeningFacts) -> String {
        func item(sources: [String], openings: [String]) -> String {
            findingItem(sources: sources, text: #""pattern": "# + jsonString(SentenceGrammar.finding(opening: SentenceGrammar.anyOpening(openings))))
        }
        guard plan.secondFindingNamesSubject else {
            return item(sources: plan.secondFindingSources, openings: plan.secondFindingOpenings.map(facts.stating))
        }
        let variants = zip(plan.secondFindingSources, plan.secondFindingOpenings).map { item(sources: [$0], openings: [facts.stating($1)]) }
        return anyOf(variants)
    }

    /// A schema that accepts any of `items` (each a JSON schema object).
    static func anyOf(_ items: [String]) -> String { #"{ "anyOf": ["# + items.joined(separator: ", ") + "] }" }

    /// A finding object whose source is one of `sources` and whose text obeys `text` (a pattern or an enum, as JSON members).
    static func findingItem(sources: [String], text: String) -> String {
        #"{ "type": "object", "properties": { "source": { "type": "string", "enum": "# + jsonList(sources)
            + #" }, "finding": { "type": "string", "# + text + #" } }, "required": ["source", "finding"], "additionalProperties": false }"#
    }

    /// `text` as a JSON string literal, quotes included.
    static func jsonString(_ text: String) -> String {
        let list = jsonList([text])
        return String(list.dropFirst().dropLast())
    }

    /// The diagnoses a diagnosis field may hold: those the evidence leads with, or all three when it names none.
    static func offeredDiagnoses(_ supported: [Diagnosis]) -> [Diagnosis] {
        supported.isEmpty ? Diagnosis.allCases : supported.uniqued()
    }

    /// A JSON array of strings, for an `enum` slot.
    static func jsonList(_ items: [String]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: items)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// A regex group matching any of `openings` literally, escaped for a JSON string; empty when there are none.
    static func alternatives(_ openings: [String]) -> String {
        openings.isEmpty ? "" : "(" + openings.map(regexLiteral).joined(separator: "|") + ")"
    }

    /// `text` as a regex literal, escaped again for a JSON string.
    static func regexLiteral(_ text: String) -> String {
        NSRegularExpression.escapedPattern(for: text).replacingOccurrences(of: "\\", with: "\\\\")
    }

    static var sampleSchemaValues: [String: String] { schemaValues(citing: ["000_S_0000"], kind: .diagnosis, supported: [.mci]) }
}
