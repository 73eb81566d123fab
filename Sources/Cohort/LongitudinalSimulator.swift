import Foundation

/// Follows synthetic subjects from baseline over ADNI's visit schedule (bl, m06, m12, m24, m36): diagnosis
/// transitions with literature conversion rates, score drift per diagnosis, dropout, late exams and ADNIMERGE's
/// quirks (a `DX` left empty on some visits). Sources and caveats: Fixtures/adnimerge/README.md.
/// It draws from its own generator, so adding it changed no subject of `cohort.csv`.
public enum LongitudinalSimulator {
    public static let visitMonths = [0, 6, 12, 24, 36]

    /// Annual transition hazards (priors; see Fixtures/adnimerge/README.md for the sources and how sure they are).
    /// CN → MCI: ≈ 3–5 %/year in ADNI normal controls; MCI → dementia: ≈ 15 %/year in ADNI-1 amnestic MCI
    /// (10–15 %/year in clinic cohorts); MCI → CN reversion is common in population samples, smaller in ADNI.
    public static let cnToMCIPerYear = 0.04
    public static let mciToDementiaPerYear = 0.15
    public static let mciToCNPerYear = 0.03
    /// Hazard ratio per unit of baseline severity (log scale) and for APOE ε4 carriers (≈ 2 in ADNI MCI).
    public static let severityLogHazard = 0.6
    public static let e4HazardRatio = 2.0
    /// Loss to follow-up per year, and the share of follow-up visits whose `DX` is left empty.
    public static let dropoutPerYear = 0.07
    public static let missingDiagnosisRate = 0.04

    /// Yearly drift of each score by current diagnosis (CN, MCI, Dementia): priors read off ADNI progression
    /// papers' group slopes, rounded (MMSE −0.1 / −0.8 / −2.5 points per year, CDR-SB +0.05 / +0.6 / +1.6).
    static let drift: [String: [Double]] = ["MMSE": [-0.1, -0.8, -2.5], "CDRSB": [0.05, 0.6, 1.6], "ADAS11": [0.1, 1.0, 3.0],
                                            "ADAS13": [0.15, 1.5, 4.0], "MOCA": [-0.1, -0.7, -2.0]]

    /// Every visit of every subject; `baselineLabels` gives ADNIMERGE's `DX_bl` spelling per subject (CN, EMCI/LMCI, AD).
    public static func visits(for subjects: [SyntheticSubject], seed: UInt64) -> (visits: [LongitudinalVisit], baselineLabels: [String: String]) {
        var rng = SeededGenerator(seed: seed ^ 0x1A6_71D)
        var out: [LongitudinalVisit] = []
        var labels: [String: String] = [:]
        // Mean hazard multiplier over severity ~ N(0,1) is exp(σ²/2); divide it out so group rates stay the priors.
        let severityNorm = exp(severityLogHazard * severityLogHazard / 2)
        for s in subjects {
            let r = s.record
            let carrier = (r.apoe?.e4Count ?? 0) > 0
            let risk = exp(severityLogHazard * s.severity) / severityNorm * (carrier ? e4HazardRatio : 1) / (1 + (e4HazardRatio - 1) * 0.4)
            labels[r.subjectID] = r.diagnosis == .mci ? (s.severity < 0 ? "EMCI" : "LMCI") : (r.diagnosis == .dementia ? "AD" : "CN")
            // Baseline exams spread over ADNI-1/GO/2 enrolment, 2005-09 to 2012-12.
            let baselineDay = 13_040 + Int(rng.uniform() * 2_670)  // days since 1970-01-01
            var diagnosis = r.diagnosis
            var scores: [String: Double?] = ["MMSE": r.mmse, "CDRSB": r.cdrsb, "ADAS11": r.adas11, "ADAS13": r.adas13, "MOCA": r.moca]
            var lastMonths = 0.0
            for (n, nominal) in visitMonths.enumerated() {
                var actual = Double(nominal)
                if n > 0 {
                    // Exams fall within about two weeks of the nominal month.
                    actual = Double(nominal) + (rng.uniform() - 0.5) * 1.0
                    let years = (actual - lastMonths) / 12
                    if rng.bernoulli(1 - exp(-dropoutPerYear * years)) { break }
                    diagnosis = transition(diagnosis, years: years, risk: risk, rng: &rng)
                    for (key, value) in scores {
                        guard let value, let rates = drift[key] else { continue }
                        scores[key] = value + rates[diagnosis.index] * years + rng.normal() * noise(key) * years.squareRoot()
                    }
                    lastMonths = actual
                }
                let day = baselineDay + Int((actual * 30.4375).rounded())
                let date = Date(timeIntervalSince1970: Double(day) * 86_400)
                var components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: date)
                components.timeZone = nil
                let iso = String(format: "%04d-%02d-%02d", components.year ?? 2005, components.month ?? 1, components.day ?? 1)
                let code = nominal == 0 ? "bl" : String(format: "m%02d", nominal)
                var v = LongitudinalVisit(row: 0, visit: VisitInfo(subjectID: r.subjectID, code: code, months: actual, examDate: iso))
                v.diagnosis = n > 0 && rng.bernoulli(missingDiagnosisRate) ? nil : diagnosis
                v.baselineDiagnosis = r.diagnosis
                v.age = r.age.map { (($0 + actual / 12) * 10).rounded() / 10 }
                v.sex = r.sex
                v.education = r.education
                v.e4Count = r.apoe?.e4Count
                func clip(_ key: String, _ range: ClosedRange<Double>, step: Double) -> Double? {
                    guard let value = scores[key] ?? nil else { return nil }
                    return (min(max(value, range.lowerBound), range.upperBound) / step).rounded() * step
                }
                v.mmse = clip("MMSE", ClinicalField.mmse.range, step: 1)
                v.cdrsb = clip("CDRSB", ClinicalField.cdrsb.range, step: 0.5)
                v.adas11 = clip("ADAS11", ClinicalField.adas11.range, step: 1.0 / 3)
                v.adas13 = clip("ADAS13", ClinicalField.adas13.range, step: 1.0 / 3).map { max($0, v.adas11 ?? 0) }
                v.moca = clip("MOCA", ClinicalField.moca.range, step: 1)
                if n == 0 { (v.mmse, v.cdrsb, v.adas11, v.adas13, v.moca) = (r.mmse, r.cdrsb, r.adas11, r.adas13, r.moca) }
                out.append(v)
            }
        }
        return (out, labels)
    }

    static func noise(_ key: String) -> Double { ["MMSE": 1.0, "CDRSB": 0.4, "ADAS11": 1.5, "ADAS13": 2.0, "MOCA": 1.0][key] ?? 0 }

    static func transition(_ d: Diagnosis, years: Double, risk: Double, rng: inout SeededGenerator) -> Diagnosis {
        func happens(_ perYear: Double) -> Bool { rng.bernoulli(1 - exp(-perYear * risk * years)) }
        switch d {
        case .cn: return happens(cnToMCIPerYear) ? .mci : .cn
        case .mci:
            if happens(mciToDementiaPerYear) { return .dementia }
            // Reversion is likelier for the less severe: the inverse of the progression risk.
            return rng.bernoulli(1 - exp(-mciToCNPerYear / max(risk, 0.5) * years)) ? .cn : .mci
        case .dementia: return .dementia
        }
    }
}
