import Cohort
import Foundation
import Store

/// Builds a QA set from the case store: for each subject of a split, up to five questions whose
/// reference answers are written from its stored record (schema: Fixtures/qa/README.md).
///
/// - diagnosis: the recorded diagnosis with the scores that support it (`expected_diagnosis` set);
/// - severity: CDR-SB and its stage (O'Bryant et al. 2008 ranges);
/// - cognition: MMSE, MoCA, ADAS-Cog 11/13 against their maxima;
/// - apoe: genotype, ε4 count and what it means for risk;
/// - similar_cases: how the case compares with its `neighbourCount` nearest training subjects by
///   the encoder's clinical inputs (MMSE, MoCA, ADAS-Cog 11/13, z-scored), i.e. the kind of
///   subjects retrieval returns, so the answer can be drawn from retrieved captions.
/// A question whose facts are not recorded (no CDR-SB, no scores, no APOE) is not asked.
/// The seed only picks among equivalent phrasings, deterministically per case.
public struct QASetBuilder: Sendable {
    public var seed: UInt64
    public var neighbourCount = 5

    public init(seed: UInt64 = 1) { self.seed = seed }

    /// Questions for every case of `split` (in id order), neighbours drawn from the train split.
    public func build(store: CaseStore, split: Split) throws -> [QAItem] {
        let cases = try store.allCases(split: split)
        guard !cases.isEmpty else { throw EvaluationError.emptyInput(what: "the \(split.rawValue) split of \(store.path)") }
        let library = split == .train ? cases : try store.allCases(split: .train)
        return build(cases: cases, library: library)
    }

    public func build(cases: [StoredCase], library: [StoredCase]) -> [QAItem] {
        let scale = FeatureScale(library.map(\.record))
        return cases.flatMap { questions(for: $0.record, library: library, scale: scale) }
    }

    func questions(for r: CaseRecord, library: [StoredCase], scale: FeatureScale) -> [QAItem] {
        var rng = SeededGenerator(seed: seed ^ Self.fnv1a(r.subjectID))
        func item(_ category: QAItem.Category, _ phrasings: [String], _ reference: String, source: String = "record") -> QAItem {
            QAItem(id: "\(r.subjectID)/\(category.rawValue)", caseID: r.subjectID,
                   question: phrasings[Int(rng.next() % UInt64(phrasings.count))],
                   reference: reference, category: category, expectedDiagnosis: category == .diagnosis ? r.diagnosis : nil, source: source)
        }
        var out: [QAItem] = []
        let scores = Self.scoreSentences(r)
        out.append(item(.diagnosis, [
            "What is the most likely diagnosis for this patient?",
            "What is the most likely diagnosis for this subject: cognitively normal, MCI or dementia?",
            "Based on the available information, what is the most likely diagnosis?",
        ], "The most likely diagnosis is \(r.diagnosis.longName) (\(r.diagnosis.rawValue))."
            + (scores.isEmpty ? "" : " " + scores.joined(separator: " ")) + " " + Self.consistency(r.diagnosis)))
        if let cdrsb = r.cdrsb {
            out.append(item(.severity, [
                "How severe is this patient's impairment, judging by the CDR-SB?",
                "What does the CDR Sum of Boxes say about the severity of this subject's impairment?",
            ], "CDR-SB is \(Self.format(cdrsb)) of 18, \(Self.stage(cdrsb))."))
        }
        if !scores.isEmpty {
            out.append(item(.cognition, [
                "What are this patient's cognitive test scores?",
                "Summarise the cognitive test results of this subject.",
            ], scores.joined(separator: " ")))
        }
        if let g = r.apoe {
            out.append(item(.apoe, [
                "What is this patient's APOE genotype and what does it mean for Alzheimer's risk?",
                "Does this subject carry APOE ε4, and how does that affect the risk of Alzheimer's disease?",
            ], Self.apoeSentence(g)))
        }
        let neighbours = nearest(to: r, in: library, scale: scale)
        if !neighbours.isEmpty {
            out.append(item(.similarCases, [
                "How does this patient compare with the most similar subjects in the library?",
                "What diagnoses and scores do the subjects most similar to this case have?",
            ], Self.comparison(r, neighbours), source: "record+library-neighbours(k=\(neighbourCount))"))
        }
        return out
    }

    // MARK: Neighbours by clinical inputs

    /// Mean and standard deviation of each clinical input over the library, for z-scores.
    struct FeatureScale {
        static func inputs(_ r: CaseRecord) -> [Double?] { [r.mmse, r.moca, r.adas11, r.adas13] }
        let mean: [Double], sd: [Double]

        init(_ records: [CaseRecord]) {
            var mean: [Double] = [], sd: [Double] = []
            for field in 0..<4 {
                let values = records.compactMap { Self.inputs($0)[field] }
                let m = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
                let v = values.count < 2 ? 1 : values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
                mean.append(m)
                sd.append(v > 0 ? v.squareRoot() : 1)
            }
            (self.mean, self.sd) = (mean, sd)
        }

        /// Mean squared z-difference over the inputs both records have; nil when they share none.
        func distance(_ a: CaseRecord, _ b: CaseRecord) -> Double? {
            var sum = 0.0, n = 0
            for (i, (x, y)) in zip(Self.inputs(a), Self.inputs(b)).enumerated() {
                guard let x, let y else { continue }
                let z = (x - y) / sd[i]
                sum += z * z
                n += 1
            }
            return n == 0 ? nil : sum / Double(n)
        }
    }

    func nearest(to r: CaseRecord, in library: [StoredCase], scale: FeatureScale) -> [CaseRecord] {
        let ranked = library.compactMap { c -> (Double, CaseRecord)? in
            guard c.record.subjectID != r.subjectID, let d = scale.distance(r, c.record) else { return nil }
            return (d, c.record)
        }
        return ranked.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.subjectID < $1.1.subjectID }.prefix(neighbourCount).map(\.1)
    }

    // MARK: Reference sentences

    static func scoreSentences(_ r: CaseRecord) -> [String] {
        var s: [String] = []
        if let v = r.mmse { s.append("MMSE is \(format(v)) of 30.") }
        if let v = r.cdrsb { s.append("CDR-SB is \(format(v)) of 18.") }
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

    /// CDR-SB staging of O'Bryant et al. (2008).
    static func stage(_ cdrsb: Double) -> String {
        switch cdrsb {
        case ..<0.5: "which is normal (no impairment)"
        case ..<3: "which indicates questionable impairment (0.5 to 2.5)"
        case ..<4.5: "which indicates very mild dementia (3 to 4)"
        case ..<9.5: "which indicates mild dementia (4.5 to 9)"
        case ..<16: "which indicates moderate dementia (9.5 to 15.5)"
        default: "which indicates severe dementia (16 to 18)"
        }
    }

    static func apoeSentence(_ g: APOEGenotype) -> String {
        let risk: String
        switch g.e4Count {
        case 0: risk = g.e2Count > 0 ? "no ε4-related increase in risk, and ε2 is associated with a lower risk of Alzheimer's disease"
                                      : "no ε4-related increase in the risk of Alzheimer's disease"
        case 1: risk = "an increased genetic risk of Alzheimer's disease (about three times that of ε3/ε3)"
        default: risk = "a strongly increased genetic risk of Alzheimer's disease (about eight to twelve times that of ε3/ε3)"
        }
        let count = ["no APOE ε4 allele", "one APOE ε4 allele", "two APOE ε4 alleles"][g.e4Count]
        return "The genotype is \(g): carries \(count), \(risk)."
    }

    static func comparison(_ r: CaseRecord, _ neighbours: [CaseRecord]) -> String {
        var counts: [Diagnosis: Int] = [:]
        for n in neighbours { counts[n.diagnosis, default: 0] += 1 }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let groups = ranked.map { "\($0.value) \(state($0.key, plural: $0.value != 1))" }
        var s = "Of the \(neighbours.count) most similar subjects, " + list(groups) + "."
        for (name, values, own) in [("MMSE", neighbours.compactMap(\.mmse), r.mmse), ("CDR-SB", neighbours.compactMap(\.cdrsb), r.cdrsb)] {
            guard let lo = values.min(), let hi = values.max() else { continue }
            s += " Their \(name) ranges from \(format(lo)) to \(format(hi))"
            if let own {
                s += own < lo ? "; this case's \(format(own)) is below that range"
                   : own > hi ? "; this case's \(format(own)) is above that range" : "; this case's \(format(own)) is within it"
            }
            s += "."
        }
        guard let top = ranked.first else { return s }
        if ranked.count > 1 && ranked[1].value == top.value {
            s += " The similar cases are mixed, so they neither confirm nor rule out \(r.diagnosis.longName)."
        } else if top.key == r.diagnosis {
            s += " Most similar cases share this case's diagnosis, \(r.diagnosis.longName)."
        } else {
            s += " Most similar cases \(state(top.key, plural: true)), whereas this case \(state(r.diagnosis, plural: false))."
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

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }

    /// FNV-1a of the id's UTF-8, a per-case seed stable across runs (`hashValue` is not).
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
    }
}
