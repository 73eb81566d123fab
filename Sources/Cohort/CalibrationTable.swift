/// Every constant the synthetic cohort generator uses, per diagnosis group (CN, MCI, Dementia), with its source.
/// "prior" marks values that are widely reported but were not verified against a primary table here.
public struct CalibrationTable: Sendable {
    /// Mean and SD of a normally distributed quantity per group.
    public struct Normal: Sendable {
        public let cn: (Double, Double), mci: (Double, Double), dementia: (Double, Double)
        public let source: String
        public func callAsFunction(_ d: Diagnosis) -> (mean: Double, sd: Double) {
            switch d { case .cn: cn; case .mci: mci; case .dementia: dementia }
        }
    }

    /// A per-group value (a rate or an effect size).
    public struct PerGroup: Sendable {
        public let cn: Double, mci: Double, dementia: Double
        public let source: String
        public func callAsFunction(_ d: Diagnosis) -> Double {
            switch d { case .cn: cn; case .mci: mci; case .dementia: dementia }
        }
    }

    // MARK: Cohort shape
    public static let groupSizes = PerGroup(cn: 837, mci: 813, dementia: 713, source: "MEMOIR-VLM cohort (2,363 ADNI subjects)")
    public static let dtiRate = 0.394 // MEMOIR-VLM: DTI-FA for 930 of 2,363 subjects

    // MARK: Demographics
    public static let age = Normal(cn: (77.4, 6.1), mci: (77.1, 8.1), dementia: (80.7, 7.8), source: "ADNI subset, PMC8446666 Table 1")
    public static let ageRange = 55.0...95.0 // ADNI enrolment 55–90, aged at visit
    public static let femaleRate = PerGroup(cn: 0.48, mci: 0.42, dementia: 0.41, source: "PMC8446666 Table 1")
    public static let education = Normal(cn: (16.3, 2.7), mci: (15.9, 2.9), dementia: (15.2, 3.0), source: "prior (ADNI baseline tables)")

    // MARK: Clinical scores (higher = worse for CDR-SB and ADAS; lower = worse for MMSE and MoCA)
    public static let mmse = Normal(cn: (29.05, 1.10), mci: (28.22, 1.67), dementia: (19.41, 5.22), source: "PMC8446666 Table 1")
    public static let cdrsb = Normal(cn: (0.05, 0.15), mci: (1.48, 0.96), dementia: (6.27, 3.05), source: "PMC8446666 Table 1")
    public static let adas11 = Normal(cn: (6.2, 2.9), mci: (11.5, 4.4), dementia: (18.6, 6.3), source: "prior: ADNI-1 baseline (Petersen 2010)")
    public static let adas13 = Normal(cn: (9.5, 4.2), mci: (17.0, 6.0), dementia: (30.0, 7.5), source: "prior: ADNI ~9 / ~17 / ~30; SDs prior")
    public static let moca = Normal(cn: (26.0, 2.5), mci: (23.0, 3.0), dementia: (17.0, 4.5), source: "prior: ADNI-GO/2 ~26 / ~23 / ~17; SDs prior")
    /// How strongly each score follows the subject's latent severity within its group (the rest is
    /// independent test noise). Tuned so that scores alone give ≈0.70 balanced accuracy, as MEMOIR's clinical-only row.
    public static let latentLoading = 0.75

    /// Share of CN and MCI subjects whose cognitive scores look like the other group's:
    /// ADNI diagnoses also rest on logical-memory cut-offs, CDR global and clinician judgement, so score
    /// distributions overlap more than a per-group Gaussian suggests. Tuned (prior) so that ADAS-11/13, MMSE and
    /// MoCA alone give ≈0.70 balanced accuracy, as MEMOIR's clinical-only row; `ScoreMixture` keeps group means on target.
    public static let presentationMixing = 0.32

    /// Probability that a value is missing (ADNI-1 had no MoCA; ADAS-13 and MMSE are occasionally missing).
    public static let missingRate: [String: Double] = ["MOCA": 0.12, "ADAS13": 0.03, "ADAS11": 0.02, "MMSE": 0.005,
                                                       "PTEDUCAT": 0.01, "APOE_GENOTYPE": 0.02] // prior

    // MARK: APOE
    public static let e4CarrierRate = PerGroup(cn: 0.03, mci: 0.39, dementia: 0.55, source: "PMC8446666 Table 1")
    public static let e4HomozygousShareOfCarriers = PerGroup(cn: 0.10, mci: 0.20, dementia: 0.30, source: "prior")
    public static let e2AlleleRateAmongNonE4 = PerGroup(cn: 0.08, mci: 0.05, dementia: 0.03, source: "prior")

    // MARK: Imaging effects (fractions; age effects per year beyond 70)
    public static let gmLoss = PerGroup(cn: 0.0, mci: 0.06, dementia: 0.12,
                                        source: "OASIS-1 nWBV 0.752 / 0.729 / 0.706 by CDR (≈3 % / 6 % less brain ≈ 6 % / 12 % less grey matter)")
    public static let gmLossPerYear = 0.005 // prior: cross-sectional nWBV decline ≈0.3 %/yr of brain
    /// Hippocampal loss beyond the global grey-matter loss, so that the total is ~10 % (MCI) and ~22.5 % (AD) below CN.
    public static let hippocampalLoss = PerGroup(cn: 0.0, mci: 0.04, dementia: 0.105, source: "prior: hippocampus ~10 % lower in MCI, 20–25 % in AD")
    public static let hippocampalLossPerYear = 0.0173 // Jack et al. 2000 (PMC2724764): control-stable 1.73 %/yr
    public static let ventricleExpansion = PerGroup(cn: 0.0, mci: 0.20, dementia: 0.45, source: "prior: ventricles ~40–50 % larger in AD")
    public static let ventricleExpansionPerYear = 0.02 // prior
    public static let faLoss = PerGroup(cn: 0.0, mci: 0.03, dementia: 0.06, source: "DATA.md: WM FA a few percent lower in MCI/AD")
    public static let faLossPerYear = 0.003 // prior
    public static let latentImagingLoading = 0.5 // fraction of an effect's SD driven by the subject's severity

    // MARK: Acquisition
    public static let headScaleSD = 0.03, maleHeadScale = 0.03 // linear size relative to the template
    public static let rotationSDDegrees = 1.0, translationSDmm = 1.5 // residual registration error
    public static let biasFieldSD = 0.06, noiseFractionOfWM = 0.03
    public static let faNoiseSD = 0.025
}
