import Answering
import Cohort
import Foundation
import Store

/// Builds a QA set from the case store: for each subject of a split, up to five questions whose
/// reference answers are written from what the answering pipeline's evidence holds (schema:
/// Fixtures/qa/README.md), so nothing is asked that the evidence cannot answer:
///
/// - diagnosis: the recorded diagnosis with the scores that support it (`expected_diagnosis` set);
/// - severity: the MMSE and MoCA bands, in `ClinicalInterpretation`'s words (CDR-SB is withheld from the
///   LLM, so it is not asked about);
/// - cognition: MMSE, MoCA, ADAS-Cog 11/13 against their maxima;
/// - apoe: genotype, ε4 count and the risk as the evidence states it;
/// - similar_cases: how the case compares with the five subjects retrieval actually gives the LLM for
///   that question (`ContextNeighbours`, from the Application layer's pipeline);
/// - prognosis (longitudinal stores): for a CN or MCI case at baseline whose own course over the next 24
///   months is recorded, whether it progressed (`expected_course`); the reference is that course.
/// A question whose facts are not recorded (no scores, no APOE, no neighbours) is not asked.
/// The seed only picks among equivalent phrasings, deterministically per case.
public struct QASetBuilder: Sendable {
    public var seed: UInt64

    /// The subject ids retrieval puts in the LLM's context for a question about a case, in order.
    public typealias ContextNeighbours = (_ caseID: String, _ question: String) throws -> [String]

    public init(seed: UInt64 = 1) { self.seed = seed }

    /// Questions for every case of `split` (in id order); similar-case references from `neighbours`.
    public func build(store: CaseStore, split: Split, neighbours: @escaping ContextNeighbours) throws -> [QAItem] {
        let cases = try store.allCases(split: split)
        guard !cases.isEmpty else { throw EvaluationError.emptyInput(what: "the \(split.rawValue) split of \(store.path)") }
        let library = split == .train ? cases : try store.allCases(split: .train)
        return try build(cases: cases, library: library, neighbours: neighbours, courses: try store.courses(of: cases.map(\.record.subject)))
    }

    /// `library`: the subjects `neighbours` may name (the indexed training split). Without `neighbours`,
    /// no similar-case question is asked.
    /// `courses`: recorded courses by subject, for prognosis questions (none without them).
    public func build(cases: [StoredCase], library: [StoredCase], neighbours: ContextNeighbours? = nil,
                      courses: [String: SubjectCourse] = [:]) throws -> [QAItem] {
        let byID = Dictionary(library.map { ($0.id, $0.record) }, uniquingKeysWith: { a, _ in a })
        return try cases.flatMap { try questions(for: $0.record, library: byID, neighbours: neighbours, course: courses[$0.record.subject]) }
    }

    /// The prognosis horizon, as `memoir eval prognosis` and the evidence's later courses use it.
    public static let horizonMonths = 24.0

    func questions(for r: CaseRecord, library: [String: CaseRecord], neighbours: ContextNeighbours?,
                   course: SubjectCourse? = nil) throws -> [QAItem] {
        var rng = SeededGenerator(seed: seed ^ Self.fnv1a(r.subjectID))
        func pick(_ phrasings: [String]) -> String { phrasings[Int(rng.next() % UInt64(phrasings.count))] }
        func item(_ category: QAItem.Category, _ question: String, _ reference: String, source: String = "record") -> QAItem {
            QAItem(id: "\(r.subjectID)/\(category.rawValue)", caseID: r.subjectID, question: question,
                   reference: reference, category: category, expectedDiagnosis: category == .diagnosis ? r.diagnosis : nil, source: source)
        }
        var out: [QAItem] = []
        let scores = Self.scoreSentences(r)
        out.append(item(.diagnosis, pick([
            "What is the most likely diagnosis for this patient?",
            "What is the most likely diagnosis for this subject: cognitively normal, MCI or dementia?",
            "Based on the available information, what is the most likely diagnosis?",
        ]), "The most likely diagnosis is \(r.diagnosis.longName) (\(r.diagnosis.rawValue))."
            + (scores.isEmpty ? "" : " " + scores.joined(separator: " ")) + " " + Self.consistency(r.diagnosis)))
        let bands = Self.bandSentences(r)
        if !bands.isEmpty {
            out.append(item(.severity, pick([
                "How severe is this patient's impairment, judging by the MMSE and MoCA?",
                "What do the MMSE and MoCA say about the severity of this subject's impairment?",
            ]), bands.joined(separator: " ")))
        }
        if !scores.isEmpty {
            out.append(item(.cognition, pick([
                "What are this patient's cognitive test scores?",
                "Summarise the cognitive test results of this subject.",
            ]), scores.joined(separator: " ")))
        }
        if let g = r.apoe {
            out.append(item(.apoe, pick([
                "What is this patient's APOE genotype and what does it mean for Alzheimer's risk?",
                "Does this subject carry APOE ε4, and how does that affect the risk of Alzheimer's disease?",
            ]), Self.apoeSentence(g)))
        }
        let question = pick([
            "How does this patient compare with the most similar subjects in the library?",
            "What diagnoses and scores do the subjects most similar to this case have?",
        ])
        if let neighbours {
            let context = try neighbours(r.subjectID, question).compactMap { library[$0] }
            if !context.isEmpty {
                out.append(item(.similarCases, question, Self.comparison(r, context), source: "record+retrieved-context(k=\(context.count))"))
            }
        }
        if let course, r.visit?.isBaseline ?? true, let target = PrognosisEstimator.target(for: r.diagnosis) {
            let outcome = course.outcome(reaching: target, withinMonths: Self.horizonMonths, fromMonths: r.visit?.months ?? 0)
            if outcome != .censored {
                var prognosis = item(.prognosis, pick([
                    "Is this subject likely to progress to a worse diagnosis within the next two years?",
                    "What course is expected for this subject over the next 24 months: progression or stability?",
                ]), Self.courseSentence(r.diagnosis, target: target, outcome: outcome), source: "record+follow-up(24 months)")
                prognosis.expectedCourse = outcome
                out.append(prognosis)
            }
        }
        return out
    }

    /// The subject's own recorded course, in words `CourseReader` reads as that course.
    static func courseSentence(_ d: Diagnosis, target: Diagnosis, outcome: SubjectCourse.Outcome) -> String {
        outcome == .progressed
            ? "This subject is likely to progress: recorded \(d.rawValue) at baseline, \(target.longName) was recorded within 24 months."
            : "This subject is likely to remain stable: recorded \(d.rawValue) at baseline, no progression to \(target.longName) within 24 months."
    }

    // MARK: Reference sentences

    static func scoreSentences(_ r: CaseRecord) -> [String] {
        var s: [String] = []
        if let v = r.mmse { s.append("MMSE is \(format(v)) of 30.") }
        if let v = r.moca { s.append("MoCA is \(format(v)) of 30.") }
        if let v = r.adas11 { s.append("ADAS-Cog 11 is \(format(v)) of 70.") }
        if let v = r.adas13 { s.append("ADAS-Cog 13 is \(format(v)) of 85.") }
        return s
    }

    static func consistency(_ d: Diagnosis) -> String {
        switch d {
        case .cn: "These scores are in the normal range, without functional impairment."
        case .mci: "These scores show cognitive impairment beyond normal ageing with largely preserved daily function."
        case .dementia: "These scores show impairment severe enough to affect daily function."
        }
    }

    /// The MMSE and MoCA with their bands, as the evidence words them (CDR-SB is withheld from the LLM).
    static func bandSentences(_ r: CaseRecord) -> [String] {
        var s: [String] = []
        if let v = r.mmse { s.append("MMSE is \(format(v)) of 30; \(ClinicalInterpretation.mmse(v)).") }
        if let v = r.moca { s.append("MoCA is \(format(v)) of 30; \(ClinicalInterpretation.moca(v)).") }
        return s
    }

    /// The genotype and its risk in the evidence's words (Farrer et al. 1997).
    static func apoeSentence(_ g: APOEGenotype) -> String {
        let count = ["no APOE ε4 allele", "one APOE ε4 allele", "two APOE ε4 alleles"][min(g.e4Count, 2)]
        return "The genotype is \(g): carries \(count); \(ClinicalInterpretation.apoe(g))."
    }

    /// The neighbours' diagnoses and score ranges, and where the case lies: all in the evidence. The case's own
    /// diagnosis is not (it is what the LLM is asked to infer), so the reference does not compare against it.
    static func comparison(_ r: CaseRecord, _ neighbours: [CaseRecord]) -> String {
        var counts: [Diagnosis: Int] = [:]
        for n in neighbours { counts[n.diagnosis, default: 0] += 1 }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let groups = ranked.map { "\($0.value) \(state($0.key, plural: $0.value != 1))" }
        var s = "Of the \(neighbours.count) most similar subjects, " + list(groups) + "."
        for (name, values, own) in [("MMSE", neighbours.compactMap(\.mmse), r.mmse), ("MoCA", neighbours.compactMap(\.moca), r.moca)] {
            guard let lo = values.min(), let hi = values.max() else { continue }
            s += " Their \(name) ranges from \(format(lo)) to \(format(hi))"
            if let own {
                s += own < lo ? "; this case's \(format(own)) is below that range"
                   : own > hi ? "; this case's \(format(own)) is above that range" : "; this case's \(format(own)) is within it"
            }
            s += "."
        }
        return s
    }

    /// "is cognitively normal (CN)", "have dementia", …
    static func state(_ d: Diagnosis, plural: Bool) -> String {
        switch d {
        case .cn: "\(plural ? "are" : "is") cognitively normal (CN)"
        case .mci: "\(plural ? "have" : "has") mild cognitive impairment (MCI)"
        case .dementia: "\(plural ? "have" : "has") dementia"
        }
    }

    static func list(_ items: [String]) -> String { items.listedInEnglish }

    /// FNV-1a of the id's UTF-8, a per-case seed stable across runs (`hashValue` is not).
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
    }
}
