import Cohort

/// The clinical modality of one case: cognitive scores by config feature name (ADAS11, ADAS13, MMSE,
/// MOCA) and the APOE genotype. Diagnosis, CDR-SB, age and sex are targets and are never inputs.
public struct ClinicalInputs: Sendable, Equatable {
    /// Scores present for this case; a missing key is an absent score.
    public var scores: [String: Double]
    public var apoe: APOEGenotype?

    public init(scores: [String: Double] = [:], apoe: APOEGenotype? = nil) {
        self.scores = scores
        self.apoe = apoe
    }

    /// The record's `ClinicalField.encoderInputs` (by config feature name) and its APOE genotype.
    public init(record: CaseRecord) {
        let scores = Dictionary(uniqueKeysWithValues: record.clinicalInputs.map { ($0.key.column, $0.value) })
        self.init(scores: scores, apoe: record.apoe)
    }

    /// Row of `clinical_encoder.apoe`: 0 unknown, then 2/2, 2/3, 2/4, 3/3, 3/4, 4/4 (model.py's APOE_GENOTYPES).
    public var apoeIndex: Int {
        guard let apoe else { return 0 }
        return Self.genotypeOrder.firstIndex { $0 == (apoe.first, apoe.second) }.map { $0 + 1 } ?? 0
    }

    static let genotypeOrder: [(Int, Int)] = [(2, 2), (2, 3), (2, 4), (3, 3), (3, 4), (4, 4)]
}
