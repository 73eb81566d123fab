import Cohort

/// Published cut-offs for the values a case record holds, each with its source, so the evidence can say
/// what a number means instead of leaving it to the LLM.
public enum ClinicalInterpretation {
    /// MMSE, 0–30 (Folstein et al. 1975). Severity bands of NICE technology appraisal TA217 (2011):
    /// mild 21–26, moderate 10–20, severe < 10; 27 or more is the usual "no impairment" range
    /// (O'Bryant et al. 2008 for highly educated adults).
    public static func mmse(_ value: Double) -> String {
        switch value {
        case 27...: "27–30: no impairment by the usual cut-off"
        case 21..<27: "21–26: the mild-impairment band (NICE TA217)"
        case 10..<21: "10–20: the moderate-impairment band (NICE TA217)"
        default: "below 10: the severe-impairment band (NICE TA217)"
        }
    }

    /// MoCA, 0–30: 26 or more is normal (Nasreddine et al. 2005).
    public static func moca(_ value: Double) -> String {
        value >= 26 ? "26 or more: normal (Nasreddine et al. 2005)" : "below 26: impaired (Nasreddine et al. 2005)"
    }

    /// APOE: odds ratios for Alzheimer's disease against ε3/ε3 from Farrer et al. 1997 (JAMA meta-analysis,
    /// Caucasian clinic and autopsy series): ε3/ε4 about 3, ε4/ε4 about 15; ε2 lowers the risk.
    public static func apoe(_ genotype: APOEGenotype) -> String {
        switch genotype.e4Count {
        case 2: "two ε4 alleles: about 15 times the Alzheimer's risk of ε3/ε3 (Farrer et al. 1997)"
        case 1: genotype.e2Count == 1 ? "one ε4 and one ε2 allele: about 2.6 times the risk of ε3/ε3 (Farrer et al. 1997)"
            : "one ε4 allele: about 3 times the Alzheimer's risk of ε3/ε3 (Farrer et al. 1997)"
        default: genotype.e2Count > 0 ? "no ε4 allele; ε2 lowers the risk (Farrer et al. 1997)" : "no ε4 allele"
        }
    }
}
