import Cohort
import Foundation
import FusedEncoder

/// Builds a case's `Evidence` from the store's records, the neighbours retrieval chose and the encoder's
/// heads. Library statistics are computed once per pipeline; neighbours' rows are read per ask.
struct EvidenceBuilder: Sendable {
    let statistics: LibraryStatistics

    /// `rows`: the stored rows of (at least) the context's subjects, by id. `courses`: the recorded courses of the
    /// context's subjects, by subject (empty without follow-up visits).
    func evidence(for stored: StoredCase, modalities: ModalitySet, context: [Neighbour], rows library: [String: StoredCase],
                  prediction: CasePrediction?, cdrsbTestError: Double?, courses: [String: SubjectCourse] = [:]) -> Evidence {
        let r = stored.record
        var readings: [Evidence.Reading] = []
        var notes: [String] = []
        func add(_ measure: String, _ value: Double?, text: (Double) -> String, interpretation: ((Double) -> String)? = nil) {
            guard let value, value.isFinite else { notes.append("\(measure) not recorded"); return }
            readings.append(Evidence.Reading(measure: measure, value: value, text: text(value), interpretation: interpretation?(value),
                                             percentiles: statistics.percentiles(of: value, measure: measure)))
        }
        if modalities.contains(.clinical) {
            add("MMSE", r.mmse, text: { "\(Self.number($0))/30" }, interpretation: ClinicalInterpretation.mmse)
            add("MoCA", r.moca, text: { "\(Self.number($0))/30" }, interpretation: ClinicalInterpretation.moca)
            add("ADAS-Cog 13", r.adas13, text: { "\(Self.number($0))/85" })
            add("ADAS-Cog 11", r.adas11, text: { "\(Self.number($0))/70" })
            if r.apoe == nil { notes.append("APOE genotype not recorded") }
        } else {
            notes.append("clinical scores not used (modalities: \(modalities.key))")
        }
        if modalities.contains(.t1), r.t1Path != nil {
            add("brain parenchymal fraction", stored.measures.brainParenchymalFraction, text: { String(format: "%.3f", $0) })
        } else {
            notes.append("no T1 MRI")
        }
        if modalities.contains(.fa), r.faPath != nil {
            add("white-matter FA", stored.measures.whiteMatterFA, text: { String(format: "%.3f", $0) })
        } else {
            notes.append("no DTI-FA image")
        }
        notes.append("CDR-SB withheld: it all but states the diagnosis")

        let neighbours = context.enumerated().map { n, c in
            let record = library[c.subjectID]?.record
            return Evidence.NeighbourFacts(rank: n + 1, subjectID: c.subjectID, diagnosis: c.diagnosis,
                                           similarity: (Double(c.similarity) * 1000).rounded() / 1000, age: record?.age,
                                           mmse: record?.mmse, moca: record?.moca, adas13: record?.adas13, apoeE4: record?.apoe?.e4Count)
        }
        let encoder = prediction.map { p in
            Evidence.EncoderHeads(probabilities: p.diagnosisProbabilities.mapValues { (Double($0) * 100).rounded() / 100 },
                                  predicted: p.diagnosis, cdrsb: (Double(p.cdrsb) * 10).rounded() / 10, cdrsbTestError: cdrsbTestError,
                                  modalities: ModalitySet(p.used).key)
        }
        let apoe = modalities.contains(.clinical) ? r.apoe.map { "APOE \($0) (\(ClinicalInterpretation.apoe($0)))" } : nil
        var evidence = Evidence(caseID: stored.id, demographics: Self.demographics(r), readings: readings, apoe: apoe, neighbours: neighbours,
                                vote: Self.vote(context), encoder: encoder, notes: notes)
        evidence.courses = laterCourses(context: context, rows: library, courses: courses)
        return evidence
    }

    /// One prognosis per group among the five that has a worse stage, from the neighbours' own courses (each
    /// measured from the neighbour's visit); nil when none of them has follow-up on record.
    func laterCourses(context: [Neighbour], rows library: [String: StoredCase], courses: [String: SubjectCourse]) -> [Prognosis]? {
        let stored = context.compactMap { library[$0.subjectID] }
        guard stored.contains(where: { courses[$0.record.subject] != nil }) else { return nil }
        return [Diagnosis.cn, .mci].compactMap { group in
            guard stored.contains(where: { $0.record.diagnosis == group }) else { return nil }
            return PrognosisEstimator.prognosis(group: group, neighbours: stored, courses: courses, k: context.count)
        }
    }

    /// Recorded diagnoses weighted by a softmax of each neighbour's ordering score (rerank score when
    /// reranked, else cosine), so a closer neighbour counts more.
    static func vote(_ context: [Neighbour]) -> Evidence.Vote {
        let scores = context.map { Double($0.rerankScore ?? $0.similarity * 10) }
        let top = scores.max() ?? 0
        let weights = scores.map { exp($0 - top) }
        let total = max(weights.reduce(0, +), .leastNormalMagnitude)
        var shares: [String: Double] = [:], counts: [String: Int] = [:]
        for d in Diagnosis.allCases { shares[d.rawValue] = 0; counts[d.rawValue] = 0 }
        for (c, w) in zip(context, weights) {
            shares[c.diagnosis.rawValue, default: 0] += w / total
            counts[c.diagnosis.rawValue, default: 0] += 1
        }
        shares = shares.mapValues { ($0 * 100).rounded() / 100 }
        let leading = Diagnosis.allCases.max { (shares[$0.rawValue] ?? 0) < (shares[$1.rawValue] ?? 0) } ?? .mci
        return Evidence.Vote(shares: shares, counts: counts, leading: leading)
    }

    static func demographics(_ r: CaseRecord) -> String {
        var who = switch (r.age, r.sex) {
        case let (age?, sex?): "\(whole(age))-year-old \(sex == .female ? "woman" : "man")"
        case let (age?, nil): "\(whole(age)) years old, sex not recorded"
        case let (nil, sex?): "\(sex == .female ? "woman" : "man") of unrecorded age"
        case (nil, nil): "age and sex not recorded"
        }
        if let e = r.education { who += ", \(whole(e)) years of education" }
        return who
    }

    /// Magnitudes up to which `whole` and `number` print digits; beyond (or NaN, infinity) they print `%g`, so a
    /// value from an edited store or a broken model never traps in `Int(_:)` nor prints hundreds of digits.
    static let plainLimit = 1e9

    /// Rounded to a whole number ("78"); `%g` outside ±`plainLimit`.
    static func whole(_ value: Double) -> String {
        guard abs(value) < plainLimit else { return String(format: "%g", value) }
        return String(Int(value.rounded()))
    }

    /// A share in 0...1 as whole percent ("42").
    static func percent(_ share: Double) -> String { whole(share * 100) }

    /// Whole numbers without a decimal point, others with as many decimals as they carry (at most 3);
    /// `%g` outside ±`plainLimit`.
    static func number(_ value: Double) -> String {
        guard abs(value) < plainLimit else { return String(format: "%g", value) }
        if value == value.rounded() { return String(Int(value)) }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
