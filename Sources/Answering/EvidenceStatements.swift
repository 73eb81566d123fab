import Cohort
import Foundation

/// Prompt v9's findings: sentences Memoir writes from the evidence, one per fact, among which the model chooses the two
/// that support its answer (the grammar offers them as an `enum`). Under v8 the openings stated Memoir's values and the
/// model continued them, and none of the answers the verifier passed was right in every claim when read by hand: the
/// continuations attached a genotype or a cut-off to the wrong measure ("The case's ADAS-Cog 13 of 2.67/85 is a normal
/// allele"). A finding Memoir writes is true by construction; the model's part is which facts it cites, and its answer.
///
/// The sentences keep the evidence's own figures, labels and citations (a measure's line is quoted as the evidence prints
/// it; the vote, the estimate and the reading are reworded as sentences), so the verifier reads them as it reads the
/// evidence (`PromptVersionNineTests.everyOfferedSentencePassesTheVerifier`).
public struct EvidenceStatements: Sendable {
    /// One sentence and what it is about: a measure as `PromptTemplate.caseMeasures` names it, or one of the topics below.
    public struct Statement: Sendable, Equatable {
        public var topic: String
        public var text: String
    }

    public static let vote = "vote", reading = "reading", encoderDiagnosis = "encoder diagnosis",
                      encoderCDRSB = "encoder CDR-SB", course = "course", demographics = "demographics"

    /// Sentences about the case (source "case"), in the evidence's order.
    public var aboutCase: [Statement]
    /// One sentence per neighbour, by subject id, most similar first.
    public var aboutSubjects: [(id: String, text: String)]

    public init(aboutCase: [Statement] = [], aboutSubjects: [(id: String, text: String)] = []) {
        self.aboutCase = aboutCase
        self.aboutSubjects = aboutSubjects
    }

    public init(_ e: Evidence) {
        var statements: [Statement] = []
        if let genotype = e.genotype, let apoe = e.apoe {
            let meaning = apoe.dropFirst("APOE \(genotype)".count).trimmingCharacters(in: .whitespaces)
            let text = meaning.isEmpty ? "The case's APOE genotype is \(genotype)." : "The case's APOE genotype is \(genotype) \(meaning)."
            statements.append(Statement(topic: AnswerPlan.genotype, text: text))
        }
        for r in e.readings {
            var text = "The case's \(r.measure) is \(r.text)"
            if let i = r.interpretation { text += " (\(i))" }
            let percentiles = Diagnosis.allCases.compactMap { d in r.percentiles[d.rawValue].map { "\(d.rawValue) \($0)" } }
            if !percentiles.isEmpty { text += "; percentile among library " + percentiles.joined(separator: ", ") }
            statements.append(Statement(topic: r.measure, text: text + "."))
        }
        if !e.neighbours.isEmpty {
            let leading = e.vote.leading.rawValue
            statements.append(Statement(topic: Self.vote, text: "\(e.vote.counts[leading] ?? 0) of the \(e.neighbours.count) most similar "
                + "subjects were recorded \(leading) (\(EvidenceBuilder.percent(e.vote.shares[leading] ?? 0))% of the similarity-weighted vote)."))
        }
        if let encoder = e.encoder {
            // Most probable first; on a tie (probabilities are rounded) the class the encoder predicts leads.
            let ranked = Diagnosis.allCases.sorted {
                let (a, b) = (encoder.probabilities[$0.rawValue] ?? 0, encoder.probabilities[$1.rawValue] ?? 0)
                return a != b ? a > b : $0 == encoder.predicted
            }
            let shares = ranked.map { "\($0.rawValue) \(EvidenceBuilder.percent(encoder.probabilities[$0.rawValue] ?? 0))%" }
            statements.append(Statement(topic: Self.encoderDiagnosis, text: "The encoder estimates "
                + shares.joined(separator: ", ") + " from \(encoder.modalities): a prediction, not a record."))
            statements.append(Statement(topic: Self.encoderCDRSB, text: "The encoder predicts a CDR-SB of \(EvidenceBuilder.number(encoder.cdrsb))"
                + (encoder.cdrsbTestError.map { " (typical error ±\(EvidenceBuilder.number($0)))" } ?? "") + ": a prediction, not a record."))
            if !e.neighbours.isEmpty {
                statements.append(Statement(topic: Self.reading, text: "Memoir's reading, the vote and the estimate averaged, leads with "
                    + "\(e.reading.rawValue) (\(EvidenceBuilder.percent(e.readingShares[e.reading.rawValue] ?? 0))%)."))
            }
        }
        statements += (e.courses ?? []).map { Statement(topic: Self.course, text: $0.statement) }
        var reasons: [(Diagnosis, String, String)] = []
        for statement in statements {
            switch statement.topic {
            case Self.vote: reasons.append((e.vote.leading, statement.text, statement.text))
            case Self.encoderDiagnosis: if let encoder = e.encoder { reasons.append((encoder.predicted, "the" + statement.text.dropFirst(3), statement.text)) }
            case Self.reading: reasons.append((e.reading, statement.text, statement.text))
            default: break
            }
        }
        statements.append(Statement(topic: Self.demographics, text: "The case is a \(e.demographics)."))
        aboutCase = statements
        reasonClauses = reasons
        answersByKind = Self.answerSentences(e, aboutCase: statements)
        aboutSubjects = e.neighbours.map { n in
            var facts = ["similarity " + String(format: "%.3f", n.similarity)]
            if let a = n.age { facts.append("age \(EvidenceBuilder.whole(a))") }
            if let m = n.mmse { facts.append("MMSE \(EvidenceBuilder.number(m))") }
            if let m = n.moca { facts.append("MoCA \(EvidenceBuilder.number(m))") }
            if let a = n.adas13 { facts.append("ADAS-Cog 13 \(EvidenceBuilder.number(a))") }
            if let count = n.apoeE4 { facts.append("APOE ε4 alleles \(count)") }
            return (n.subjectID, "\(n.subjectID), similar subject \(n.rank) of \(e.neighbours.count), was recorded \(n.diagnosis.rawValue): "
                + facts.joined(separator: ", ") + ".")
        }
    }

    /// Whether `text` is one of these sentences word for word (a finding quoted under prompt v9 on), so a reader can tell
    /// Memoir's words from the model's.
    public func quotes(_ text: String) -> Bool {
        aboutCase.contains { $0.text == text } || aboutSubjects.contains { $0.text == text }
    }

    /// Memoir's reasons for `diagnosis`, as the clause after "because": the vote when it leads with it, the encoder's estimate
    /// when it predicts it, and Memoir's reading when it leads with it. Empty when none of them names `diagnosis`.
    public func reasons(for diagnosis: Diagnosis) -> [String] {
        reasonClauses.filter { $0.diagnosis == diagnosis }.map(\.clause)
    }

    /// The sentences behind `reasons(for:)`, as the findings would quote them.
    public func reasonStatements(for diagnosis: Diagnosis) -> [String] {
        reasonClauses.filter { $0.diagnosis == diagnosis }.map(\.statement)
    }

    /// Each diagnosis-naming sentence with the diagnosis it leads with, its first letter lowered where it is a word.
    var reasonClauses: [(diagnosis: Diagnosis, clause: String, statement: String)] = []

    /// Memoir's answers to a question of `kind` (prompt v11; `EvidenceStatements+Answers`): empty for a diagnosis question
    /// (its answer is a reason, `reasons(for:)`) and for kind `other`.
    public func answers(for kind: QuestionKind) -> [String] { answersByKind[kind] ?? [] }

    var answersByKind: [QuestionKind: [String]] = [:]

    /// Whether an answer's text is one of Memoir's answers word for word: a v11 answer sentence, or a v10 diagnosis answer
    /// (its opening and one of Memoir's reasons).
    public func answerQuotes(_ text: String) -> Bool {
        answersByKind.values.contains { $0.contains(text) }
            || reasonClauses.contains { text == PromptTemplate.answerOpening($0.diagnosis) + " " + $0.clause }
    }

    /// The sentences a finding about the case may quote for `plan`'s question: those on the measures the plan opens that
    /// finding with (all of them when it names none), and the kind's own topics. A severity answer gives no diagnosis
    /// label, so it is offered no vote, estimate or reading; a diagnosis answer is offered all three. (A severity answer's
    /// second finding may still quote a neighbour's line, with its recorded diagnosis, when the case has no cognitive score.)
    public func caseOptions(kind: QuestionKind, measures: [String]) -> [String] {
        let extra: [String] = switch kind {
        case .diagnosis: [Self.vote, Self.reading, Self.encoderDiagnosis]
        case .similarCases: [Self.vote, Self.course]
        case .prognosis: [Self.course, Self.vote, Self.encoderCDRSB]
        case .severity: [Self.encoderCDRSB]
        case .apoe: [AnswerPlan.genotype]
        case .cognition: []
        case .other: aboutCase.map(\.topic)
        }
        let allMeasures = aboutCase.map(\.topic).filter { !Self.nonMeasures.contains($0) }
        let topics = Set((measures.isEmpty ? allMeasures : measures) + extra)
        let chosen = aboutCase.filter { topics.contains($0.topic) }.map(\.text)
        // A case with none of those (no scores recorded, clinical inputs off) still has its demographics to quote; a severity
        // answer is still offered no diagnosis label.
        guard chosen.isEmpty else { return chosen }
        let labelled: Set<String> = [Self.vote, Self.reading, Self.encoderDiagnosis]
        return aboutCase.filter { kind != .severity || !labelled.contains($0.topic) }.map(\.text)
    }

    static let nonMeasures: Set<String> = [vote, reading, encoderDiagnosis, encoderCDRSB, course, demographics]
}
