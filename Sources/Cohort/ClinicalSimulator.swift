import Foundation

/// Draws a subject's demographics, scores, APOE and imaging phenotype from `CalibrationTable`.
/// Scores share a latent severity within the group (correlated noise) and are clipped to valid ranges.
public enum ClinicalSimulator {
    public static func subject(id: String, diagnosis d: Diagnosis, rng: inout SeededGenerator) -> SyntheticSubject {
        typealias C = CalibrationTable
        let severity = rng.normal() // within-group severity, shared by scores and imaging
        let loading = C.latentLoading
        let presenting = ScoreMixture.presenting(d, rng: &rng)
        // Cognitive tests follow the presenting component; CDR-SB (a target, never an input) follows the diagnosis.
        func score(_ n: CalibrationTable.Normal, worseIsHigher: Bool) -> Double {
            let (mean, sd) = ScoreMixture.components(n)[presenting]
            let z = loading * severity + (1 - loading * loading).squareRoot() * rng.normal()
            return mean + sd * (worseIsHigher ? z : -z)
        }
        func diagnosisScore(_ n: CalibrationTable.Normal) -> Double {
            let (mean, sd) = n(d)
            let z = loading * severity + (1 - loading * loading).squareRoot() * rng.normal()
            return mean + sd * z
        }
        func missing(_ column: String) -> Bool { rng.bernoulli(C.missingRate[column] ?? 0) }
        let age = clip(rng.normal(mean: C.age(d).mean, sd: C.age(d).sd), C.ageRange)
        let sex: Sex = rng.bernoulli(C.femaleRate(d)) ? .female : .male
        let education = clip(rng.normal(mean: C.education(d).mean, sd: C.education(d).sd), 6...20).rounded()
        let mmse = clip(score(C.mmse, worseIsHigher: false), 0...30).rounded()
        let cdrsb = (clip(diagnosisScore(C.cdrsb), 0...18) * 2).rounded() / 2 // six boxes in 0.5 steps
        let adas11 = (clip(score(C.adas11, worseIsHigher: true), 0...70) * 3).rounded() / 3 // items scored in thirds
        // ADAS-13 adds delayed recall and number cancellation to ADAS-11: model the added items so that
        // ADAS-13 keeps its group mean and SD and never falls below ADAS-11.
        let (m11, s11) = ScoreMixture.components(C.adas11)[presenting], (m13, s13) = ScoreMixture.components(C.adas13)[presenting]
        let extraSD = max(s13 * s13 - s11 * s11, 1).squareRoot()
        let extraZ = loading * severity + (1 - loading * loading).squareRoot() * rng.normal()
        let adas13Extra = clip(m13 - m11 + extraSD * 0.6 * extraZ, 0...15)
        let adas13 = (min(85, adas11 + adas13Extra) * 3).rounded() / 3
        let moca = clip(score(C.moca, worseIsHigher: false), 0...30).rounded()
        let apoe = genotype(d, rng: &rng)
        let record = CaseRecord(
            subjectID: id, diagnosis: d, age: age.rounded(toPlaces: 1), sex: sex, education: missing("PTEDUCAT") ? nil : education,
            mmse: missing("MMSE") ? nil : mmse, cdrsb: cdrsb, adas11: missing("ADAS11") ? nil : adas11,
            adas13: missing("ADAS13") ? nil : adas13, moca: missing("MOCA") ? nil : moca,
            apoe: missing("APOE_GENOTYPE") ? nil : apoe)
        let years = max(0, age - 70)
        let l = C.latentImagingLoading
        func effect(_ group: Double, perYear: Double, spread: Double) -> Double {
            max(0, group + perYear * years + spread * (l * severity + (1 - l * l).squareRoot() * rng.normal()))
        }
        return SyntheticSubject(
            record: record, hasFA: rng.bernoulli(C.dtiRate),
            gmLoss: min(0.3, effect(C.gmLoss(d), perYear: C.gmLossPerYear, spread: 0.025)),
            hippocampalLoss: min(0.5, effect(C.hippocampalLoss(d), perYear: C.hippocampalLossPerYear / 3, spread: 0.05)),
            ventricleExpansion: min(1.5, effect(C.ventricleExpansion(d), perYear: C.ventricleExpansionPerYear, spread: 0.12)),
            faLoss: min(0.2, effect(C.faLoss(d), perYear: C.faLossPerYear, spread: 0.015)),
            headScale: 1 + (sex == .male ? C.maleHeadScale : -C.maleHeadScale) / 2 + C.headScaleSD * rng.normal(),
            rotationDegrees: (C.rotationSDDegrees * rng.normal(), C.rotationSDDegrees * rng.normal(), C.rotationSDDegrees * rng.normal()),
            translationMM: (C.translationSDmm * rng.normal(), C.translationSDmm * rng.normal(), C.translationSDmm * rng.normal()),
            imageSeed: rng.next(), severity: severity)
    }

    static func genotype(_ d: Diagnosis, rng: inout SeededGenerator) -> APOEGenotype {
        typealias C = CalibrationTable
        func nonE4() -> Int { rng.bernoulli(C.e2AlleleRateAmongNonE4(d)) ? 2 : 3 }
        if rng.bernoulli(C.e4CarrierRate(d)) {
            return rng.bernoulli(C.e4HomozygousShareOfCarriers(d)) ? APOEGenotype(4, 4)! : APOEGenotype(nonE4(), 4)!
        }
        return APOEGenotype(nonE4(), nonE4())!
    }

    static func clip(_ v: Double, _ r: ClosedRange<Double>) -> Double { min(max(v, r.lowerBound), r.upperBound) }
}

extension Double {
    func rounded(toPlaces p: Int) -> Double {
        let f = pow(10, Double(p))
        return (self * f).rounded() / f
    }
}
